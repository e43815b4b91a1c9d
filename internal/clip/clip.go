// Package clip shortens the text cmdfix quotes in its messages.
package clip

import "unicode/utf8"

// Text shortens s to at most 40 runes, as messages quote words and
// commands.
func Text(s string) string { return N(s, 40) }

// N shortens s to at most max runes, marking the cut with "…".
func N(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max-1]) + "…"
}
