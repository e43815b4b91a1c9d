package rewrite

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestExecFormDocMessages checks that every message listed under "Other
// messages" in docs/rules/exec-form.md is one the rule emits in a golden
// case.
func TestExecFormDocMessages(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "rules", "exec-form.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "## Other messages")
	if !ok {
		t.Fatal("exec-form.md has no \"Other messages\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var emitted []string
	diags, _ := filepath.Glob(filepath.Join(goldenDir, "*", "*.diag"))
	for _, d := range diags {
		for _, l := range strings.Split(string(readFile(t, d)), "\n") {
			if _, msg, ok := strings.Cut(l, ": exec-form: "); ok {
				emitted = append(emitted, msg)
			}
		}
	}
	bullets := regexp.MustCompile("(?m)^- ``(.*)``$").FindAllStringSubmatch(section, -1)
	if len(bullets) < 5 {
		t.Fatalf("only %d messages listed", len(bullets))
	}
	for _, b := range bullets {
		found := false
		for _, m := range emitted {
			if strings.HasPrefix(m, b[1]) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("exec-form.md lists %q, which no golden case emits", b[1])
		}
	}
}
