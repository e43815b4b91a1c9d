package rules_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestKeywordCaseGolden runs the cases in golden/keyword-case.
func TestKeywordCaseGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "keyword-case"), rules.All)
}

// TestKeywordCaseAgreesWithFormatter checks, over the corpus, that the
// rule changes nothing the formatter would not: with formatting on, the
// output is the same with the rule and without it; and under --no-format
// the rule alone leaves nothing for the formatter's keyword pass to do
// (formatting its output changes no keyword).
func TestKeywordCaseAgreesWithFormatter(t *testing.T) {
	corpus.ForEach(t, func(name string, src []byte) {
		with, err := rewrite.Process(name, src, rewrite.Options{})
		if err != nil {
			return // files BuildKit rejects; TestCorpusLossless covers them
		}
		without, err := rewrite.Process(name, src, rewrite.Options{Disable: []string{rules.KeywordCase.Name}})
		if err != nil {
			t.Errorf("%s: without keyword-case: %v", name, err)
			return
		}
		if !bytes.Equal(with.Output, without.Output) {
			t.Errorf("%s: keyword-case changes the formatted output", name)
		}
		alone, err := rewrite.Process(name, src, rewrite.Options{Rules: []*rule.Rule{rules.KeywordCase}, NoFormat: true})
		if err != nil {
			t.Errorf("%s: keyword-case alone: %v", name, err)
			return
		}
		again, err := rewrite.Process(name, alone.Output, rewrite.Options{Rules: []*rule.Rule{rules.KeywordCase}, NoFormat: true})
		if err != nil || again.Changed {
			t.Errorf("%s: keyword-case is not a fixed point under --no-format (%v)", name, err)
		}
	})
}
