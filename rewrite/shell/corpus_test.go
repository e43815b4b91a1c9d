package shell_test

import (
	"math/rand"
	"os"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/shell"
	"mvdan.cc/sh/v3/syntax"
)

// TestOnlySeparatorsDifferAgreesWithPrinter perturbs the blank runs of
// every shell text in the corpus at random, inside quotes too, and checks
// the quick answer never says "same" where the printed syntax trees
// differ.
func TestOnlySeparatorsDifferAgreesWithPrinter(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	accepted, rejected := 0, 0
	for _, path := range corpus.Files(t) {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := dockerfile.Parse(path, src)
		if err != nil {
			continue
		}
		for _, in := range f.Instructions {
			a, ok := in.CommandText()
			if args := in.Args(); in.Keyword == "run" && !in.JSON() && len(args) == 1 {
				a, ok = args[0], true
			}
			if !ok || a == "" {
				continue
			}
			for range 3 {
				b := perturbBlanks(rng, a)
				if b == a {
					continue
				}
				if !shell.OnlySeparatorsDiffer(a, b) {
					rejected++
					continue
				}
				accepted++
				pa, okA := shell.Print(a, syntax.LangBash)
				pb, okB := shell.Print(b, syntax.LangBash)
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
		if !(s[i] == ' ' || s[i] == '\t') {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
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
