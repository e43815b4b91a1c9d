package shell

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// Shells is a set of /bin/sh implementations found in container images.
type Shells uint8

const (
	// ShellDash is dash, /bin/sh of Debian and Ubuntu images.
	ShellDash Shells = 1 << iota
	// ShellAsh is busybox ash (busybox sh), /bin/sh of Alpine and busybox images.
	ShellAsh
	// ShellBash is bash, /bin/sh of Fedora, RHEL, Amazon Linux and Arch images
	// (started as sh, in posix mode).
	ShellBash
)

// String lists the shells of s by name ("dash, busybox ash, bash").
func (s Shells) String() string {
	var names []string
	for _, x := range []struct {
		s    Shells
		name string
	}{{ShellDash, "dash"}, {ShellAsh, "busybox ash"}, {ShellBash, "bash"}} {
		if s&x.s != 0 {
			names = append(names, x.name)
		}
	}
	if len(names) == 0 {
		return "no shell"
	}
	return strings.Join(names, ", ")
}

// Programs says in which images a standalone program with a builtin's name
// is usually found on Docker's default PATH.
type Programs uint8

const (
	// DebianBase: a program in an Essential Debian package (coreutils), so
	// in every Debian and Ubuntu image.
	DebianBase Programs = 1 << iota
	// DebianOptional: a program of a Debian package that base images do
	// not install (kill is in procps).
	DebianOptional
	// BusyboxApplet: a busybox applet, linked into /bin or /usr/bin of
	// Alpine and busybox images.
	BusyboxApplet
)

// BuiltinInfo describes one command name that a shell runs itself.
type BuiltinInfo struct {
	// Name is the command name.
	Name string
	// Shells are the shells that have Name as a builtin (as listed by
	// dash's `command -V`, `busybox sh -c help` and bash's `compgen -b`).
	Shells Shells
	// Keyword are the shells that treat Name as a reserved word, not a
	// command ("[[" in bash).
	Keyword Shells
	// Special is true for POSIX special builtins (exit, export, set, ...):
	// an error in one exits a non-interactive shell.
	Special bool
	// Programs says where a standalone program of the same name usually
	// exists. Zero means none in Debian or Alpine images, so exec form
	// fails to start ("executable file not found in $PATH").
	Programs Programs
}

// builtinTable was derived from the shells themselves (dash 0.5.12 and bash
// 5.2.15 of Debian 12, busybox 1.35.0):
//
//	dash:    for c in ...; do command -V $c; done ("is a (special) shell builtin")
//	busybox: busybox sh -c help; busybox --list (applets)
//	bash:    compgen -b (builtins), compgen -k (keywords)
//
// and which programs exist from `which -a NAME` on Docker's default PATH of
// a Debian 12 system plus `dpkg -S` (coreutils is Essential, procps is not).
var builtinTable = func() map[string]BuiltinInfo {
	const all = ShellDash | ShellAsh | ShellBash
	m := map[string]BuiltinInfo{}
	add := func(sh Shells, special bool, progs Programs, names ...string) {
		for _, n := range names {
			m[n] = BuiltinInfo{Name: n, Shells: sh, Special: special, Programs: progs}
		}
	}
	// POSIX special builtins, in all three shells. dash also calls local
	// special.
	add(all, true, 0, ".", ":", "break", "continue", "eval", "exec", "exit", "export",
		"readonly", "return", "set", "shift", "times", "trap", "unset")
	// Regular builtins with no program in Debian or Alpine images.
	add(all, false, 0, "alias", "bg", "cd", "command", "fg", "getopts", "hash", "jobs",
		"local", "read", "type", "ulimit", "umask", "unalias", "wait")
	// Regular builtins that also exist as programs everywhere.
	add(all, false, DebianBase|BusyboxApplet, "[", "echo", "false", "printf", "pwd", "test", "true")
	add(all, false, DebianOptional|BusyboxApplet, "kill")
	// Not in dash.
	add(ShellDash|ShellAsh, false, 0, "chdir")
	add(ShellAsh|ShellBash, false, 0, "help", "history", "let", "source")
	add(ShellBash, false, 0, "bind", "builtin", "caller", "compgen", "complete", "compopt",
		"declare", "dirs", "disown", "enable", "fc", "logout", "mapfile", "popd", "pushd",
		"readarray", "shopt", "suspend", "typeset")
	m["[["] = BuiltinInfo{Name: "[[", Shells: ShellAsh, Keyword: ShellBash, Programs: BusyboxApplet}
	return m
}()

// reserved are the words that dash, busybox ash or bash read as syntax in
// command position (POSIX reserved words plus bash's keywords, from
// `compgen -k`).
var keywordNames = map[string]bool{
	"!": true, "{": true, "}": true, "case": true, "do": true, "done": true, "elif": true,
	"else": true, "esac": true, "fi": true, "for": true, "if": true, "in": true, "then": true,
	"until": true, "while": true, "[[": true, "]]": true, "function": true, "select": true,
	"time": true, "coproc": true,
}

// Builtin returns what is known about name as a builtin of dash, busybox
// ash or bash, and false when no such shell has a builtin of that name.
func Builtin(name string) (BuiltinInfo, bool) {
	b, ok := builtinTable[name]
	return b, ok
}

// Builtins returns every known builtin, sorted by name.
func Builtins() []BuiltinInfo {
	out := make([]BuiltinInfo, 0, len(builtinTable))
	for _, b := range builtinTable {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// ExecEquivalent reports whether running argv through execve with a PATH
// lookup (exec form, `CMD ["a", "b"]`) does the same as `/bin/sh -c` running
// the same words (shell form, `CMD a b`), as far as the shell's builtins are
// concerned: same exit status, standard output and standard error under
// dash, busybox ash and bash as sh, against the programs of Debian and
// Alpine images. It answers only for the first word; quoting, expansions
// and operators are the caller's business. When ok is false, reason says
// why in a sentence that can be shown to a user.
//
// It is conservative: a builtin whose program behaves the same only for
// some arguments is equivalent only for arguments measured to behave the
// same (see builtin_behaviour_test.go).
//
// A name that is no builtin is equivalent here, which holds where busybox
// sh looks its commands up in PATH: Debian's busybox (measured: with an
// empty PATH, `ls` is "not found") and Alpine's, whose configuration
// (aports main/busybox/busyboxconfig, as read) leaves FEATURE_SH_STANDALONE
// and FEATURE_SH_NOFORK off. The official busybox image is built from
// busybox's defconfig with a few changes (docker-library/busybox); that
// defconfig was not checked here. A busybox built with FEATURE_SH_STANDALONE
// runs applet names in-process even where PATH has another program of
// that name.
func ExecEquivalent(argv []string) (ok bool, reason string) {
	if len(argv) == 0 {
		return false, "there is no command"
	}
	name, args := argv[0], argv[1:]
	if strings.Contains(name, "/") {
		// A path is never looked up as a builtin or in PATH.
		return true, ""
	}
	b, isBuiltin := builtinTable[name]
	switch {
	case name == "[[":
		return false, "`[[` is a bash keyword and a busybox ash builtin (dash has neither); exec form runs a program named `[[`, which only busybox images have"
	case name == "time":
		return false, "`time` is a bash keyword (bash times the command itself); exec form runs a program named `time`, which Debian images do not have"
	case keywordNames[name]:
		return false, fmt.Sprintf("`%s` is a reserved word of the shell, not a command; exec form would look for a program named `%s`", clipMsg(name), clipMsg(name))
	}
	if !isBuiltin {
		return true, ""
	}
	if b.Programs == 0 {
		return false, fmt.Sprintf("`%s` is a shell builtin (%s): there is no `%s` program in Debian or Alpine images, so the container would fail to start (executable file not found in $PATH)", clipMsg(name), b.Shells, clipMsg(name))
	}
	switch name {
	case "kill":
		return false, "`kill` is a shell builtin: Debian images have no `kill` program unless procps is installed, and procps' `kill` lists signals (`kill -l`) and reports errors differently from dash's and bash's builtins"
	case "echo":
		return echoEquivalent(args)
	case "printf":
		return printfEquivalent(args)
	case "true", "false":
		for _, a := range args {
			if strings.HasPrefix(a, "-") {
				return false, fmt.Sprintf("`%s %s`: the builtin ignores its arguments, but coreutils' `%s` prints its help or version for --help and --version", name, clipMsg(a), name)
			}
		}
		return true, ""
	case "pwd":
		// The shell sets PWD from getcwd at start; exec form has no PWD, so
		// /bin/pwd -L falls back to getcwd as well.
		for _, a := range args {
			if a != "-L" && a != "-P" {
				return false, fmt.Sprintf("`pwd %s`: the builtin and /bin/pwd read this argument differently", clipMsg(a))
			}
		}
		return true, ""
	case "test", "[":
		return testEquivalent(name, args)
	}
	return false, fmt.Sprintf("`%s` is a shell builtin that behaves differently from the `%s` program", clipMsg(name), clipMsg(name))
}

// echoEquivalent accepts echo without backslashes, whose first argument is
// -n (which every echo reads) or is not an option to any echo.
func echoEquivalent(args []string) (bool, string) {
	for i, a := range args {
		if strings.Contains(a, `\`) {
			return false, fmt.Sprintf("`echo` with a backslash in `%s`: dash's builtin interprets backslash escapes, /bin/echo (coreutils, busybox) prints them", clipMsg(a))
		}
		if i == 0 && a == "-n" {
			continue
		}
		if (i == 0 || i == 1 && args[0] == "-n") && echoOption(a) {
			return false, fmt.Sprintf("`echo %s` is an option to /bin/echo (coreutils, busybox) but printed by dash's builtin, which reads only a first -n", clipMsg(a))
		}
	}
	return true, ""
}

// echoOption reports whether some echo reads a as an option: a run of the
// letters n, e and E after one dash, or --help and --version (coreutils).
func echoOption(a string) bool {
	if a == "--help" || a == "--version" {
		return true
	}
	if len(a) < 2 || a[0] != '-' {
		return false
	}
	return strings.Trim(a[1:], "neE") == ""
}

// printfEquivalent accepts a format whose only conversions are %s and %%
// and whose only escapes are \n, \t and \\, with at least one %s when
// arguments follow (coreutils warns about ignored arguments).
func printfEquivalent(args []string) (bool, string) {
	if len(args) == 0 {
		return false, "`printf` without a format: the builtin and the program print different usage errors"
	}
	f := args[0]
	if strings.HasPrefix(f, "-") {
		return false, fmt.Sprintf("`printf %s`: a format starting with - is read as an option by some printf programs", clipMsg(f))
	}
	convs := 0
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case '\\':
			if i+1 >= len(f) || !strings.ContainsRune(`nt\`, rune(f[i+1])) {
				return false, fmt.Sprintf("`printf` format `%s`: escapes other than \\n, \\t and \\\\ differ between dash's builtin (no \\u, no \\x) and the printf programs", clipMsg(f))
			}
			i++
		case '%':
			if i+1 < len(f) && f[i+1] == '%' {
				i++
				continue
			}
			if i+1 < len(f) && f[i+1] == 's' {
				convs++
				i++
				continue
			}
			return false, fmt.Sprintf("`printf` format `%s`: conversions other than %%s differ between dash's builtin (no %%q, other errors for bad numbers) and the printf programs", clipMsg(f))
		}
	}
	for _, a := range args[1:] {
		if strings.Contains(a, `\`) && strings.Contains(f, "%b") {
			return false, "`printf %b` reads backslashes in its argument differently in each printf"
		}
	}
	if convs == 0 && len(args) > 1 {
		return false, fmt.Sprintf("`printf %s` with arguments but no `%%s`: coreutils' printf warns about the ignored arguments on standard error, the builtins do not", clipMsg(f))
	}
	return true, ""
}

// unaryTests are test operators on one operand that dash, busybox and
// coreutils implement alike (measured).
var unaryTests = map[string]bool{
	"-n": true, "-z": true, "-e": true, "-f": true, "-d": true, "-r": true, "-w": true,
	"-x": true, "-s": true, "-L": true, "-h": true, "-b": true, "-c": true, "-p": true, "-S": true,
	"-t": true, "-u": true, "-g": true, "-k": true,
}

var binaryTests = map[string]bool{"=": true, "!=": true, "-a": true, "-o": true, "-nt": true, "-ot": true, "-ef": true}

var intTests = map[string]bool{"-eq": true, "-ne": true, "-gt": true, "-ge": true, "-lt": true, "-le": true}

// testEquivalent accepts the forms of test and [ whose result POSIX fixes
// by the number of operands (up to three) and whose operators all three
// shells and coreutils implement alike. Anything else, and every malformed
// expression (whose error messages differ), is refused.
func testEquivalent(name string, args []string) (bool, string) {
	expr := args
	if name == "[" {
		if len(args) == 0 || args[len(args)-1] != "]" {
			return false, "`[` without a closing `]`: the builtin and the program report the error differently"
		}
		expr = args[:len(args)-1]
	}
	bad := func(why string) (bool, string) {
		return false, fmt.Sprintf("`%s %s`: %s", name, clipMsg(strings.Join(expr, " ")), why)
	}
	switch len(expr) {
	case 0:
		return true, ""
	case 1:
		// coreutils' [ prints its help only for `[ --help` without the
		// closing bracket, refused above.
		return true, ""
	case 2:
		if expr[0] == "!" {
			return true, ""
		}
		if unaryTests[expr[0]] {
			return true, ""
		}
		return bad("not a unary test that every test implements alike")
	case 3:
		if binaryTests[expr[1]] {
			return true, ""
		}
		if intTests[expr[1]] {
			if isSmallInt(expr[0]) && isSmallInt(expr[2]) {
				return true, ""
			}
			return bad("a numeric comparison of operands that are not plain integers: the error messages differ")
		}
		if expr[0] == "!" && unaryTests[expr[1]] {
			return true, ""
		}
		if expr[0] == "(" && expr[2] == ")" {
			return true, ""
		}
		return bad("not a binary test that every test implements alike")
	}
	return bad("expressions of four or more operands are parsed differently by the builtins and the programs")
}

func isSmallInt(s string) bool {
	t := strings.TrimPrefix(s, "-")
	if t == "" || len(t) > 9 {
		return false
	}
	for _, c := range t {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// clipMsg shortens s for a message, and quotes it Go-style when it holds a
// control character such as a newline, so a message stays on one line.
func clipMsg(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}
