package rewrite

import (
	"math/rand"
	"strings"
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
		if got := onlySeparatorsDiffer(c.a, c.b); got != c.want {
			t.Errorf("onlySeparatorsDiffer(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestOnlySeparatorsDifferAgreesWithPrinter perturbs the blank runs of
// every shell text in the corpus at random, inside quotes too, and checks
// the quick answer never says "same" where the printed syntax trees
// differ.
func TestOnlySeparatorsDifferAgreesWithPrinter(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	accepted, rejected := 0, 0
	for _, path := range corpusFiles(t) {
		f, err := Parse(path, readFile(t, path))
		if err != nil {
			continue
		}
		for _, in := range f.Instructions {
			args := in.Args()
			if in.JSON() || len(args) == 0 || !isShellText(in.Keyword, 0, args) {
				continue
			}
			a := args[0]
			for range 3 {
				b := perturbBlanks(rng, a)
				if b == a {
					continue
				}
				if !onlySeparatorsDiffer(a, b) {
					rejected++
					continue
				}
				accepted++
				pa, okA := printShell(a)
				pb, okB := printShell(b)
				if !okA || !okB || pa != pb {
					t.Fatalf("%s:%d: quick check says %q and %q are the same program; the printer disagrees", path, in.Start, a, b)
				}
			}
		}
	}
	if accepted < 1000 || rejected < 100 {
		t.Errorf("too few cases: %d accepted, %d rejected", accepted, rejected)
	}
	t.Logf("%d perturbations accepted by the quick check (all confirmed by the printer), %d left to it", accepted, rejected)
}

// perturbBlanks changes the length of some runs of blanks in s.
func perturbBlanks(rng *rand.Rand, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if !isBlank(s[i]) {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && isBlank(s[j]) {
			j++
		}
		if rng.Intn(3) == 0 {
			b.WriteString(strings.Repeat(" ", 1+rng.Intn(4)))
		} else {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}
