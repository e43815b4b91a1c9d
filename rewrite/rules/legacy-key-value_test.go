package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestLegacyKeyValueGolden runs the cases in golden/legacy-key-value.
func TestLegacyKeyValueGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "legacy-key-value"), rules.All)
}
