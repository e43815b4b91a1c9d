package main

import (
	"errors"
	"reflect"
	"testing"
)

// TestResolveRuleNames: every kind of name maps to cmdfix rules, in any
// case for codes and check names; unknown names name the closest one.
func TestResolveRuleNames(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
	}{
		{[]string{"exec-form"}, []string{"exec-form"}},
		{[]string{"DL3025"}, []string{"exec-form", "explicit-shell", "json-array"}},
		{[]string{"dl3025", " jsonargsrecommended "}, []string{"exec-form", "explicit-shell", "json-array"}},
		{[]string{"DL4003", "MultipleInstructionsDisallowed"}, []string{"redundant-instruction"}},
		{[]string{"ALL"}, allSorted()},
		{[]string{"", " "}, []string{}},
	} {
		got, err := resolveRuleNames(tc.in)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("resolveRuleNames(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, suggest string }{
		{"exec-from", "exec-form"},
		{"DL325", "DL3025"},
		{"JSONArgsRecomended", "JSONArgsRecommended"},
		{"redundant", "redundant-instruction"},
		{"Exec-Form", ""}, // rule names are exact; the suggestion is the name itself
		{"zzzzzzzz", ""},
	} {
		_, err := resolveRuleNames([]string{tc.in})
		var ue *unknownRuleError
		if !errors.As(err, &ue) {
			t.Errorf("resolveRuleNames(%q): error %v, want an unknown rule", tc.in, err)
			continue
		}
		if tc.in == "Exec-Form" {
			if ue.Suggest != "exec-form" {
				t.Errorf("%q: suggestion %q, want exec-form", tc.in, ue.Suggest)
			}
			continue
		}
		if ue.Suggest != tc.suggest {
			t.Errorf("%q: suggestion %q, want %q", tc.in, ue.Suggest, tc.suggest)
		}
	}
}

func allSorted() []string {
	got, _ := resolveRuleNames([]string{"all"})
	if len(got) != len(allRules()) {
		panic("all does not name every rule")
	}
	return got
}

func TestMatchGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"legacy/**", "legacy/Dockerfile", true},
		{"legacy/**", "legacy/a/b/Dockerfile", true},
		{"legacy/**", "other/legacy/Dockerfile", false},
		{"**/legacy/*", "x/y/legacy/Dockerfile", true},
		{"*.dev", "a/b/Dockerfile.dev", true},
		{"*.dev", "Dockerfile.dev.bak", false},
		{"a/*/Dockerfile", "a/b/Dockerfile", true},
		{"a/*/Dockerfile", "a/b/c/Dockerfile", false},
		{"./a/Dockerfile", "a/Dockerfile", true},
		{"/a/Dockerfile", "a/Dockerfile", true},
		{"Dockerfile", "deep/er/Dockerfile", true},
	} {
		if got := matchGlob(tc.pattern, tc.name); got != tc.want {
			t.Errorf("matchGlob(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"check", "chek", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}} {
		if got := levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
