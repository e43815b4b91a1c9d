package shell

import (
	"mvdan.cc/sh/v3/syntax"
)

// OnlySeparatorsDiffer reports whether shell text b differs from a only in
// runs of blanks that separate tokens in a, as mvdan.cc/sh reads it as
// bash. The shell reads any run of blanks between tokens as one
// separator, so two such texts are the same program. It is the safety
// net's quick answer: false means only that it cannot tell, and the caller
// compares the printed syntax trees instead.
//
// The texts must have their blank runs in the same places, with the same
// bytes around them (no run added, removed, or split). Every run whose
// bytes differ must then lie outside every literal, quoted string,
// parameter expansion, extended glob and comment of a's syntax tree: those
// are the only places where a blank is part of a word.
func OnlySeparatorsDiffer(a, b string) bool {
	var changed [][2]int // runs of a whose bytes differ in b
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ab, bb := isBlank(a[i]), isBlank(b[j])
		switch {
		case !ab && !bb:
			if a[i] != b[j] {
				return false
			}
			i++
			j++
		case ab && bb:
			si, sj := i, j
			for i < len(a) && isBlank(a[i]) {
				i++
			}
			for j < len(b) && isBlank(b[j]) {
				j++
			}
			if a[si:i] != b[sj:j] {
				changed = append(changed, [2]int{si, i})
			}
		default:
			return false
		}
	}
	if i != len(a) || j != len(b) {
		return false
	}
	f, err := Parse(a, syntax.LangBash)
	if err != nil {
		return false
	}
	ok := true
	syntax.Walk(f, func(n syntax.Node) bool {
		if !ok || n == nil {
			return false
		}
		switch n.(type) {
		case *syntax.Lit, *syntax.SglQuoted, *syntax.DblQuoted, *syntax.ParamExp, *syntax.ExtGlob, *syntax.Comment:
			lo, hi := int(n.Pos().Offset()), int(n.End().Offset())
			for _, r := range changed {
				if r[0] < hi && lo < r[1] {
					ok = false
				}
			}
			return false // nothing inside can be a separator
		}
		return true
	})
	return ok
}

// isBlank reports the blanks that separate shell words on one line.
func isBlank(c byte) bool { return c == ' ' || c == '\t' }
