package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestJsonArrayGolden runs the cases in golden/json-array.
func TestJsonArrayGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "json-array"), rules.All)
}
