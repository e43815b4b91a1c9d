package shell

import (
	"testing"
)

func TestOnlySeparatorsDiffer(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"a  b", "a b", true},
		{"a\tb", "a b", true},
		{"apt-get install  -y \\\n curl", "apt-get install -y \\\n curl", true},
		{"$((1 +  2))", "$((1 + 2))", true},
		{"a  && b", "a && b", true},
		{"a  # c", "a # c", true},
		{"'a  b'", "'a b'", false},
		{`"x  y"`, `"x y"`, false},
		{`a\  b`, `a\ b`, false},
		{"${x:-a  b}", "${x:-a b}", false},
		{"a # c  d", "a # c d", false},
		{"a b", "ab", false},
		{"ab", "a b", false},
		{"a b", "a c", false},
		{"a  b", "a  b ", false},
		{"echo 'unterminated  x", "echo 'unterminated x", false},
	} {
		if got := OnlySeparatorsDiffer(c.a, c.b); got != c.want {
			t.Errorf("OnlySeparatorsDiffer(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}
