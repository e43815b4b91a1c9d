package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestExecFormDocMessages checks that every message listed under "Other
// messages" in docs/rules/exec-form.md is one the rule emits in a golden
// case.
func TestExecFormDocMessages(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(corpus.Root(), "docs", "rules", "exec-form.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "## Other messages")
	if !ok {
		t.Fatal("exec-form.md has no \"Other messages\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var emitted []string
	diags, _ := filepath.Glob(filepath.Join(corpus.Root(), "golden", "*", "*.diag"))
	for _, d := range diags {
		for _, l := range strings.Split(string(must(os.ReadFile(d))), "\n") {
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

// TestExecFormGolden runs the cases in golden/exec-form.
func TestExecFormGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "exec-form"), rules.All)
}

// must returns b, failing the test binary on err.
func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
