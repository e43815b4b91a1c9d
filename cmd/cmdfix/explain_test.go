package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestExplain checks that --explain prints each rule's page exactly as it
// is in docs/rules, from the binary.
func TestExplain(t *testing.T) {
	if len(rules.All) == 0 {
		t.Fatal("no rules registered")
	}
	for _, r := range rules.All {
		want, err := os.ReadFile(filepath.Join("..", "..", "docs", "rules", r.Name+".md"))
		if err != nil {
			t.Errorf("%s: %v", r.Name, err)
			continue
		}
		var out, errs bytes.Buffer
		if code := run([]string{"--explain", r.Name}, nil, &out, &errs); code != 0 {
			t.Errorf("cmdfix --explain %s: exit %d: %s", r.Name, code, errs.String())
		}
		if out.String() != string(want) {
			t.Errorf("cmdfix --explain %s does not print docs/rules/%s.md", r.Name, r.Name)
		}
	}
}

// TestListRules checks that --list-rules prints every rule, one a line,
// with its fix safety and summary, in priority order.
func TestListRules(t *testing.T) {
	var out, errs bytes.Buffer
	if code := run([]string{"--list-rules"}, nil, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	rules := rules.All
	if len(lines) != len(rules) {
		t.Fatalf("%d lines for %d rules:\n%s", len(lines), len(rules), out.String())
	}
	for i, r := range rules {
		f := strings.Fields(lines[i])
		if len(f) < 2 || f[0] != r.Name || f[1] != r.Safety.String() || !strings.HasSuffix(lines[i], "  "+r.Summary()) {
			t.Errorf("line %d: %q, want %s, %s and %q", i+1, lines[i], r.Name, r.Safety, r.Summary())
		}
	}
}
