// Package wordset builds the sets of words cmdfix's tables are made of
// (shell builtins, program names).
package wordset

// Of returns the set of words.
func Of(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}
