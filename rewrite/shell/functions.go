package shell

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// ExecUnsafeReason says why putting `exec` before the last command of f
// would change what the shell text does, or returns "" when nothing in f
// stands against it. The last command is the last simple command of f's
// last statement, following the right side of && and ||. The reasons are:
//
//   - the last command is not a simple command with a literal name, or
//     sets variables for its program (`A=1 app`);
//   - its name is a function defined earlier in f: exec runs programs
//     only, so `exec f` fails with status 127 (not found);
//   - an earlier `.`, `source` or `eval` (also behind `command` or
//     `builtin`) may define a function or alias of that name, or set a
//     trap;
//   - an earlier `alias`: aliases are not expanded after exec;
//   - an earlier `trap`: exec replaces the shell, so an EXIT handler never
//     runs and signal handlers are gone;
//   - an earlier command whose name is not a literal word, which may be
//     any of these;
//   - the last command is a shell builtin that ExecEquivalent refuses
//     (`exec cd /` fails where `cd /` succeeds).
//
// It does not judge control flow (pipelines, background jobs, ||); the
// caller decides where exec may go at all. It is conservative: a sourced
// file is never read, so any `.` before the last command is a reason.
func ExecUnsafeReason(f *syntax.File) string {
	if f == nil || len(f.Stmts) == 0 {
		return "there is no command"
	}
	last := lastSimpleCall(f.Stmts[len(f.Stmts)-1])
	if last == nil || len(last.Args) == 0 {
		return "the last command is not a simple command naming a program"
	}
	if len(last.Assigns) > 0 {
		a := "a variable"
		if n := last.Assigns[0].Name; n != nil {
			a = n.Value
		}
		return fmt.Sprintf("the last command sets %s for its program: `exec` before it would look for a program named %s=…", clipMsg(a), clipMsg(a))
	}
	name, ok := plainWord(last.Args[0])
	if !ok {
		return "the last command's name is not a literal word, so it may name a shell function"
	}
	var reason string
	syntax.Walk(f, func(n syntax.Node) bool {
		if reason != "" || n == nil {
			return false
		}
		if n == last {
			return false
		}
		switch n := n.(type) {
		case *syntax.FuncDecl:
			if n.Name != nil && n.Name.Value == name {
				reason = fmt.Sprintf("%s is a shell function defined before it: exec runs programs only, so `exec %s` would fail with status 127 (not found)", clipMsg(name), clipMsg(name))
			}
		case *syntax.CallExpr:
			reason = earlierCallReason(n, name)
		}
		return reason == ""
	})
	if reason != "" {
		return reason
	}
	if _, isBuiltin := Builtin(name); isBuiltin || keywordNames[name] {
		argv := make([]string, 0, len(last.Args))
		for _, w := range last.Args {
			s, ok := plainWord(w)
			if !ok {
				return fmt.Sprintf("%s is a shell builtin and its arguments are not literal words", clipMsg(name))
			}
			argv = append(argv, s)
		}
		if ok, why := ExecEquivalent(argv); !ok {
			return "`exec` would run a program instead of the builtin: " + why
		}
	}
	return ""
}

// earlierCallReason judges a command that runs before the last one.
func earlierCallReason(c *syntax.CallExpr, last string) string {
	if len(c.Args) == 0 {
		return ""
	}
	words := c.Args
	name, ok := plainWord(words[0])
	// `command .` and `builtin eval` run the same builtins.
	for ok && (name == "command" || name == "builtin") && len(words) > 1 {
		words = words[1:]
		name, ok = plainWord(words[0])
		if ok && strings.HasPrefix(name, "-") {
			// command -v / -V only look names up.
			return ""
		}
	}
	if !ok {
		return fmt.Sprintf("a command before it has a name that is not a literal word, so it may be eval, . or trap and define %s as a function or set a trap that exec discards", clipMsg(last))
	}
	what := strings.Join(plainPrefix(words, 2), " ")
	switch name {
	case ".", "source", "eval":
		return fmt.Sprintf("`%s` runs before it and may define %s as a shell function or alias (exec of a function fails with status 127) or set a trap, which exec discards", clipMsg(what), clipMsg(last))
	case "alias":
		return fmt.Sprintf("`%s` runs before it: an alias named %s would be expanded without exec and not after it", clipMsg(what), clipMsg(last))
	case "trap":
		return fmt.Sprintf("`%s` sets a trap before it: exec replaces the shell, so an EXIT handler never runs and the shell's signal handlers are gone", clipMsg(what))
	}
	return ""
}

// lastSimpleCall returns the simple command that runs last in st, following the
// right operand of && and ||, or nil when that is not a simple command.
func lastSimpleCall(st *syntax.Stmt) *syntax.CallExpr {
	for st != nil {
		switch c := st.Cmd.(type) {
		case *syntax.CallExpr:
			return c
		case *syntax.BinaryCmd:
			if c.Op != syntax.AndStmt && c.Op != syntax.OrStmt {
				return nil
			}
			st = c.Y
		case *syntax.FuncDecl:
			// mvdan.cc/sh (v3.14.1) reads `f() { a; } && b` as a function
			// whose body is `{ a; } && b`; dash, bash and busybox define f
			// and then run b (measured), so b is what runs last.
			if _, ok := c.Body.Cmd.(*syntax.BinaryCmd); !ok {
				return nil
			}
			st = c.Body
		default:
			return nil
		}
	}
	return nil
}

// plainWord returns the value of a word made only of literal text and
// quotes without expansions.
func plainWord(w *syntax.Word) (string, bool) {
	var b strings.Builder
	for _, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if strings.ContainsAny(p.Value, `\`) {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false
			}
			b.WriteString(p.Value)
		case *syntax.DblQuoted:
			if p.Dollar {
				return "", false
			}
			for _, q := range p.Parts {
				l, ok := q.(*syntax.Lit)
				if !ok || strings.ContainsAny(l.Value, `\`) {
					return "", false
				}
				b.WriteString(l.Value)
			}
		default:
			return "", false
		}
	}
	return b.String(), true
}

// plainPrefix returns up to n words of ws as written, for messages.
func plainPrefix(ws []*syntax.Word, n int) []string {
	var out []string
	for i, w := range ws {
		if i == n {
			break
		}
		if s, ok := plainWord(w); ok {
			out = append(out, s)
		} else {
			out = append(out, "…")
		}
	}
	return out
}
