package showrun

import "testing"

// TestCode checks that an argv holding backticks stays one code span.
func TestCode(t *testing.T) {
	for in, want := range map[string]string{
		`["a"]`:       "`[\"a\"]`",
		"[\"`id`\"]":  "``[\"`id`\"]``",
		"`x":          "`` `x ``",
		"[\"``\", 1]": "```[\"``\", 1]```",
	} {
		if got := code(in); got != want {
			t.Errorf("code(%q) = %q, want %q", in, got, want)
		}
	}
}
