package shell

import "testing"

func TestBracketTestReason(t *testing.T) {
	cases := []struct{ text, want string }{
		{`[ 'x', ]`, `with a blank after [, sh runs the test command [ with the operands "x," "]": a non-empty string, so it exits 0; the text works as written`},
		{`[ "", ]`, `with a blank after [, sh runs the test command [ with the operands "," "]": a non-empty string, so it exits 0; the text works as written`},
		{`[ '' ]`, `with a blank after [, sh runs the test command [ with the operands "" "]": an empty string, so it exits 1; the text works as written`},
		{`[ "a", "b" ]`, `with a blank after [, sh runs the test command [ with the operands "a," "b" "]", not a program named by the array; the text runs as written`},
		{`[ "a", "b"`, `with a blank after [, sh runs the test command [ with the operands "a," "b", not a program named by the array`},
		{`[ "$HOME" ]`, `with a blank after [, sh runs the test command [, not a program named by the array; its operands are expanded by the shell`},
		{`["a", "b"]`, ""},
		{`['x']`, ""},
		{`echo [ x ]`, ""},
		{`[ x ] && echo y`, ""},
		{`[ "unterminated`, ""},
	}
	for _, c := range cases {
		if got := BracketTestReason(c.text); got != c.want {
			t.Errorf("BracketTestReason(%s) =\n\t%q\nwant\n\t%q", c.text, got, c.want)
		}
	}
}
