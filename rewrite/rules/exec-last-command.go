package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/shell"
)

// ExecLastCommand offers exec before the last command of an exec-form
// shell's -c string, so that the main program, not the shell, receives the
// signals sent to the container.
var ExecLastCommand = &rule.Rule{
	Name: "exec-last-command",
	Doc: `offer exec for the last command of an exec-form CMD or ENTRYPOINT that runs sh -c

CMD ["sh", "-c", "migrate && gunicorn app"] runs gunicorn as a child of
the shell: with dash (Debian, Ubuntu) the shell stays PID 1 and does not
pass docker stop's SIGTERM on, so gunicorn is killed after the grace
period. The unsafe fix writes "migrate && exec gunicorn app", where
gunicorn replaces the shell and receives the signal; it changes which
process is PID 1, which is the point. Only a last command reached through
";" and "&&" is changed.`,
	URL:    pageURL + "exec-last-command.md",
	Safety: rule.Unsafe,
	Run:    runExecLastCommand,
}

// shellC finds the -c string of an exec-form argv that runs a POSIX
// shell: its index, or -1.
func shellC(argv []string) int {
	if len(argv) < 3 {
		return -1
	}
	switch path.Base(argv[0]) {
	case "sh", "bash", "dash", "ash":
	default:
		return -1
	}
	for i := 1; i < len(argv)-1; i++ {
		a := argv[i]
		switch {
		case a == "-o" || a == "+o":
			i++ // its option name
		case strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "--") && len(a) > 1:
			if strings.HasSuffix(a, "c") {
				return i + 1
			}
			if strings.Contains(a, "c") {
				return -1 // -c followed by more options in one word
			}
		default:
			return -1 // an operand: a script file, not -c
		}
	}
	return -1
}

func runExecLastCommand(p *rule.Pass) {
	for _, top := range p.File.Instructions {
		in := top
		if top.Trigger != nil {
			in = top.Trigger
		}
		if (in.Keyword != "cmd" && in.Keyword != "entrypoint") || !in.JSON() || in.Stage == nil || in.Stage.Windows {
			continue
		}
		argv := in.Args()
		i := shellC(argv)
		if i < 0 {
			continue
		}
		script, ok, why := shell.ExecLastCommand(argv[i])
		if !ok {
			continue // nothing to exec, or it already does
		}
		next := append(append(append([]string{}, argv[:i]...), script), argv[i+1:]...)
		fix, _ := execFormFix(p.File, in, next, "")
		if fix == nil {
			continue
		}
		fix.Safety = rule.Unsafe
		fix.Message = "exec the last command of the " + path.Base(argv[0]) + " -c string"
		prog := "`" + clip.N(lastProgram(argv[i], script), 40) + "`"
		sh := path.Base(argv[0])
		today := fmt.Sprintf("%s -c runs %s as its child where /bin/sh is dash (Debian, Ubuntu; BusyBox sh execs it itself)", sh, prog)
		if sh == "bash" {
			today = fmt.Sprintf("bash -c runs %s as its child in bash before 5.1 (later versions exec it themselves)", prog)
		} else if sh == "dash" {
			today = fmt.Sprintf("dash -c runs %s as its child", prog)
		}
		msg := fmt.Sprintf("%s: the shell stays PID 1 and does not pass docker stop's SIGTERM on, so %s is killed after the grace period; the unsafe fix writes `exec` before it, which changes which process is PID 1 (the program, not the shell): %s",
			today, prog, why)
		p.Report(in, rule.Warning, msg, fix)
	}
}

// lastProgram is the word exec was put before: what follows "exec " in
// the new script at the first place it differs from the old one.
func lastProgram(old, script string) string {
	i := 0
	for i < len(old) && old[i] == script[i] {
		i++
	}
	rest := strings.TrimPrefix(script[i:], "exec ")
	if j := strings.IndexAny(rest, " \t\n;&|"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}
