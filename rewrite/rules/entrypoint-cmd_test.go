package rules_test

import (
	"path/filepath"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestEntrypointCmdGolden runs the cases in golden/entrypoint-cmd.
func TestEntrypointCmdGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "entrypoint-cmd"), rules.All)
}
