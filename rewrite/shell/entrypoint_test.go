package shell

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func TestShebangVariant(t *testing.T) {
	for _, c := range []struct {
		line   string
		lang   syntax.LangVariant
		reason string // "" when ok
	}{
		{"#!/bin/sh", syntax.LangPOSIX, ""},
		{"#!/bin/sh -e", syntax.LangPOSIX, ""},
		{"#! /bin/dash", syntax.LangPOSIX, ""},
		{"#!/sbin/ash", syntax.LangPOSIX, ""},
		{"#!/bin/bash -eu", syntax.LangBash, ""},
		{"#!/usr/bin/env bash", syntax.LangBash, ""},
		{"#!/usr/bin/env -S bash -e", syntax.LangBash, ""},
		{"#!/usr/bin/env -Sbash", syntax.LangBash, ""},
		{"#!/bin/busybox sh", syntax.LangPOSIX, ""},
		{"#!/bin/mksh", syntax.LangMirBSDKorn, ""},
		{"#!/usr/bin/dumb-init /bin/sh", syntax.LangPOSIX, ""},
		{"#!/sbin/tini /bin/bash", syntax.LangBash, ""},
		{"#!/usr/bin/dumb-init -- /bin/sh", 0, "needs exactly one word, the shell, after it"},
		{"#!/usr/bin/env bash -e", 0, `without -S, env looks for a program named "bash -e"`},
		{"#!/usr/bin/python3", 0, "the script runs with python3, which is not a shell cmdfix reads"},
		{"#!/bin/sh\r", 0, "carriage return"},
		{"echo hi", 0, "the script has no #! line"},
		{"#!", 0, "the #! line names no interpreter"},
	} {
		_, lang, ok, reason := ShebangVariant([]byte(c.line + "\necho\n"))
		if ok != (c.reason == "") || lang != c.lang || !strings.Contains(reason, c.reason) {
			t.Errorf("ShebangVariant(%q) = %v, %v, %q; want %v, %q", c.line, lang, ok, reason, c.lang, c.reason)
		}
	}
}

// findings renders a report as "LINE kind [command]" lines.
func findings(r EntrypointReport) string {
	if !r.Verdict {
		return "no verdict: " + r.Reason
	}
	var out []string
	for _, f := range r.Findings {
		s := fmt.Sprintf("%d %s", f.Line, f.Kind)
		if f.Command != "" {
			s += " " + f.Command
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func TestAnalyzeEntrypoint(t *testing.T) {
	for _, c := range []struct {
		name, script, want string
	}{
		{"exec args", "#!/bin/sh\nset -e\nexec \"$@\"\n", ""},
		{"gosu", "#!/bin/bash\nif [ \"$1\" = app ]; then\n  chown -R app /data\n  exec gosu app \"$@\"\nfi\nexec \"$@\"\n", ""},
		{"su-exec", "#!/bin/sh\nexec su-exec app:app \"$@\"\n", ""},
		{"tini", "#!/bin/sh\nexec /sbin/tini -- \"$@\"\n", ""},
		{"self", "#!/bin/bash\nif [ \"$(id -u)\" = 0 ]; then\n  exec gosu app \"$0\" \"$@\"\nfi\nexec /usr/bin/app \"$@\"\n", ""},
		{"dollar star and braces", "#!/bin/sh\nexec app ${@}\n", ""},
		{"case", "#!/bin/sh\ncase \"$1\" in\n  server) shift; exec app serve \"$@\" ;;\n  *) exec \"$@\" ;;\nesac\n", ""},
		{"set --", "#!/bin/sh\nif [ \"${1#-}\" != \"$1\" ]; then\n  set -- redis-server \"$@\"\nfi\nexec \"$@\"\n", ""},
		{"set -- discards", "#!/bin/sh\nset -- gunicorn app\nexec \"$@\"\n", "2 no-args"},
		{"set -- after reading", "#!/bin/sh\nmode=$1\nset -- app --mode \"$mode\"\nexec \"$@\"\n", "2 some-args"},
		{"set -- in a branch", "#!/bin/sh\nif [ $# -eq 0 ]; then\n  set -- app\nfi\nexec \"$@\"\n", ""},
		{"shift then args", "#!/bin/sh\nshift\nexec app \"$@\"\n", ""},
		{"no args", "#!/bin/sh\nexec nginx -g 'daemon off;'\n", "1 no-args"},
		{"only $1", "#!/bin/sh\nexec java -jar app.jar \"$1\"\n", "2 some-args"},
		{"no exec", "#!/bin/sh\nsetup\ngunicorn app \"$@\"\n", "3 no-exec gunicorn"},
		{"no exec then exit", "#!/bin/sh\nnode server.js \"$@\"\nexit $?\n", "2 no-exec node"},
		{"args without exec", "#!/bin/sh\necho starting\n\"$@\"\n", `3 no-exec "$@"`},
		{"no exec in a branch", "#!/bin/bash\nif [ \"$1\" = web ]; then\n  exec web\nelse\n  worker \"$@\"\nfi\n", "5 no-exec worker"},
		{"function", "#!/bin/bash\nmain() {\n  prepare\n  exec \"$@\"\n}\nmain \"$@\"\n", ""},
		{"function without exec", "#!/bin/bash\nmain() {\n  supervisord -n \"$@\"\n}\nmain \"$@\"\n", "3 no-exec supervisord"},
		{"args of a function only", "#!/bin/sh\nrun() { exec \"$@\"; }\nrun app --flag\n", "1 no-args"},
		{"trap forwarding", "#!/bin/sh\ntrap 'kill -TERM $pid' TERM INT\napp \"$@\" &\npid=$!\nwait $pid\n", ""},
		{"trap without wait", "#!/bin/sh\ntrap 'kill $pid' SIGTERM\napp \"$@\"\n", ""},
		{"wait", "#!/bin/sh\napp \"$@\" &\nwait\n", ""},
		{"keep alive", "#!/bin/sh\ncron \"$@\"\ntail -f /var/log/cron.log\n", ""},
		{"and list", "#!/bin/sh\nmigrate && gunicorn \"$@\"\n", "2 no-exec gunicorn"},
		{"or fallback", "#!/bin/sh\nexec app \"$@\" || exit 1\n", ""},
		{"dumb-init forwards", "#!/usr/bin/dumb-init /bin/sh\nconsul agent \"$@\"\n", ""},
		{"tini does not", "#!/sbin/tini /bin/sh\nconsul agent \"$@\"\n", "2 no-exec consul"},
		{"python", "#!/usr/bin/env python3\nimport os\n", "no verdict: the script runs with python3, which is not a shell cmdfix reads"},
		{"parse error", "#!/bin/sh\nif then\n", "no verdict: the script does not parse as posix: 2:1: `if` must be followed by a statement list"},
		{"bash syntax in sh", "#!/bin/sh\n[[ -n $1 ]] && exec \"$@\"\n", ""},
	} {
		got := findings(AnalyzeEntrypoint([]byte(c.script)))
		if c.want == "" && got != "" || c.want != "" && !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestAnalyzeEntrypointMessages(t *testing.T) {
	r := AnalyzeEntrypoint([]byte("#!/bin/sh\nnginx -g 'daemon off;'\n"))
	want := []string{
		`1 no-args: the script never reads its arguments ("$@", $1, ...): CMD and docker run arguments are ignored`,
		"2 no-exec: the last step runs nginx without exec: the shell stays PID 1 and does not pass docker stop's SIGTERM on, so nginx is killed after the grace period (use exec nginx)",
	}
	var got []string
	for _, f := range r.Findings {
		got = append(got, fmt.Sprintf("%d %s: %s", f.Line, f.Kind, f.Message))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("messages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r = AnalyzeEntrypoint([]byte("#!/bin/bash\nset -e\n\nexec gosu app \"$@\"\n"))
	if fmt.Sprint(r.ArgsLines, r.ExecLines) != "[4] [4]" {
		t.Errorf("ArgsLines, ExecLines = %v %v", r.ArgsLines, r.ExecLines)
	}
}

func TestExecLastCommand(t *testing.T) {
	for _, c := range []struct{ in, out, reason string }{
		{"migrate && gunicorn app", "migrate && exec gunicorn app", ""},
		{"migrate; gunicorn app", "migrate; exec gunicorn app", ""},
		{"gunicorn app", "exec gunicorn app", ""},
		{"cd /app && FOO=1 gunicorn app >log 2>&1", "cd /app && FOO=1 exec gunicorn app >log 2>&1", ""},
		{"a || b && c", "a || b && exec c", ""},
		{"migrate && gunicorn app | tee log", "", "the last command is in a pipeline"},
		{"migrate && (gunicorn app)", "", "the last command is in a subshell"},
		{"gunicorn app &", "", "the last command runs in the background"},
		{"migrate && gunicorn app || exit 1", "", "the last command is part of an || list"},
		{"migrate && ! check", "", "the last command is negated with !"},
		{"migrate && echo done", "", "echo is a shell builtin, which exec cannot run"},
		{"f() { app; }; f", "", "f is a function defined in the command"},
		{"trap 'rm -f /tmp/x' EXIT; app", "", "the command sets a trap, which exec would drop"},
		{"exec app", "", "the last command already uses exec"},
		{"$CMD --flag", "", "the last command's name is only known when the shell runs"},
		{"if true; then app; fi", "", "the last command is a compound command"},
		{"app 'unclosed", "", "the command does not parse as POSIX shell"},
		{"FOO=1", "", "the last command only sets variables or redirects"},
		{"-l", "", "-l is an option, not a command"},
	} {
		got, ok, reason := ExecLastCommand(c.in)
		if ok != (c.reason == "") || got != c.out || (c.reason != "" && !strings.HasPrefix(reason, c.reason)) {
			t.Errorf("ExecLastCommand(%q) = %q, %v, %q; want %q, %q", c.in, got, ok, reason, c.out, c.reason)
		}
	}
}

// TestExecLastCommandWithDash runs each command and its rewrite with dash and
// checks that they print the same and exit the same, and that only the
// rewrite runs the last program in the shell's own process.
func TestExecLastCommandWithDash(t *testing.T) {
	dash, err := exec.LookPath("dash")
	if err != nil {
		t.Skip("dash is not installed (Debian package dash)")
	}
	run := func(script string) (string, int) {
		cmd := exec.Command(dash, "-c", script)
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	for _, script := range []string{
		"echo migrate && cat /dev/null",
		"false && ls /",
		"true; sh -c 'exit 3'",
		"cd / && FOO=bar sh -c 'echo $FOO; pwd'",
		"echo a; cat <<EOF\nheredoc\nEOF",
		"x=1; sh -c 'echo \"$0\" \"$1\"' zero \"$x\" 2>&1",
		"test -d / && ls -d / >/dev/stderr",
	} {
		rewritten, ok, reason := ExecLastCommand(script)
		if !ok {
			t.Errorf("%q: refused: %s", script, reason)
			continue
		}
		out1, code1 := run(script)
		out2, code2 := run(rewritten)
		if out1 != out2 || code1 != code2 {
			t.Errorf("%q: %q exit %d; rewritten %q: %q exit %d", script, out1, code1, rewritten, out2, code2)
		}
	}
	// the process: the last program's parent is the shell without exec, and
	// the program has the shell's pid with exec
	orig := `echo $$; sh -c 'echo $PPID $$'`
	rewritten, ok, _ := ExecLastCommand(orig)
	if !ok {
		t.Fatal("refused")
	}
	out, _ := run(orig)
	f := strings.Fields(out)
	if len(f) != 3 || f[0] != f[1] || f[0] == f[2] {
		t.Errorf("without exec dash should be the parent: %q", out)
	}
	out, _ = run(rewritten)
	f = strings.Fields(out)
	if len(f) != 3 || f[0] != f[2] {
		t.Errorf("with exec the program should have the shell's pid: %q", out)
	}
}

// TestEntrypointArgsWithDash checks the no-args claim against the shell: the
// CMD given to a script that never reads "$@" changes nothing.
func TestEntrypointArgsWithDash(t *testing.T) {
	dash, err := exec.LookPath("dash")
	if err != nil {
		t.Skip("dash is not installed (Debian package dash)")
	}
	for _, c := range []struct {
		script string
		flag   bool
	}{
		{"#!/bin/sh\necho fixed\n", true},
		{"#!/bin/sh\nexec echo \"$@\"\n", false},
	} {
		r := AnalyzeEntrypoint([]byte(c.script))
		flagged := len(r.Findings) > 0 && r.Findings[0].Kind == "no-args"
		out1, _ := exec.Command(dash, "-c", c.script, "entrypoint", "cmd-a").Output()
		out2, _ := exec.Command(dash, "-c", c.script, "entrypoint", "cmd-b").Output()
		ignored := string(out1) == string(out2)
		if flagged != c.flag || ignored != c.flag {
			t.Errorf("%q: flagged %v, arguments ignored by dash %v, want %v", c.script, flagged, ignored, c.flag)
		}
	}
}
