package rewrite

import (
	"bytes"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/internal/udiff"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// TestCorpusLossless checks the engine's promises on every corpus file:
// cmdfix accepts exactly what BuildKit accepts; with no rule running and no
// formatting the output is byte-identical; a full run's output (by
// default, and with --unsafe --explicit-shell, formatted or not) parses,
// is a fixed point, and keeps every comment line of the input.
func TestCorpusLossless(t *testing.T) {
	var mu sync.Mutex
	var parsed, rejected, changed int
	corpus.ForEach(t, func(name string, src []byte) {
		ast, bkErr := parser.Parse(bytes.NewReader(src))
		bkEmpty := bkErr != nil && bkErr.Error() == dockerfile.ErrNoInstructions.Error()
		if bkErr == nil {
			bkErr = unknownInstruction(ast.AST) // the build rejects those
		}

		none, err := process(name, src, Options{NoFormat: true}, nil)
		switch {
		case bkErr != nil && !bkEmpty:
			var pe *dockerfile.ParseError
			if !errors.As(err, &pe) {
				t.Errorf("%s: BuildKit rejects it (%v) but cmdfix said %v", name, bkErr, err)
			}
			mu.Lock()
			rejected++
			mu.Unlock()
			return
		case err != nil:
			t.Errorf("%s: %v", name, err)
			return
		case !bytes.Equal(none.Output, src):
			t.Errorf("%s: with no rules and no formatting the output differs:\n%s", name, udiff.Unified("in", "out", src, none.Output))
			return
		}

		// By default, and with every fix allowed (with and without
		// formatting): the safety net accepts every fix (no error), the
		// output parses, is a fixed point and keeps every comment line.
		var res *Result
		for i, opts := range []Options{{}, {Unsafe: true, ExplicitShell: true}, {Unsafe: true, ExplicitShell: true, NoFormat: true}} {
			r, err := Process(name, src, opts)
			if err != nil {
				t.Errorf("%s (%+v): %v", name, opts, err)
				return
			}
			if i == 0 {
				res = r
			}
			if !bkEmpty {
				if _, err := parser.Parse(bytes.NewReader(r.Output)); err != nil {
					t.Errorf("%s (%+v): output does not parse: %v", name, opts, err)
				}
			}
			again, err := Process(name, r.Output, opts)
			if err != nil {
				t.Errorf("%s (%+v): second run: %v", name, opts, err)
			} else if !bytes.Equal(again.Output, r.Output) {
				t.Errorf("%s (%+v): second run changed the output:\n%s", name, opts, udiff.Unified("first", "second", r.Output, again.Output))
			}
			if missing := missingCommentLines(src, r.Output); len(missing) > 0 {
				t.Errorf("%s (%+v): comment lines lost: %q", name, opts, missing)
			}
		}
		mu.Lock()
		parsed++
		if res.Changed {
			changed++
		}
		mu.Unlock()
	})
	t.Logf("corpus: %d files processed (%d changed), %d rejected as BuildKit rejects them", parsed, changed, rejected)
}

// unknownInstruction returns an error when the first instruction is one
// BuildKit's parser accepts but its build rejects as unknown (cmdfix then
// takes the file for something else than a Dockerfile).
func unknownInstruction(root *parser.Node) error {
	if len(root.Children) == 0 {
		return nil
	}
	return (&dockerfile.File{Instructions: []*dockerfile.Instruction{{Node: root.Children[0]}}}).CheckFirstKeyword()
}

// missingCommentLines returns the comment lines of before (trimmed) that
// after lacks, counting repeats. It reads raw lines, independently of the
// engine's own line classification: any line whose first non-blank
// character is '#' and that is not inside a heredoc body counts, which
// over-approximates (a heredoc body line starting with '#' must also
// survive, and does, since heredoc bodies are kept).
func missingCommentLines(before, after []byte) []string {
	count := func(src []byte) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(string(src), "\n") {
			if t := strings.TrimSpace(l); strings.HasPrefix(t, "#") {
				m[t]++
			}
		}
		return m
	}
	have := count(after)
	var missing []string
	for c, n := range count(before) {
		if have[c] < n {
			missing = append(missing, c)
		}
	}
	return missing
}
