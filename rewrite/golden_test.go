package rewrite_test

import (
	"path/filepath"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// The golden cases of the driver's own topics; each rule's are run by its
// test in package rules.

// TestFormatGolden runs golden/format: the formatter through Process.
func TestFormatGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "format"), rules.All)
}

// TestPragmasGolden runs golden/pragmas: cmdfix, hadolint and BuildKit
// pragmas.
func TestPragmasGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "pragmas"), rules.All)
}

// TestEngineGolden runs golden/engine: the driver with test-only rules.
func TestEngineGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "engine"), rewrite.EngineTestRules)
}

// TestGoldenFoldersHaveTests checks that every folder of golden cases is
// run by some test: a rule's folder by its test in package rules.
func TestGoldenFoldersHaveTests(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(corpus.Root(), "golden", "*"))
	have := map[string]bool{"format": true, "pragmas": true, "engine": true}
	for _, r := range rules.All {
		have[r.Name] = true
	}
	for _, d := range dirs {
		if !have[filepath.Base(d)] {
			t.Errorf("golden/%s is run by no test: name it after a rule", filepath.Base(d))
		}
	}
}
