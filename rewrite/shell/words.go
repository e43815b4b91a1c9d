package shell

import (
	"fmt"

	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/internal/wordset"

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

// A Rejection is why a command line cannot become exec form: Kind groups
// reasons for reports (one of the Reject constants), Msg names the
// offending text for users.
type Rejection struct {
	Kind string
	Msg  string
}

func (r *Rejection) Error() string { return r.Msg }

// Kinds of rejections, used to group reports.
const (
	RejectEncoding  = "not valid UTF-8 or holds NUL"
	RejectSyntax    = "shell syntax error"
	RejectEmpty     = "no command"
	RejectOperator  = "operator or list (&&, ||, |, ;, &, !)"
	RejectCompound  = "compound command or shell keyword"
	RejectRedirect  = "redirection"
	RejectAssign    = "variable assignment"
	RejectExpansion = "expansion ($, `, ~)"
	RejectGlob      = "glob or brace pattern"
	RejectQuoting   = "quoting the shells read differently"
	RejectComment   = "comment not at the end"
	RejectDisagree  = "POSIX sh and bash disagree"
	RejectBuiltin   = "shell builtin with no program"
	RejectEcho      = "echo that depends on the shell"
	RejectExecOpt   = "exec with options or no program"
	RejectProgram   = "program name not usable"
	RejectExecLast  = "exec before the last command would change it"
)

func reject(kind, format string, args ...any) *Rejection {
	return &Rejection{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Words reports whether cmd is exactly one simple command of literal
// words under both POSIX sh and Bash, and returns its words and trailing
// comment. Otherwise it returns a *Rejection naming the word or operator
// that needs the shell, such as "`$PORT` needs the shell to expand it".
// The words equal what mvdan.cc/sh/v3/expand.Fields yields for the
// command in an empty environment.
func Words(cmd string) (SimpleCommand, error) {
	sc, rej := literalWords(cmd)
	if rej != nil {
		return SimpleCommand{}, rej
	}
	return sc, nil
}

// ExecArgv returns the exec-form argv that runs what the shell would run for
// cmd: Words with a leading "exec" dropped, refusing programs that exist
// only inside the shell (builtins such as cd or export) and echo calls
// whose output depends on which echo runs. The error, a *Rejection, says
// why cmd must stay in shell form.
func ExecArgv(cmd string) (argv []string, comment string, err error) {
	argv, comment, rej := execArgv(cmd)
	if rej != nil {
		return nil, "", rej
	}
	return argv, comment, nil
}

func execArgv(cmd string) ([]string, string, *Rejection) {
	sc, rej := literalWords(cmd)
	if rej != nil {
		return nil, "", rej
	}
	argv := sc.Words
	if argv[0] == "exec" {
		switch {
		case len(argv) == 1:
			return nil, "", reject(RejectExecOpt, "`exec` without a program only changes the shell itself")
		case strings.HasPrefix(argv[1], "-"):
			return nil, "", reject(RejectExecOpt, "`exec %s` passes an option to exec, which exec form cannot express", clip.Text(argv[1]))
		}
		argv = argv[1:]
	}
	if rej := checkProgram(argv); rej != nil {
		return nil, "", rej
	}
	return argv, sc.Comment, nil
}

// checkProgram refuses argv whose program exists only in the shell, or
// behaves differently as a program than as the shell's builtin, as the
// builtin table measured it (see ExecEquivalent).
func checkProgram(argv []string) *Rejection {
	prog := argv[0]
	switch {
	case prog == "":
		return reject(RejectProgram, "the program name is empty")
	case strings.HasPrefix(prog, "-"):
		return reject(RejectProgram, "the program name `%s` starts with `-`", clip.Text(prog))
	}
	if ok, why := ExecEquivalent(argv); !ok {
		kind := RejectBuiltin
		if prog == "echo" || prog == "printf" {
			kind = RejectEcho
		}
		return reject(kind, "%s", why)
	}
	return nil
}

// reservedWords are words the shell treats as syntax in command position:
// POSIX reserved words, bash keywords, and brace/bang tokens.
var reservedWords = sync.OnceValue(func() map[string]bool {
	return wordset.Of(
		"!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi", "for", "if",
		"in", "then", "until", "while", "[[", "]]", "function", "select", "time", "coproc",
	)
})

// isControl reports ASCII control characters other than tab and newline
// (which the shell parser reads as the shell does).
func isControl(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f }

func literalWords(cmd string) (SimpleCommand, *Rejection) {
	if !utf8.ValidString(cmd) {
		return SimpleCommand{}, reject(RejectEncoding, "the text is not valid UTF-8")
	}
	if strings.IndexByte(cmd, 0) >= 0 {
		return SimpleCommand{}, reject(RejectEncoding, "the text contains a NUL byte")
	}
	if i := strings.IndexFunc(cmd, isControl); i >= 0 {
		// mvdan.cc/sh reads a carriage return as a blank; dash and bash
		// read it (and other control characters) as part of a word.
		return SimpleCommand{}, reject(RejectEncoding, "the text contains the control character %q", cmd[i:i+1])
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
		return SimpleCommand{}, reject(RejectDisagree, "POSIX sh and bash read it differently")
	}
	return posix, nil
}

// literalCommand analyses src in one shell language.
func literalCommand(src string, lang syntax.LangVariant) (SimpleCommand, *Rejection) {
	f, err := Parse(src, lang)
	if err != nil {
		name := "POSIX sh"
		if lang == syntax.LangBash {
			name = "bash"
		}
		return SimpleCommand{}, reject(RejectSyntax, "%s cannot parse it (%v)", name, err)
	}
	if len(f.Stmts) == 0 {
		if len(f.Last) > 0 {
			return SimpleCommand{}, reject(RejectEmpty, "it is only a comment")
		}
		return SimpleCommand{}, reject(RejectEmpty, "there is no command")
	}
	st := f.Stmts[0]
	if len(f.Stmts) > 1 {
		switch {
		case st.Background:
			return SimpleCommand{}, reject(RejectOperator, "`&` runs a command in the background")
		case st.Semicolon.IsValid():
			return SimpleCommand{}, reject(RejectOperator, "`;` separates two commands")
		}
		return SimpleCommand{}, reject(RejectOperator, "a line break separates two commands")
	}
	if len(f.Last) > 0 {
		return SimpleCommand{}, reject(RejectComment, "a comment follows on another line")
	}
	if rej := checkStmt(src, st); rej != nil {
		return SimpleCommand{}, rej
	}
	call := st.Cmd.(*syntax.CallExpr)
	var sc SimpleCommand
	for i, w := range call.Args {
		if i == 0 && len(w.Parts) == 1 {
			if l, ok := w.Parts[0].(*syntax.Lit); ok && reservedWords()[l.Value] {
				return SimpleCommand{}, reject(RejectCompound, "`%s` is a shell keyword", l.Value)
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
			return SimpleCommand{}, reject(RejectComment, "a comment is not at the end of the line")
		}
		sc.Comment = "#" + c.Text
	default:
		return SimpleCommand{}, reject(RejectComment, "it holds more than one comment")
	}
	return sc, nil
}

// checkStmt accepts a statement that is one plain simple command with at
// least one word: no operators, redirections or assignments.
func checkStmt(src string, st *syntax.Stmt) *Rejection {
	switch {
	case st.Negated:
		return reject(RejectOperator, "`!` negates the command's exit status")
	case st.Background:
		return reject(RejectOperator, "`&` runs the command in the background")
	case st.Coprocess || st.Disown:
		return reject(RejectOperator, "`%s` is a job-control operator", source(src, st.Semicolon, st.End()))
	case st.Semicolon.IsValid():
		return reject(RejectOperator, "`;` ends the command list")
	case len(st.Redirs) > 0:
		r := st.Redirs[0]
		return reject(RejectRedirect, "`%s` is a redirection", clip.Text(source(src, r.Pos(), r.End())))
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		if len(c.Assigns) > 0 {
			a := c.Assigns[0]
			return reject(RejectAssign, "`%s` sets a shell variable", clip.Text(source(src, a.Pos(), a.End())))
		}
		if len(c.Args) == 0 {
			return reject(RejectEmpty, "there is no command")
		}
		return nil
	case *syntax.BinaryCmd:
		switch c.Op {
		case syntax.AndStmt:
			return reject(RejectOperator, "`&&` joins two commands")
		case syntax.OrStmt:
			return reject(RejectOperator, "`||` runs a second command when the first fails")
		case syntax.Pipe, syntax.PipeAll:
			return reject(RejectOperator, "`%s` pipes one command into another", c.Op)
		}
		return reject(RejectOperator, "`%s` joins two commands", c.Op)
	case *syntax.DeclClause, *syntax.LetClause:
		return reject(RejectBuiltin, "`%s` is a shell builtin with no program to run", compoundName(st.Cmd))
	case nil:
		return reject(RejectEmpty, "there is no command")
	}
	return reject(RejectCompound, "`%s` is shell syntax", compoundName(st.Cmd))
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
func literalWord(src string, w *syntax.Word) (string, *Rejection) {
	word := clip.Text(source(src, w.Pos(), w.End()))
	var b strings.Builder
	for i, part := range w.Parts {
		switch x := part.(type) {
		case *syntax.Lit:
			v := x.Value
			if i == 0 && strings.HasPrefix(v, "~") {
				return "", reject(RejectExpansion, "`%s` starts with `~`, which the shell expands to a home directory", word)
			}
			for j := 0; j < len(v); j++ {
				c := v[j]
				switch c {
				case '\\':
					if j+1 == len(v) {
						return "", reject(RejectQuoting, "`%s` ends in a lone `\\`", word)
					}
					j++
					if v[j] != '\n' { // backslash-newline joins lines
						b.WriteByte(v[j])
					}
					continue
				case '*', '?', '[':
					return "", reject(RejectGlob, "unquoted `%c` in `%s` is a glob pattern", c, word)
				case '{', '}':
					return "", reject(RejectGlob, "unquoted `%c` in `%s` can be brace expansion (bash)", c, word)
				case '$':
					if j+1 == len(v) && i+1 < len(w.Parts) {
						switch w.Parts[i+1].(type) {
						case *syntax.SglQuoted, *syntax.DblQuoted:
							return "", reject(RejectQuoting, "`%s` uses `$'…'` or `$\"…\"` quoting, which bash and dash read differently", word)
						}
					}
					return "", reject(RejectExpansion, "`$` in `%s` needs the shell", word)
				case '~':
					if j > 0 && (v[j-1] == '=' || v[j-1] == ':') {
						return "", reject(RejectExpansion, "`~` after `%c` in `%s` is expanded by bash", v[j-1], word)
					}
				case '`', '\'', '"', ';', '&', '|', '<', '>', '(', ')', '\n', ' ', '\t', '\r':
					// The parser never leaves these unescaped in a literal;
					// refuse rather than guess if it ever does.
					return "", reject(RejectQuoting, "`%s` holds an unexpected `%c`", word, c)
				}
				b.WriteByte(c)
			}
		case *syntax.SglQuoted:
			if x.Dollar {
				return "", reject(RejectQuoting, "`%s` uses `$'…'` quoting, which bash and dash read differently", word)
			}
			b.WriteString(x.Value)
		case *syntax.DblQuoted:
			if x.Dollar {
				return "", reject(RejectQuoting, "`%s` uses `$\"…\"` quoting, which bash and dash read differently", word)
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
						return "", reject(RejectExpansion, "`%c` in `%s` needs the shell", c, word)
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
func partRejection(src string, part syntax.WordPart) *Rejection {
	text := clip.Text(source(src, part.Pos(), part.End()))
	switch part.(type) {
	case *syntax.ParamExp:
		return reject(RejectExpansion, "`%s` needs the shell to expand it", text)
	case *syntax.CmdSubst:
		return reject(RejectExpansion, "`%s` runs a command to build an argument", text)
	case *syntax.ArithmExp:
		return reject(RejectExpansion, "`%s` is arithmetic the shell evaluates", text)
	case *syntax.ProcSubst:
		return reject(RejectExpansion, "`%s` is process substitution", text)
	case *syntax.ExtGlob:
		return reject(RejectGlob, "`%s` is an extended glob", text)
	case *syntax.BraceExp:
		return reject(RejectGlob, "`%s` is brace expansion", text)
	}
	return reject(RejectExpansion, "`%s` needs the shell", text)
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

// ExecLast returns cmd with `exec` put before its last command, so that the
// program replaces the shell and receives signals, and that program's name.
// It refuses (with a reason) wherever exec would change what runs: anything
// but a list of simple commands joined by `;` and `&&` (pipelines, `||`,
// background jobs, subshells, compound commands), a `trap` that exec would
// discard, or a last command that is a builtin, an assignment or not a
// literal program name. When the last command already starts with exec,
// cmd is returned unchanged. The error, a *Rejection, says why not.
func ExecLast(cmd string) (text, program string, err error) {
	text, program, rej := execLast(cmd)
	if rej != nil {
		return "", "", rej
	}
	return text, program, nil
}

func execLast(cmd string) (string, string, *Rejection) {
	if !utf8.ValidString(cmd) || strings.IndexByte(cmd, 0) >= 0 {
		return "", "", reject(RejectEncoding, "the text is not valid UTF-8 or holds a NUL byte")
	}
	if i := strings.IndexFunc(cmd, isControl); i >= 0 {
		return "", "", reject(RejectEncoding, "the text contains the control character %q", cmd[i:i+1])
	}
	var last *syntax.Stmt
	var posix *syntax.File
	for _, lang := range []syntax.LangVariant{syntax.LangPOSIX, syntax.LangBash} {
		f, err := Parse(cmd, lang)
		if err != nil {
			return "", "", reject(RejectSyntax, "the shell cannot parse it (%v)", err)
		}
		if len(f.Stmts) == 0 {
			return "", "", reject(RejectEmpty, "there is no command")
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
				return "", "", reject(RejectExecLast, "`trap` sets a handler that exec would discard")
			case "alias":
				return "", "", reject(RejectExecLast, "`alias` can change what the last command runs")
			}
		}
		if lang == syntax.LangPOSIX {
			last, posix = leaves[len(leaves)-1], f
		}
	}
	call := last.Cmd.(*syntax.CallExpr)
	if len(call.Assigns) > 0 {
		a := call.Assigns[0]
		return "", "", reject(RejectAssign, "the last command sets `%s`", clip.Text(source(cmd, a.Pos(), a.End())))
	}
	if len(call.Args) == 0 {
		return "", "", reject(RejectEmpty, "the last command has no program")
	}
	name, ok := callName(cmd, last)
	if !ok {
		return "", "", reject(RejectProgram, "the last command's program `%s` is not a literal word", clip.Text(source(cmd, call.Args[0].Pos(), call.Args[0].End())))
	}
	if name == "exec" {
		prog := execProgram(cmd, call)
		switch {
		case prog == "":
			return "", "", reject(RejectExecOpt, "the last command is `exec` without a literal program")
		case reservedWords()[prog] || noProgram(prog):
			return "", "", reject(RejectBuiltin, "the last command execs the shell builtin `%s`", prog)
		}
		return cmd, prog, nil
	}
	if _, builtin := Builtin(name); builtin || reservedWords()[name] {
		return "", "", reject(RejectBuiltin, "the last command `%s` is a shell builtin", name)
	}
	if name == "" || strings.HasPrefix(name, "-") {
		return "", "", reject(RejectProgram, "the last command's program name `%s` is not usable", clip.Text(name))
	}
	if why := ExecUnsafeReason(posix); why != "" {
		// A function, a sourced file or a trap may stand behind the last
		// command: exec runs programs only, and discards traps.
		return "", "", reject(RejectExecLast, "%s", why)
	}
	off := last.Pos().Offset()
	return cmd[:off] + "exec " + cmd[off:], name, nil
}

// andLeaves returns the simple commands of a statement made only of simple
// commands joined by &&, or why exec on its last one would change control
// flow.
func andLeaves(src string, st *syntax.Stmt) ([]*syntax.Stmt, *Rejection) {
	switch {
	case st.Negated:
		return nil, reject(RejectOperator, "`!` negates a command's exit status")
	case st.Background:
		return nil, reject(RejectOperator, "`&` runs a command in the background")
	case st.Coprocess || st.Disown:
		return nil, reject(RejectOperator, "a job-control operator is used")
	}
	switch c := st.Cmd.(type) {
	case *syntax.CallExpr:
		return []*syntax.Stmt{st}, nil
	case *syntax.BinaryCmd:
		if c.Op != syntax.AndStmt {
			return nil, checkStmt(src, &syntax.Stmt{Cmd: c})
		}
		if len(st.Redirs) > 0 {
			return nil, reject(RejectRedirect, "a redirection applies to a whole `&&` list")
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
		return nil, reject(RejectEmpty, "there is no command")
	}
	return nil, reject(RejectCompound, "`%s` is shell syntax", compoundName(st.Cmd))
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

// noProgram reports a builtin that has no program of its name in Debian or
// Alpine images.
func noProgram(name string) bool {
	b, ok := Builtin(name)
	return ok && b.Programs == 0
}
