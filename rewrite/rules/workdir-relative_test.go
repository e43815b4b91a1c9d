package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestWorkdirRelativeGolden runs the cases in golden/workdir-relative.
func TestWorkdirRelativeGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "workdir-relative"), rules.All)
}
