package shell

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

func parsePOSIX(t *testing.T, text string) *syntax.File {
	t.Helper()
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(text), "")
	if err != nil {
		t.Fatalf("parse %q: %v", text, err)
	}
	return f
}

// execCases put exec before the last command of text. want is a part of
// ExecUnsafeReason's answer ("" when it must accept). The files fn.sh
// (defines greet), trap.sh (sets an EXIT trap) and empty.sh exist in the
// folder where the behavioural check runs them.
var execCases = []struct {
	text, withExec, want string
	// conservative: refused although no shell here shows a difference.
	conservative bool
}{
	{"true && id -u", "true && exec id -u", "", false},
	{"cd / && ls", "cd / && exec ls", "", false},
	{"A=1; export A; env -u PWD -u SHLVL -u _", "A=1; export A; exec env -u PWD -u SHLVL -u _", "", false},
	{"greet() { echo hi; }; id -u", "greet() { echo hi; }; exec id -u", "", false},
	{"false || id -u", "false || exec id -u", "", false},
	{"other() { :; } && id -u", "other() { :; } && exec id -u", "", false},
	{"greet() { echo hi; }; greet", "greet() { echo hi; }; exec greet", "greet is a shell function defined before it", false},
	{"greet() { echo hi; } && greet x", "greet() { echo hi; } && exec greet x", "greet is a shell function defined before it", false},
	{". ./fn.sh && greet", ". ./fn.sh && exec greet", "`. ./fn.sh` runs before it and may define greet", false},
	{"eval 'greet() { echo hi; }' && greet", "eval 'greet() { echo hi; }' && exec greet", "`eval greet() { echo hi; }` runs before it", false},
	{"command . ./fn.sh && greet", "command . ./fn.sh && exec greet", "`. ./fn.sh` runs before it", false},
	{". ./trap.sh && id -u", ". ./trap.sh && exec id -u", "`. ./trap.sh` runs before it", false},
	{"trap 'echo bye' EXIT; id -u", "trap 'echo bye' EXIT; exec id -u", "`trap echo bye` sets a trap before it", false},
	{"alias greet='echo hi'\ngreet", "alias greet='echo hi'\nexec greet", "`alias greet=echo hi` runs before it", false},
	{"X=eval; $X 'greet() { echo hi; }'; greet", "X=eval; $X 'greet() { echo hi; }'; exec greet", "a command before it has a name that is not a literal word", false},
	{"true && umask", "true && exec umask", "exec` would run a program instead of the builtin: `umask` is a shell builtin", false},
	{"true && $APP", "true && exec $APP", "the last command's name is not a literal word", true},
	{". ./empty.sh && id -u", ". ./empty.sh && exec id -u", "`. ./empty.sh` runs before it", true},
	{"trap '' TERM; id -u", "trap '' TERM; exec id -u", "sets a trap before it", true},
	{"true && A=1 env -u PWD -u SHLVL -u _", "true && exec A=1 env -u PWD -u SHLVL -u _", "the last command sets A for its program", false},
	{"id -u | cat", "id -u | exec cat", "the last command is not a simple command", true},
}

func TestExecUnsafeReason(t *testing.T) {
	for _, c := range execCases {
		got := ExecUnsafeReason(parsePOSIX(t, c.text))
		switch {
		case c.want == "" && got != "":
			t.Errorf("ExecUnsafeReason(%q) = %q, want \"\"", c.text, got)
		case c.want != "" && !strings.Contains(got, c.want):
			t.Errorf("ExecUnsafeReason(%q) = %q, want it to contain %q", c.text, got, c.want)
		}
	}
	if got := ExecUnsafeReason(nil); got != "there is no command" {
		t.Errorf("ExecUnsafeReason(nil) = %q", got)
	}
}

// TestBuiltinExecUnsafeBehaviour runs each case with and without exec
// under the shells found here: an accepted case must behave the same on
// all, a refused one must differ on at least one unless it is marked
// conservative.
func TestBuiltinExecUnsafeBehaviour(t *testing.T) {
	r, root := newRunner(t)
	ps, complete := platforms(t, root)
	files := map[string]string{
		"fn.sh":    "greet() { echo hello from greet; }\n",
		"trap.sh":  "trap 'echo trap ran' EXIT\n",
		"empty.sh": "",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(r.dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range execCases {
		var diffs []string
		for _, p := range ps {
			a := r.shellForm(t, c.text, p)
			b := r.shellForm(t, c.withExec, p)
			if a != b {
				diffs = append(diffs, fmt.Sprintf("%s:\n\twithout exec: %v\n\twith exec:    %v", p.name, a, b))
			}
		}
		refused := ExecUnsafeReason(parsePOSIX(t, c.text)) != ""
		switch {
		case !refused && len(diffs) > 0:
			t.Errorf("%q is accepted, but exec changes it:\n%s", c.text, strings.Join(diffs, "\n"))
		case refused && len(diffs) == 0 && !c.conservative && !complete:
			t.Logf("%q is refused; no difference on the shells present, not all are", c.text)
		case refused && len(diffs) == 0 && !c.conservative:
			t.Errorf("%q is refused, but exec changes nothing on any shell here", c.text)
		case refused && len(diffs) > 0 && c.conservative:
			t.Errorf("%q is marked conservative, but exec does change it:\n%s", c.text, strings.Join(diffs, "\n"))
		case testing.Verbose():
			t.Logf("%q refused=%v\n%s", c.text, refused, strings.Join(diffs, "\n"))
		}
	}
}
