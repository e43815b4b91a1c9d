package shell

// This file reads entrypoint scripts: does the script pass its arguments on
// ("$@"), and does its last step exec the main program? It also decides
// whether "exec" may be put before the last command of an "sh -c" string. It
// imports nothing else from cmdfix.

import (
	"bytes"
	"fmt"
	"path"
	"slices"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// EntrypointReport is what [AnalyzeEntrypoint] learned about a script.
type EntrypointReport struct {
	// Interpreter is the "#!" line split as the Linux kernel splits it.
	Interpreter []string
	// Variant is the dialect the script was parsed in.
	Variant syntax.LangVariant
	// Init is "dumb-init" or "tini" when the #! line runs the shell under
	// that init, "" otherwise.
	Init string
	// Verdict is false when the script was not analysed; Reason says why
	// (no "#!", an interpreter that is not a known shell, a parse error).
	Verdict bool
	Reason  string
	// ArgsLines are the lines that use all the arguments ("$@", $*, ${@...})
	// where they are the script's own (not a function's, unless the function
	// is called with them).
	ArgsLines []int
	// PositionalLines are the lines reading single arguments ($1, $#, shift,
	// getopts).
	PositionalLines []int
	// DiscardLine is the line of a top-level "set -- ..." that replaces the
	// arguments without keeping them (0 if none); uses after it do not count.
	DiscardLine int
	// ExecLines are the lines where an exec hands the process over.
	ExecLines []int
	// Findings are the problems found, in line order.
	Findings []EntrypointFinding
}

// EntrypointFinding is one problem in an entrypoint script.
type EntrypointFinding struct {
	Line int
	// Kind is "no-args" (the arguments are never read), "some-args" (single
	// arguments are read but never all of them) or "no-exec" (the last step
	// runs the main program without exec).
	Kind    string
	Command string // for "no-exec": the program, as written
	Message string
}

// ShebangVariant picks the dialect to parse a script in from its "#!" line:
// sh, dash, ash, busybox sh/ash and ksh-less POSIX shells are POSIX, bash is
// Bash, mksh is MirBSD Korn; "/usr/bin/env NAME" and "env -S NAME ARGS" name
// the shell through env, "dumb-init SHELL" and "tini SHELL" through an init.
// ok is false, with a reason, for anything else.
func ShebangVariant(script []byte) (argv []string, lang syntax.LangVariant, ok bool, reason string) {
	if !bytes.HasPrefix(script, []byte("#!")) {
		return nil, 0, false, "the script has no #! line"
	}
	line := script[2:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	s := strings.Trim(string(line), " \t")
	if i := strings.IndexAny(s, " \t"); i >= 0 {
		argv = []string{s[:i]}
		if rest := strings.TrimLeft(s[i:], " \t"); rest != "" {
			argv = append(argv, rest)
		}
	} else if s != "" {
		argv = []string{s}
	}
	if len(argv) == 0 {
		return nil, 0, false, "the #! line names no interpreter"
	}
	if strings.HasSuffix(argv[len(argv)-1], "\r") {
		return argv, 0, false, "the #! line ends in a carriage return (CRLF line endings): the kernel looks for an interpreter whose name ends in \\r"
	}
	name := path.Base(argv[0])
	var args []string
	if len(argv) > 1 {
		args = strings.Fields(argv[1])
	}
	switch name {
	case "env":
		// the kernel passes the rest of the line as one argument; only -S
		// makes env split it
		if len(args) == 0 {
			return argv, 0, false, "#!" + argv[0] + " names no program"
		}
		if args[0] == "-S" || strings.HasPrefix(args[0], "-S") {
			rest := strings.TrimPrefix(args[0], "-S")
			args = args[1:]
			if rest != "" {
				args = append([]string{rest}, args...)
			}
		} else if len(args) > 1 {
			return argv, 0, false, fmt.Sprintf("#!%s %s: without -S, env looks for a program named %q", argv[0], argv[1], argv[1])
		}
		if len(args) == 0 {
			return argv, 0, false, "#!" + argv[0] + " -S names no program"
		}
		name, args = path.Base(args[0]), args[1:]
	case "busybox":
		if len(args) == 0 {
			return argv, 0, false, "#!" + argv[0] + " names no applet"
		}
		name, args = args[0], args[1:]
	case "dumb-init", "tini":
		// #!/usr/bin/dumb-init /bin/sh: the init runs the shell on the script
		if len(args) != 1 {
			return argv, 0, false, fmt.Sprintf("#!%s needs exactly one word, the shell, after it (the kernel passes the rest of the line as one argument)", argv[0])
		}
		name = path.Base(args[0])
	}
	switch name {
	case "sh", "dash", "ash", "posh", "yash":
		return argv, syntax.LangPOSIX, true, ""
	case "bash":
		return argv, syntax.LangBash, true, ""
	case "mksh":
		return argv, syntax.LangMirBSDKorn, true, ""
	}
	return argv, 0, false, fmt.Sprintf("the script runs with %s, which is not a shell cmdfix reads", name)
}

// AnalyzeEntrypoint reads an entrypoint script (its bytes as in the build
// context) and reports whether it passes its arguments on and whether its last
// step execs the main program.
//
// The arguments finding: with ENTRYPOINT ["/entrypoint.sh"], CMD and the
// arguments of docker run reach the script as its arguments, so a script that
// never reads them ignores CMD.
//
// The exec finding: a shell script that runs its main program as the last step
// without exec stays the container's PID 1. The kernel does not deliver a
// signal to PID 1 unless it has a handler for it, and the shell installs none
// for SIGTERM and does not forward it, so docker stop's SIGTERM reaches
// neither the shell nor the program, which is killed after the grace period.
// Not reported: any exec with a command (exec "$@", exec gosu user "$@",
// exec su-exec, exec tini --, exec "$0" "$@", exec /usr/bin/x "$@"), a last
// step that is wait, a script that sets a trap on TERM (it handles signals
// itself), keep-alive steps (sleep, tail: exec would not make them stop on
// SIGTERM either), builtins, and anything inside loops, pipelines or
// subshells, which the analysis does not judge.
func AnalyzeEntrypoint(script []byte) EntrypointReport {
	argv, lang, ok, reason := ShebangVariant(script)
	r := EntrypointReport{Interpreter: argv, Variant: lang}
	if !ok {
		r.Reason = reason
		return r
	}
	f, err := Parse(string(script), lang)
	if err != nil {
		r.Reason = fmt.Sprintf("the script does not parse as %s: %v", lang, err)
		return r
	}
	r.Verdict = true
	if b := path.Base(argv[0]); b == "dumb-init" || b == "tini" {
		r.Init = b
	}
	a := &epAnalysis{funcs: map[string]*syntax.FuncDecl{}, report: &r}
	a.collect(f)
	a.args(f)
	a.tail(f.Stmts, 0)
	if len(r.ArgsLines) == 0 {
		if len(r.PositionalLines) == 0 && r.DiscardLine > 0 {
			r.Findings = append(r.Findings, EntrypointFinding{Line: r.DiscardLine, Kind: "no-args",
				Message: `set -- replaces the script's arguments before it reads them: CMD and docker run arguments are ignored`})
		} else if len(r.PositionalLines) == 0 {
			r.Findings = append(r.Findings, EntrypointFinding{Line: 1, Kind: "no-args",
				Message: `the script never reads its arguments ("$@", $1, ...): CMD and docker run arguments are ignored`})
		} else {
			r.Findings = append(r.Findings, EntrypointFinding{Line: r.PositionalLines[0], Kind: "some-args",
				Message: fmt.Sprintf(`the script reads single arguments (line %d) but never passes them all on with "$@": the rest of CMD and docker run arguments are ignored`, r.PositionalLines[0])})
		}
	}
	// dumb-init sends the signals it receives to the whole process group,
	// so the program gets SIGTERM without exec
	if a.trapTERM || r.Init == "dumb-init" {
		kept := r.Findings[:0]
		for _, fd := range r.Findings {
			if fd.Kind != "no-exec" {
				kept = append(kept, fd)
			}
		}
		r.Findings = kept
	}
	sortFindings(r.Findings)
	return r
}

type epAnalysis struct {
	funcs    map[string]*syntax.FuncDecl
	trapTERM bool
	report   *EntrypointReport
}

// collect finds the function definitions and the traps on TERM.
func (a *epAnalysis) collect(f *syntax.File) {
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			a.funcs[n.Name.Value] = n
		case *syntax.CallExpr:
			if len(n.Args) > 1 && n.Args[0].Lit() == "trap" {
				for _, w := range n.Args[2:] {
					switch strings.TrimPrefix(strings.ToUpper(w.Lit()), "SIG") {
					case "TERM", "15":
						a.trapTERM = true
					}
				}
			}
		}
		return true
	})
}

// args records the uses of the arguments. Uses inside a function body count
// only when the function is called with all the script's arguments, directly
// or through another such function.
func (a *epAnalysis) args(f *syntax.File) {
	type uses struct{ all, single []int }
	scan := func(n syntax.Node, skipFuncs bool) (u uses, calls map[string]bool) {
		calls = map[string]bool{}
		syntax.Walk(n, func(n syntax.Node) bool {
			switch n := n.(type) {
			case *syntax.FuncDecl:
				return !skipFuncs
			case *syntax.ParamExp:
				if n.Param == nil {
					return true
				}
				line := int(n.Pos().Line())
				switch v := n.Param.Value; {
				case v == "@" || v == "*":
					u.all = append(u.all, line)
				case v == "#", isDigits(v):
					u.single = append(u.single, line)
				}
			case *syntax.CallExpr:
				if len(n.Args) == 0 {
					return true
				}
				name := n.Args[0].Lit()
				if name == "shift" || name == "getopts" {
					u.single = append(u.single, int(n.Pos().Line()))
				}
				if _, ok := a.funcs[name]; ok {
					for _, w := range n.Args[1:] {
						if wordUsesAll(w) {
							calls[name] = true
						}
					}
				}
			}
			return true
		})
		return u, calls
	}
	top, calls := scan(f, true)
	all, single := top.all, top.single
	// a top-level "set -- words" that does not keep "$@" replaces the
	// arguments: uses after it read the new ones
	if line := discardingSet(f.Stmts); line > 0 {
		before := func(xs []int) []int {
			var out []int
			for _, x := range xs {
				if x < line {
					out = append(out, x)
				}
			}
			return out
		}
		all, single = before(all), before(single)
		a.report.DiscardLine = line
		for name := range calls {
			delete(calls, name) // conservative: whether a call comes before it is not tracked
			all = append(all, line)
		}
	}
	// functions reached with the script's arguments, to a fixed point
	done := map[string]bool{}
	for changed := true; changed; {
		changed = false
		for name := range calls {
			if done[name] {
				continue
			}
			done[name] = true
			changed = true
			u, more := scan(a.funcs[name].Body, true)
			all = append(all, u.all...)
			single = append(single, u.single...)
			for m := range more {
				calls[m] = true
			}
		}
	}
	a.report.ArgsLines = uniqueSorted(all)
	a.report.PositionalLines = uniqueSorted(single)
}

// discardingSet returns the line of the last top-level "set -- ..." whose
// words do not use "$@" or $*, 0 if there is none.
func discardingSet(stmts []*syntax.Stmt) int {
	line := 0
	for _, st := range stmts {
		ce, ok := st.Cmd.(*syntax.CallExpr)
		if !ok || len(ce.Args) < 2 || ce.Args[0].Lit() != "set" || ce.Args[1].Lit() != "--" {
			continue
		}
		keeps := false
		for _, w := range ce.Args[2:] {
			keeps = keeps || wordUsesAll(w)
		}
		if !keeps {
			line = int(st.Pos().Line())
		}
	}
	return line
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != "0"
}

func wordUsesAll(w *syntax.Word) bool {
	found := false
	syntax.Walk(w, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil && (pe.Param.Value == "@" || pe.Param.Value == "*") {
			found = true
		}
		return !found
	})
	return found
}

// epQuiet are commands whose place as the last step is no exec problem:
// builtins (exec cannot run them), and keep-alive programs, which as PID 1
// would ignore SIGTERM just the same.
var epQuiet = map[string]bool{
	":": true, ".": true, "source": true, "true": true, "false": true, "echo": true, "printf": true,
	"set": true, "export": true, "unset": true, "cd": true, "shift": true, "trap": true, "test": true,
	"[": true, "[[": true, "read": true, "local": true, "return": true, "exit": true, "eval": true,
	"wait": true, "sleep": true, "tail": true, "readonly": true, "umask": true, "ulimit": true,
	"kill": true, "command": true, "let": true, "declare": true, "typeset": true, "break": true, "continue": true,
}

// tail judges the last step of a statement list.
func (a *epAnalysis) tail(stmts []*syntax.Stmt, depth int) {
	if depth > 8 {
		return
	}
	// the last statement that runs: skip definitions, and a final exit or
	// return (the step before it is the main one)
	i := len(stmts) - 1
	for ; i >= 0; i-- {
		st := stmts[i]
		if _, ok := st.Cmd.(*syntax.FuncDecl); ok {
			continue
		}
		if ce, ok := st.Cmd.(*syntax.CallExpr); ok && len(ce.Args) > 0 {
			if n := ce.Args[0].Lit(); n == "exit" || n == "return" {
				continue
			}
		}
		break
	}
	if i < 0 {
		return
	}
	st := stmts[i]
	if st.Background || st.Negated || st.Coprocess {
		return
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Args) == 0 {
			return
		}
		name := c.Args[0].Lit()
		if name == "exec" {
			if len(c.Args) > 1 {
				a.report.ExecLines = append(a.report.ExecLines, int(st.Pos().Line()))
			}
			return
		}
		if fn, ok := a.funcs[name]; ok {
			if b, ok := fn.Body.Cmd.(*syntax.Block); ok {
				a.tail(b.Stmts, depth+1)
			}
			return
		}
		if epQuiet[name] {
			return
		}
		shown := name
		if shown == "" {
			var sb strings.Builder
			syntax.NewPrinter().Print(&sb, c.Args[0])
			shown = sb.String()
		}
		msg := fmt.Sprintf("the last step runs %s without exec: the shell stays PID 1 and does not pass docker stop's SIGTERM on, so %s is killed after the grace period (use exec %s)", shown, shown, shown)
		if a.report.Init == "tini" {
			msg = fmt.Sprintf("the last step runs %s without exec: tini passes docker stop's SIGTERM to the shell only, which exits without passing it on, and %s is killed when the container stops (use exec %s)", shown, shown, shown)
		}
		a.report.Findings = append(a.report.Findings, EntrypointFinding{
			Line: int(st.Pos().Line()), Kind: "no-exec", Command: shown, Message: msg,
		})
	case *syntax.IfClause:
		for ic := c; ic != nil; ic = ic.Else {
			a.tail(ic.Then, depth+1)
		}
	case *syntax.CaseClause:
		for _, it := range c.Items {
			a.tail(it.Stmts, depth+1)
		}
	case *syntax.Block:
		a.tail(c.Stmts, depth+1)
	case *syntax.BinaryCmd:
		switch c.Op {
		case syntax.AndStmt:
			a.tail([]*syntax.Stmt{c.Y}, depth+1)
		case syntax.OrStmt:
			a.tail([]*syntax.Stmt{c.X}, depth+1)
		}
	}
}

func uniqueSorted(xs []int) []int {
	slices.Sort(xs)
	return slices.Compact(xs)
}

func sortFindings(fs []EntrypointFinding) {
	slices.SortStableFunc(fs, func(a, b EntrypointFinding) int { return a.Line - b.Line })
}

// epBuiltins are the commands dash, bash and BusyBox sh run themselves:
// exec cannot run them (or runs a different program of the same name).
var epBuiltins = map[string]bool{
	".": true, ":": true, "[": true, "[[": true, "alias": true, "bg": true, "break": true, "builtin": true,
	"cd": true, "command": true, "continue": true, "declare": true, "echo": true, "eval": true,
	"exec": true, "exit": true, "export": true, "false": true, "fc": true, "fg": true, "getopts": true,
	"hash": true, "jobs": true, "kill": true, "let": true, "local": true, "printf": true, "pwd": true,
	"read": true, "readonly": true, "return": true, "set": true, "shift": true, "source": true,
	"test": true, "times": true, "trap": true, "true": true, "type": true, "typeset": true,
	"ulimit": true, "umask": true, "unalias": true, "unset": true, "wait": true,
}

// ExecLastCommand puts "exec" before the last command of an "sh -c" string
// such as "migrate && gunicorn app", so that the program replaces the shell
// (and, as the container's main process, receives docker stop's SIGTERM).
//
// Only the last simple command of the top-level list is rewritten, and only
// when it is reached through ";" and "&&" alone. It refuses, with a reason,
// when that command is in a pipeline, a subshell, a compound command or the
// background, is negated or on the left of "||", is a builtin or a function,
// has a name only known when the shell runs, or when the string sets a trap
// (exec would drop it: an EXIT trap would no longer run). Redirections and
// variable assignments before the command are kept and apply to the exec'd
// program as they applied to the command.
//
// script must be the command string itself: in ["bash", "-c", "-l"] the
// third word is an option and is refused; the caller finds the string after
// the shell's options.
//
// What it changes: dash (Debian's and Ubuntu's /bin/sh) forks the last command
// and waits, so the shell stays the parent; bash 5.1 and later and BusyBox sh
// already exec the last command of a -c string, where the fix changes
// nothing. A command that is not found exits 127 either way; the error line
// then says "exec: NAME: not found".
func ExecLastCommand(script string) (newScript string, ok bool, reason string) {
	f, err := Parse(script, syntax.LangPOSIX)
	if err != nil {
		return "", false, fmt.Sprintf("the command does not parse as POSIX shell: %v", err)
	}
	if len(f.Stmts) == 0 {
		return "", false, "the command is empty"
	}
	funcs := map[string]bool{}
	trap := false
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			funcs[n.Name.Value] = true
		case *syntax.CallExpr:
			if len(n.Args) > 0 && n.Args[0].Lit() == "trap" {
				trap = true
			}
		}
		return true
	})
	if trap {
		return "", false, "the command sets a trap, which exec would drop"
	}
	st := f.Stmts[len(f.Stmts)-1]
	for {
		if st.Background {
			return "", false, "the last command runs in the background"
		}
		if st.Negated {
			return "", false, "the last command is negated with !"
		}
		bc, isBin := st.Cmd.(*syntax.BinaryCmd)
		if !isBin {
			break
		}
		switch bc.Op {
		case syntax.AndStmt:
			st = bc.Y
		case syntax.OrStmt:
			return "", false, "the last command is part of an || list, whose other side would no longer run after exec"
		default:
			return "", false, "the last command is in a pipeline"
		}
	}
	ce, isCall := st.Cmd.(*syntax.CallExpr)
	if !isCall {
		switch st.Cmd.(type) {
		case *syntax.Subshell:
			return "", false, "the last command is in a subshell"
		case *syntax.FuncDecl:
			return "", false, "the command ends with a function definition"
		}
		return "", false, "the last command is a compound command (if, case, loop or block)"
	}
	if len(ce.Args) == 0 {
		return "", false, "the last command only sets variables or redirects"
	}
	for _, r := range st.Redirs {
		if r.N != nil && strings.HasPrefix(r.N.Value, "{") {
			return "", false, "the last command opens a named file descriptor"
		}
	}
	name := ce.Args[0].Lit()
	switch {
	case strings.HasPrefix(name, "-"):
		return "", false, name + " is an option, not a command: the shell takes the command string from a later argument"
	case name == "exec":
		return "", false, "the last command already uses exec"
	case name == "":
		if !wordUsesAll(ce.Args[0]) {
			return "", false, "the last command's name is only known when the shell runs (it may be a builtin or a function)"
		}
		return "", false, `the last command is "$@", whose name is only known when the shell runs`
	case funcs[name]:
		return "", false, name + " is a function defined in the command"
	case epBuiltins[name]:
		return "", false, name + " is a shell builtin, which exec cannot run"
	}
	off := ce.Args[0].Pos().Offset()
	return script[:off] + "exec " + script[off:], true, fmt.Sprintf("%s replaces the shell instead of running as its child, so it receives the signals sent to the shell's process", name)
}
