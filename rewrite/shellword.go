package rewrite

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// Deciding whether a shell command line can be written as an exec-form array
// without changing what runs. The text is parsed with mvdan.cc/sh as POSIX sh
// (dash, busybox ash) and as Bash (/bin/sh on RHEL, Fedora and Amazon Linux),
// and accepted only when both read it as the same single simple command whose
// words are literal after quote removal. Anything the shell would expand,
// redirect, join or interpret is a rejection with a reason naming the
// offending text. See ../shared/notes/api-notes.md, section C.

// SimpleCommand is a shell command line that is exactly one simple command
// of literal words.
type SimpleCommand struct {
	// Words are the command's words after quote removal, exactly as the
	// shell passes them to the program (a leading "exec" included).
	Words []string
	// Comment is a trailing comment from its '#' to the end ("" if none).
	// The shell ignores it; a rewrite keeps it on a line of its own.
	Comment string
}

// rejection is why a command line cannot become exec form: kind groups
// reasons for reports, msg names the offending text for users.
type rejection struct {
	kind string
	msg  string
}

// Kinds of rejections, used to group the corpus report.
const (
	rejectEncoding  = "not valid UTF-8 or holds NUL"
	rejectSyntax    = "shell syntax error"
	rejectEmpty     = "no command"
	rejectOperator  = "operator or list (&&, ||, |, ;, &, !)"
	rejectCompound  = "compound command or shell keyword"
	rejectRedirect  = "redirection"
	rejectAssign    = "variable assignment"
	rejectExpansion = "expansion ($, `, ~)"
	rejectGlob      = "glob or brace pattern"
	rejectQuoting   = "quoting the shells read differently"
	rejectComment   = "comment not at the end"
	rejectDisagree  = "POSIX sh and bash disagree"
	rejectBuiltin   = "shell builtin with no program"
	rejectEcho      = "echo that depends on the shell"
	rejectExecOpt   = "exec with options or no program"
	rejectProgram   = "program name not usable"
)

func reject(kind, format string, args ...any) *rejection {
	return &rejection{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// ShellWords reports whether cmd is exactly one simple command of literal
// words under both POSIX sh and Bash, and returns its words and trailing
// comment. Otherwise it returns a non-empty reason naming the word or
// operator that needs the shell, such as "`$PORT` needs the shell to expand
// it". The words equal what mvdan.cc/sh/v3/expand.Fields yields for the
// command in an empty environment.
func ShellWords(cmd string) (SimpleCommand, string) {
	sc, rej := literalWords(cmd)
	if rej != nil {
		return SimpleCommand{}, rej.msg
	}
	return sc, ""
}

// ExecArgv returns the exec-form argv that runs what the shell would run for
// cmd: ShellWords with a leading "exec" dropped, refusing programs that
// exist only inside the shell (builtins such as cd or export) and echo
// calls whose output depends on which echo runs. reason is non-empty when
// cmd must stay in shell form.
func ExecArgv(cmd string) (argv []string, comment string, reason string) {
	argv, comment, rej := execArgv(cmd)
	if rej != nil {
		return nil, "", rej.msg
	}
	return argv, comment, ""
}

func execArgv(cmd string) ([]string, string, *rejection) {
	sc, rej := literalWords(cmd)
	if rej != nil {
		return nil, "", rej
	}
	argv := sc.Words
	if argv[0] == "exec" {
		switch {
		case len(argv) == 1:
			return nil, "", reject(rejectExecOpt, "`exec` without a program only changes the shell itself")
		case strings.HasPrefix(argv[1], "-"):
			return nil, "", reject(rejectExecOpt, "`exec %s` passes an option to exec, which exec form cannot express", clip(argv[1]))
		}
		argv = argv[1:]
	}
	if rej := checkProgram(argv); rej != nil {
		return nil, "", rej
	}
	return argv, sc.Comment, nil
}

// checkProgram refuses argv whose program exists only in the shell, or
// behaves differently as a program than as the shell's builtin.
func checkProgram(argv []string) *rejection {
	prog := argv[0]
	switch {
	case prog == "":
		return reject(rejectProgram, "the program name is empty")
	case strings.HasPrefix(prog, "-"):
		return reject(rejectProgram, "the program name `%s` starts with `-`", clip(prog))
	case noBinaryBuiltins()[prog]:
		return reject(rejectBuiltin, "`%s` is a shell builtin with no program to run", prog)
	case prog == "echo":
		for i, a := range argv[1:] {
			if strings.Contains(a, `\`) {
				return reject(rejectEcho, "`echo` with a backslash in `%s` prints differently in dash's builtin and in /bin/echo", clip(a))
			}
			if i == 0 && strings.HasPrefix(a, "-") {
				return reject(rejectEcho, "`echo %s` is an option to /bin/echo but printed by dash's builtin", clip(a))
			}
		}
	}
	return nil
}

// noBinaryBuiltins are commands that exist only inside the shell (dash and
// bash), so exec form cannot run them; measured on Debian 12 (notes C.4)
// plus bash's own builtins. Some distributions ship wrapper scripts for a
// few of them, which are useless as a container's command.
var noBinaryBuiltins = sync.OnceValue(func() map[string]bool {
	return setOf(
		".", ":", "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command",
		"compgen", "complete", "compopt", "continue", "declare", "dirs", "disown",
		"enable", "eval", "exec", "exit", "export", "fc", "fg", "getopts", "hash",
		"help", "history", "jobs", "let", "local", "logout", "mapfile", "popd",
		"pushd", "read", "readarray", "readonly", "return", "set", "shift", "shopt",
		"source", "suspend", "times", "trap", "type", "typeset", "ulimit", "umask",
		"unalias", "unset", "wait",
	)
})

// shellBuiltins are the builtins of dash and bash that do have a program of
// the same name; exec form runs the program instead, which can differ.
var shellBuiltins = sync.OnceValue(func() map[string]bool {
	return setOf("echo", "printf", "test", "[", "true", "false", "kill", "pwd", "newgrp")
})

// reservedWords are words the shell treats as syntax in command position:
// POSIX reserved words, bash keywords, and brace/bang tokens.
var reservedWords = sync.OnceValue(func() map[string]bool {
	return setOf(
		"!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if",
		"in", "then", "until", "while", "[[", "]]", "function", "select", "time", "coproc",
	)
})

func setOf(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// isControl reports ASCII control characters other than tab and newline
// (which the shell parser reads as the shell does).
func isControl(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f }

func literalWords(cmd string) (SimpleCommand, *rejection) {
	if !utf8.ValidString(cmd) {
		return SimpleCommand{}, reject(rejectEncoding, "the text is not valid UTF-8")
	}
	if strings.IndexByte(cmd, 0) >= 0 {
		return SimpleCommand{}, reject(rejectEncoding, "the text contains a NUL byte")
	}
	if i := strings.IndexFunc(cmd, isControl); i >= 0 {
		// mvdan.cc/sh reads a carriage return as a blank; dash and bash
		// read it (and other control characters) as part of a word.
		return SimpleCommand{}, reject(rejectEncoding, "the text contains the control character %q", cmd[i:i+1])
	}
	posix, rej := literalCommand(cmd, syntax.LangPOSIX)
	if rej != nil {
		return SimpleCommand{}, rej
	}
	bash, rej := literalCommand(cmd, syntax.LangBash)
	if rej != nil {
		return SimpleCommand{}, rej
	}
	if !slices.Equal(posix.Words, bash.Words) || posix.Comment != bash.Comment {
		return SimpleCommand{}, reject(rejectDisagree, "POSIX sh and bash read it differently")
	}
	return posix, nil
}

// parseShell parses src as one shell language, keeping comments.
func parseShell(src string, lang syntax.LangVariant) (*syntax.File, error) {
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

// Parsers for reuse (each Parse starts afresh, and the syntax tree it
// returns is newly allocated): a new parser allocates kilobytes of
// buffers, and the rules and the safety net parse every shell text of a
// file once or twice.
var bashParsers, posixParsers sync.Pool

// literalCommand analyses src in one shell language.
func literalCommand(src string, lang syntax.LangVariant) (SimpleCommand, *rejection) {
	f, err := parseShell(src, lang)
	if err != nil {
		name := "POSIX sh"
		if lang == syntax.LangBash {
			name = "bash"
		}
		return SimpleCommand{}, reject(rejectSyntax, "%s cannot parse it (%v)", name, err)
	}
	if len(f.Stmts) == 0 {
		if len(f.Last) > 0 {
			return SimpleCommand{}, reject(rejectEmpty, "it is only a comment")
		}
		return SimpleCommand{}, reject(rejectEmpty, "there is no command")
	}
	st := f.Stmts[0]
	if len(f.Stmts) > 1 {
		switch {
		case st.Background:
			return SimpleCommand{}, reject(rejectOperator, "`&` runs a command in the background")
		case st.Semicolon.IsValid():
			return SimpleCommand{}, reject(rejectOperator, "`;` separates two commands")
		}
		return SimpleCommand{}, reject(rejectOperator, "a line break separates two commands")
	}
	if len(f.Last) > 0 {
		return SimpleCommand{}, reject(rejectComment, "a comment follows on another line")
	}
	if rej := checkStmt(src, st); rej != nil {
		return SimpleCommand{}, rej
	}
	call := st.Cmd.(*syntax.CallExpr)
	var sc SimpleCommand
	for i, w := range call.Args {
		if i == 0 && len(w.Parts) == 1 {
			if l, ok := w.Parts[0].(*syntax.Lit); ok && reservedWords()[l.Value] {
				return SimpleCommand{}, reject(rejectCompound, "`%s` is a shell keyword", l.Value)
			}
		}
		s, rej := literalWord(src, w)
		if rej != nil {
			return SimpleCommand{}, rej
		}
		sc.Words = append(sc.Words, s)
	}
	switch len(st.Comments) {
	case 0:
	case 1:
		c := st.Comments[0]
		if c.Hash.Offset() < st.End().Offset() || strings.ContainsAny(src[st.End().Offset():c.Hash.Offset()], "\n") {
			return SimpleCommand{}, reject(rejectComment, "a comment is not at the end of the line")
		}
		sc.Comment = "#" + c.Text
	default:
		return SimpleCommand{}, reject(rejectComment, "it holds more than one comment")
	}
	return sc, nil
}

// checkStmt accepts a statement that is one plain simple command with at
// least one word: no operators, redirections or assignments.
func checkStmt(src string, st *syntax.Stmt) *rejection {
	switch {
	case st.Negated:
		return reject(rejectOperator, "`!` negates the command's exit status")
	case st.Background:
		return reject(rejectOperator, "`&` runs the command in the background")
	case st.Coprocess || st.Disown:
		return reject(rejectOperator, "`%s` is a job-control operator", source(src, st.Semicolon, st.End()))
	case st.Semicolon.IsValid():
		return reject(rejectOperator, "`;` ends the command list")
	case len(st.Redirs) > 0:
		r := st.Redirs[0]
		return reject(rejectRedirect, "`%s` is a redirection", clip(source(src, r.Pos(), r.End())))
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Assigns) > 0 {
			a := c.Assigns[0]
			return reject(rejectAssign, "`%s` sets a shell variable", clip(source(src, a.Pos(), a.End())))
		}
		if len(c.Args) == 0 {
			return reject(rejectEmpty, "there is no command")
		}
		return nil
	case *syntax.BinaryCmd:
		switch c.Op {
		case syntax.AndStmt:
			return reject(rejectOperator, "`&&` joins two commands")
		case syntax.OrStmt:
			return reject(rejectOperator, "`||` runs a second command when the first fails")
		case syntax.Pipe, syntax.PipeAll:
			return reject(rejectOperator, "`%s` pipes one command into another", c.Op)
		}
		return reject(rejectOperator, "`%s` joins two commands", c.Op)
	case *syntax.DeclClause, *syntax.LetClause:
		return reject(rejectBuiltin, "`%s` is a shell builtin with no program to run", compoundName(st.Cmd))
	case nil:
		return reject(rejectEmpty, "there is no command")
	}
	return reject(rejectCompound, "`%s` is shell syntax", compoundName(st.Cmd))
}

// compoundName names a compound command by the token that starts it.
func compoundName(c syntax.Command) string {
	switch c := c.(type) {
	case *syntax.IfClause:
		return "if"
	case *syntax.WhileClause:
		if c.Until {
			return "until"
		}
		return "while"
	case *syntax.ForClause:
		if c.Select {
			return "select"
		}
		return "for"
	case *syntax.CaseClause:
		return "case"
	case *syntax.Block:
		return "{ ... }"
	case *syntax.Subshell:
		return "( ... )"
	case *syntax.FuncDecl:
		if c.Name == nil {
			return "()"
		}
		return c.Name.Value + "()"
	case *syntax.ArithmCmd:
		return "(( ... ))"
	case *syntax.TestClause:
		return "[[ ... ]]"
	case *syntax.DeclClause:
		return c.Variant.Value
	case *syntax.LetClause:
		return "let"
	case *syntax.TimeClause:
		return "time"
	case *syntax.CoprocClause:
		return "coproc"
	}
	return fmt.Sprintf("%T", c)
}

// literalWord returns w after quote removal, or why it is not literal.
func literalWord(src string, w *syntax.Word) (string, *rejection) {
	word := clip(source(src, w.Pos(), w.End()))
	var b strings.Builder
	for i, part := range w.Parts {
		switch x := part.(type) {
		case *syntax.Lit:
			v := x.Value
			if i == 0 && strings.HasPrefix(v, "~") {
				return "", reject(rejectExpansion, "`%s` starts with `~`, which the shell expands to a home directory", word)
			}
			for j := 0; j < len(v); j++ {
				c := v[j]
				switch c {
				case '\\':
					if j+1 == len(v) {
						return "", reject(rejectQuoting, "`%s` ends in a lone `\\`", word)
					}
					j++
					if v[j] != '\n' { // backslash-newline joins lines
						b.WriteByte(v[j])
					}
					continue
				case '*', '?', '[':
					return "", reject(rejectGlob, "unquoted `%c` in `%s` is a glob pattern", c, word)
				case '{', '}':
					return "", reject(rejectGlob, "unquoted `%c` in `%s` can be brace expansion (bash)", c, word)
				case '$':
					if j+1 == len(v) && i+1 < len(w.Parts) {
						switch w.Parts[i+1].(type) {
						case *syntax.SglQuoted, *syntax.DblQuoted:
							return "", reject(rejectQuoting, "`%s` uses `$'…'` or `$\"…\"` quoting, which bash and dash read differently", word)
						}
					}
					return "", reject(rejectExpansion, "`$` in `%s` needs the shell", word)
				case '~':
					if j > 0 && (v[j-1] == '=' || v[j-1] == ':') {
						return "", reject(rejectExpansion, "`~` after `%c` in `%s` is expanded by bash", v[j-1], word)
					}
				case '`', '\'', '"', ';', '&', '|', '<', '>', '(', ')', '\n', ' ', '\t', '\r':
					// The parser never leaves these unescaped in a literal;
					// refuse rather than guess if it ever does.
					return "", reject(rejectQuoting, "`%s` holds an unexpected `%c`", word, c)
				}
				b.WriteByte(c)
			}
		case *syntax.SglQuoted:
			if x.Dollar {
				return "", reject(rejectQuoting, "`%s` uses `$'…'` quoting, which bash and dash read differently", word)
			}
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			if x.Dollar {
				return "", reject(rejectQuoting, "`%s` uses `$\"…\"` quoting, which bash and dash read differently", word)
			}
			for _, qp := range x.Parts {
				l, ok := qp.(*syntax.Lit)
				if !ok {
					return "", partRejection(src, qp)
				}
				v := l.Value
				for j := 0; j < len(v); j++ {
					c := v[j]
					if c == '\\' && j+1 < len(v) && strings.IndexByte("$`\"\\\n", v[j+1]) >= 0 {
						j++
						if v[j] != '\n' {
							b.WriteByte(v[j])
						}
						continue
					}
					if c == '$' || c == '`' {
						return "", reject(rejectExpansion, "`%c` in `%s` needs the shell", c, word)
					}
					b.WriteByte(c)
				}
			}
		default:
			return "", partRejection(src, part)
		}
	}
	return b.String(), nil
}

// partRejection explains a word part that the shell expands.
func partRejection(src string, part syntax.WordPart) *rejection {
	text := clip(source(src, part.Pos(), part.End()))
	switch part.(type) {
	case *syntax.ParamExp:
		return reject(rejectExpansion, "`%s` needs the shell to expand it", text)
	case *syntax.CmdSubst:
		return reject(rejectExpansion, "`%s` runs a command to build an argument", text)
	case *syntax.ArithmExp:
		return reject(rejectExpansion, "`%s` is arithmetic the shell evaluates", text)
	case *syntax.ProcSubst:
		return reject(rejectExpansion, "`%s` is process substitution", text)
	case *syntax.ExtGlob:
		return reject(rejectGlob, "`%s` is an extended glob", text)
	case *syntax.BraceExp:
		return reject(rejectGlob, "`%s` is brace expansion", text)
	}
	return reject(rejectExpansion, "`%s` needs the shell", text)
}

// source returns src between two positions, tolerating positions the
// parser did not set.
func source(src string, from, to syntax.Pos) string {
	a, b := int(from.Offset()), int(to.Offset())
	if !from.IsValid() || !to.IsValid() || a > b || b > len(src) {
		return ""
	}
	return src[a:b]
}

// clip shortens text quoted in messages.
func clip(s string) string { return clipN(s, 40) }

// clipN shortens s to at most max runes, marking the cut with "…".
func clipN(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}

// ExecLast returns cmd with `exec` put before its last command, so that the
// program replaces the shell and receives signals, and that program's name.
// It refuses (with a reason) wherever exec would change what runs: anything
// but a list of simple commands joined by `;` and `&&` (pipelines, `||`,
// background jobs, subshells, compound commands), a `trap` that exec would
// discard, or a last command that is a builtin, an assignment or not a
// literal program name. When the last command already starts with exec,
// cmd is returned unchanged.
func ExecLast(cmd string) (text, program string, reason string) {
	text, program, rej := execLast(cmd)
	if rej != nil {
		return "", "", rej.msg
	}
	return text, program, ""
}

func execLast(cmd string) (string, string, *rejection) {
	if !utf8.ValidString(cmd) || strings.IndexByte(cmd, 0) >= 0 {
		return "", "", reject(rejectEncoding, "the text is not valid UTF-8 or holds a NUL byte")
	}
	if i := strings.IndexFunc(cmd, isControl); i >= 0 {
		return "", "", reject(rejectEncoding, "the text contains the control character %q", cmd[i:i+1])
	}
	var last *syntax.Stmt
	for _, lang := range []syntax.LangVariant{syntax.LangPOSIX, syntax.LangBash} {
		f, err := parseShell(cmd, lang)
		if err != nil {
			return "", "", reject(rejectSyntax, "the shell cannot parse it (%v)", err)
		}
		if len(f.Stmts) == 0 {
			return "", "", reject(rejectEmpty, "there is no command")
		}
		var leaves []*syntax.Stmt
		for _, st := range f.Stmts {
			l, rej := andLeaves(cmd, st)
			if rej != nil {
				return "", "", rej
			}
			leaves = append(leaves, l...)
		}
		for _, l := range leaves {
			switch name, _ := callName(cmd, l); name {
			case "trap":
				return "", "", reject(rejectOperator, "`trap` sets a handler that exec would discard")
			case "alias":
				return "", "", reject(rejectBuiltin, "`alias` can change what the last command runs")
			}
		}
		if lang == syntax.LangPOSIX {
			last = leaves[len(leaves)-1]
		}
	}
	call := last.Cmd.(*syntax.CallExpr)
	if len(call.Assigns) > 0 {
		a := call.Assigns[0]
		return "", "", reject(rejectAssign, "the last command sets `%s`", clip(source(cmd, a.Pos(), a.End())))
	}
	if len(call.Args) == 0 {
		return "", "", reject(rejectEmpty, "the last command has no program")
	}
	name, ok := callName(cmd, last)
	if !ok {
		return "", "", reject(rejectProgram, "the last command's program `%s` is not a literal word", clip(source(cmd, call.Args[0].Pos(), call.Args[0].End())))
	}
	if name == "exec" {
		prog := execProgram(cmd, call)
		switch {
		case prog == "":
			return "", "", reject(rejectExecOpt, "the last command is `exec` without a literal program")
		case reservedWords()[prog] || noBinaryBuiltins()[prog]:
			return "", "", reject(rejectBuiltin, "the last command execs the shell builtin `%s`", prog)
		}
		return cmd, prog, nil
	}
	if reservedWords()[name] || noBinaryBuiltins()[name] || shellBuiltins()[name] {
		return "", "", reject(rejectBuiltin, "the last command `%s` is a shell builtin", name)
	}
	if name == "" || strings.HasPrefix(name, "-") {
		return "", "", reject(rejectProgram, "the last command's program name `%s` is not usable", clip(name))
	}
	off := last.Pos().Offset()
	return cmd[:off] + "exec " + cmd[off:], name, nil
}

// andLeaves returns the simple commands of a statement made only of simple
// commands joined by &&, or why exec on its last one would change control
// flow.
func andLeaves(src string, st *syntax.Stmt) ([]*syntax.Stmt, *rejection) {
	switch {
	case st.Negated:
		return nil, reject(rejectOperator, "`!` negates a command's exit status")
	case st.Background:
		return nil, reject(rejectOperator, "`&` runs a command in the background")
	case st.Coprocess || st.Disown:
		return nil, reject(rejectOperator, "a job-control operator is used")
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		return []*syntax.Stmt{st}, nil
	case *syntax.BinaryCmd:
		if c.Op != syntax.AndStmt {
			return nil, checkStmt(src, &syntax.Stmt{Cmd: c})
		}
		if len(st.Redirs) > 0 {
			return nil, reject(rejectRedirect, "a redirection applies to a whole `&&` list")
		}
		x, rej := andLeaves(src, c.X)
		if rej != nil {
			return nil, rej
		}
		y, rej := andLeaves(src, c.Y)
		if rej != nil {
			return nil, rej
		}
		return append(x, y...), nil
	case nil:
		return nil, reject(rejectEmpty, "there is no command")
	}
	return nil, reject(rejectCompound, "`%s` is shell syntax", compoundName(st.Cmd))
}

// callName returns the literal program name of a simple-command statement.
func callName(src string, st *syntax.Stmt) (string, bool) {
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || len(call.Args) == 0 {
		return "", false
	}
	name, rej := literalWord(src, call.Args[0])
	return name, rej == nil
}

// execProgram names the program an `exec prog ...` command runs, for
// messages; "" when it is not a literal word.
func execProgram(src string, call *syntax.CallExpr) string {
	if len(call.Args) < 2 {
		return ""
	}
	name, rej := literalWord(src, call.Args[1])
	if rej != nil || strings.HasPrefix(name, "-") {
		return ""
	}
	return name
}
