package shell

import (
	"fmt"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// BracketTestReason says, for a shell-form text that looks like a JSON
// array with a blank after its opening bracket (`[ 'x', ]`, `[ "a", "b" ]`),
// that sh reads it as the test command `[`, not as a broken exec form: the
// text runs as written and may well succeed. It returns "" for any other
// text: one whose first command is not a simple command named [, such as
// `["a", "b"]` (whose first word is `["a",`) or `[ x ] && y`.
//
// For `[ 'x', ]` sh runs `[` with the operands "x," and "]", which exits
// 0 (a non-empty string); rewriting it into the exec form ["x"] runs a
// program named x instead (measured in builtin_behaviour_test.go).
func BracketTestReason(text string) string {
	f, err := Parse(text, syntax.LangPOSIX)
	if err != nil || len(f.Stmts) == 0 {
		return ""
	}
	call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return ""
	}
	if name, ok := plainWord(call.Args[0]); !ok || name != "[" {
		return ""
	}
	var ops []string
	for _, w := range call.Args[1:] {
		s, ok := plainWord(w)
		if !ok {
			return "with a blank after [, sh runs the test command [, not a program named by the array; its operands are expanded by the shell"
		}
		ops = append(ops, s)
	}
	quoted := make([]string, len(ops))
	for i, o := range ops {
		quoted[i] = fmt.Sprintf("%q", o)
	}
	what := fmt.Sprintf("with a blank after [, sh runs the test command [ with the operands %s", clipMsg(strings.Join(quoted, " ")))
	if len(f.Stmts) > 1 || len(ops) == 0 || ops[len(ops)-1] != "]" {
		return what + ", not a program named by the array"
	}
	expr := ops[:len(ops)-1]
	if len(expr) == 1 {
		if expr[0] != "" {
			return what + ": a non-empty string, so it exits 0; the text works as written"
		}
		return what + ": an empty string, so it exits 1; the text works as written"
	}
	return what + ", not a program named by the array; the text runs as written"
}
