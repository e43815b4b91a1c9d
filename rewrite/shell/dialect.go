package shell

import (
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// A Dialect is how a program reads a command line given to it as text: the
// shell-form text of RUN, CMD, ENTRYPOINT and HEALTHCHECK, which Docker
// appends to the SHELL in effect (or /bin/sh -c, or cmd /S /C on Windows).
type Dialect uint8

const (
	// Unknown is any program cmdfix cannot read: its text must stay
	// exactly as written.
	Unknown Dialect = iota
	// POSIX is sh as dash and busybox ash read it.
	POSIX
	Bash
	Korn // ksh, mksh
	Zsh
	// Cmd is cmd.exe. It keeps runs of blanks (echo and set print them),
	// so none of its text may change.
	Cmd
	// PowerShell is powershell.exe or pwsh. Its text must not change
	// either; in it, ['a', 'b'] is an array expression, not a program.
	PowerShell
)

func (d Dialect) String() string {
	switch d {
	case POSIX:
		return "POSIX sh"
	case Bash:
		return "bash"
	case Korn:
		return "ksh"
	case Zsh:
		return "zsh"
	case Cmd:
		return "cmd.exe"
	case PowerShell:
		return "PowerShell"
	}
	return "unknown"
}

// SplitsWords reports a Bourne-family shell: it reads the text as shell
// syntax in which any run of blanks between words is one separator.
func (d Dialect) SplitsWords() bool { return d >= POSIX && d <= Zsh }

// optionC matches a cluster of short options that includes -c.
var optionC = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^-[A-Za-z]*c[A-Za-z]*$`)
})

// DialectOf returns how the program that argv starts (the words of an
// exec-form SHELL) reads the command text appended to argv. A shell counts
// only when it is told to read that text as a command (-c, /C, -Command);
// otherwise the text would be the name of a script to run, and the dialect
// is Unknown. POSIX shell names count as on Linux (case matters, no .exe);
// Windows programs are matched without case or .exe, as Windows finds
// them. busybox counts when it runs its sh or ash.
func DialectOf(argv []string) Dialect {
	if len(argv) < 2 {
		return Unknown
	}
	prog, opts := programName(argv[0]), argv[1:]
	if prog == "busybox" && len(argv) > 2 {
		prog, opts = argv[1], argv[2:]
	}
	var d Dialect
	switch prog {
	case "sh", "dash", "ash":
		d = POSIX
	case "bash":
		d = Bash
	case "ksh", "mksh":
		d = Korn
	case "zsh":
		d = Zsh
	}
	if d != Unknown {
		if slices.ContainsFunc(opts, optionC().MatchString) {
			return d
		}
		return Unknown
	}
	switch strings.TrimSuffix(strings.ToLower(prog), ".exe") {
	case "cmd":
		if slices.ContainsFunc(opts, func(o string) bool { return strings.EqualFold(o, "/c") }) {
			return Cmd
		}
	case "powershell", "pwsh":
		if slices.ContainsFunc(opts, func(o string) bool {
			o = strings.ToLower(o)
			return len(o) >= 2 && strings.HasPrefix("-command", o)
		}) {
			return PowerShell
		}
	}
	return Unknown
}

// programName returns the last element of a program path written with
// either slash.
func programName(p string) string {
	return path.Base(strings.ReplaceAll(p, `\`, "/"))
}

// SameText reports whether two command lines are the same program to a
// shell of dialect d: both parse to syntax trees (as mvdan.cc/sh reads
// them) that print the same. For POSIX sh that must hold as Bash and,
// where either parses so, as POSIX sh too. For sh and bash, text that
// differs only in blank runs between tokens is answered with one parse.
// Any other dialect accepts no difference.
func SameText(a, b string, d Dialect) bool {
	switch d {
	case Bash:
		return OnlySeparatorsDiffer(a, b) || sameProgram(a, b, syntax.LangBash)
	case Korn:
		return sameProgram(a, b, syntax.LangMirBSDKorn)
	case Zsh:
		return sameProgram(a, b, syntax.LangZsh)
	case POSIX:
		if OnlySeparatorsDiffer(a, b) {
			return true
		}
		if !sameProgram(a, b, syntax.LangBash) {
			return false
		}
		pa, okA := Print(a, syntax.LangPOSIX)
		pb, okB := Print(b, syntax.LangPOSIX)
		return okA == okB && pa == pb
	}
	return false
}

func sameProgram(a, b string, lang syntax.LangVariant) bool {
	pa, ok := Print(a, lang)
	if !ok {
		return false
	}
	pb, ok := Print(b, lang)
	return ok && pa == pb
}

// Print parses src as lang and prints it back in mvdan.cc/sh's canonical
// form, to compare programs. It reports false when src does not parse.
func Print(src string, lang syntax.LangVariant) (string, bool) {
	f, err := Parse(src, lang)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, f); err != nil {
		return "", false
	}
	return b.String(), true
}

// Parse parses src as one shell language, keeping comments. Parsers are
// pooled: a new one allocates kilobytes of buffers, and the rules and the
// safety net parse every shell text of a file once or twice (each Parse
// starts afresh, and the syntax tree it returns is newly allocated).
func Parse(src string, lang syntax.LangVariant) (*syntax.File, error) {
	var pool *sync.Pool
	switch lang {
	case syntax.LangBash:
		pool = &bashParsers
	case syntax.LangPOSIX:
		pool = &posixParsers
	default:
		return syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true)).Parse(strings.NewReader(src), "")
	}
	p, _ := pool.Get().(*syntax.Parser)
	if p == nil {
		p = syntax.NewParser(syntax.Variant(lang), syntax.KeepComments(true))
	}
	defer pool.Put(p)
	return p.Parse(strings.NewReader(src), "")
}

var bashParsers, posixParsers sync.Pool
