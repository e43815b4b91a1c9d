package dockerfile

import (
	"errors"
	"math/rand"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
)

// Every reparse in the tests is compared with a full parse: golden cases,
// corpus runs and fuzz targets all check the incremental re-parse.
func init() { checkReparse = true }

// TestReparseCases covers the boundaries where re-using a chunk would be
// wrong: a continuation at the end of a changed chunk, comments moved
// between chunks, a changed escape directive, heredocs, a file's end.
func TestReparseCases(t *testing.T) {
	for _, c := range []struct{ name, old, new string }{
		{"one changed", "FROM a\nRUN x\nCMD y\n", "FROM a\nRUN  x\nCMD y\n"},
		{"keyword case", "from a\nrun x\ncmd y\n", "FROM a\nRUN x\nCMD y\n"},
		{"continuation swallows the next", "FROM a\nRUN x\nCMD y\n", "FROM a\nRUN x \\\nCMD y\n"},
		{"comment moves onto a kept chunk", "FROM a\nRUN x\n# c\nCMD y\n", "FROM a\n# c\nRUN x\nCMD y\n"},
		{"comment added above a kept chunk", "FROM a\nRUN x\nCMD y\n", "FROM a\nRUN x\n# new\nCMD y\n"},
		{"instruction removed", "FROM a\nCMD x\nCMD y\n", "FROM a\nCMD y\n"},
		{"instruction inserted", "FROM a\nCMD y\n", "FROM a\nENTRYPOINT [\"e\"]\nCMD y\n"},
		{"escape directive changes", "FROM a\nRUN x `\n  y\n", "# escape=`\nFROM a\nRUN x `\n  y\n"},
		{"backtick file", "# escape=`\nFROM a\nRUN x `\n  y\nCMD z\n", "# escape=`\nFROM a\nRUN x `\n    y\nCMD z\n"},
		{"heredoc kept", "FROM a\nRUN <<EOF\nx\nEOF\ncmd y\n", "FROM a\nRUN <<EOF\nx\nEOF\nCMD y\n"},
		{"heredoc changed", "FROM a\nrun <<EOF\nx\nEOF\nCMD y\n", "FROM a\nRUN <<EOF\nx\nEOF\nCMD y\n"},
		{"dangling continuation at the end", "FROM a\nRUN x \\\n", "FROM a\nRUN  x \\\n"},
		{"old ends in a continuation", "FROM a\nRUN x \\", "FROM a\nRUN x \\\nCMD y\n"},
		{"no final newline", "FROM a\nCMD y", "FROM a\nCMD y\n"},
		{"tail comments", "FROM a\nCMD y\n# end\n", "FROM a\nCMD y\n# end\n\n# more\n"},
		{"inner comment at the end", "FROM a\nRUN x \\\n# c\n", "from a\nRUN x \\\n# c\n"},
		{"directive line added", "FROM a\nCMD y\n", "# syntax=x\nFROM a\nCMD y\n"},
		{"only comments left", "FROM a\nCMD y\n", "# gone\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			old, err := Parse("Dockerfile", []byte(c.old))
			if err != nil {
				t.Fatal(err)
			}
			full, fullErr := Parse("Dockerfile", []byte(c.new))
			// Claim every chunk whose bytes appear anywhere: reparse must
			// check each claim, not trust it.
			for at := 1; at <= len(SplitLines([]byte(c.new))); at++ {
				for i := range old.Instructions {
					got, err := Reparse("Dockerfile", old, []byte(c.new), []Keep{{Old: i, At: at}})
					if (err == nil) != (fullErr == nil) {
						t.Fatalf("keep chunk %d at %d: err %v, full parse err %v", i, at, err, fullErr)
					}
					if err == nil {
						if msg := sameParse(got, full); msg != "" {
							t.Fatalf("keep chunk %d at %d: %s", i, at, msg)
						}
					}
				}
			}
		})
	}
}

// corpusEdits returns edits of f such as fixes and the formatter make:
// every third instruction rewritten with its keyword in upper case and,
// with remove, every seventh removed (heredoc instructions are left
// alone). A removal leaves a gap with no instruction in it, which Reparse
// parses in full.
func corpusEdits(f *File, remove bool) []Edit {
	var edits []Edit
	for i, in := range f.Instructions {
		switch {
		case in.HasHeredoc():
		case remove && i%7 == 6:
			edits = append(edits, f.RemoveInstruction(in))
		case i%3 == 0:
			text := strings.TrimRight(strings.TrimLeft(in.Source(f), " \t"), "\r\n")
			if e, ok := f.ReplaceInstruction(in, strings.ToUpper(in.Keyword)+text[len(in.Keyword):]); ok && !strings.Contains(text, "\n") {
				edits = append(edits, e)
			}
		}
	}
	return edits
}

// TestReparseCorpus edits every corpus file as fixes do and checks, beyond
// the equality checkReparse enforces, that the incremental path is the one
// taken: almost no result may need a full parse.
func TestReparseCorpus(t *testing.T) {
	before := reparseFallbacks.Load()
	var files atomic.Int64
	corpus.ForEach(t, func(name string, src []byte) {
		f, err := Parse(name, src)
		if err != nil {
			return
		}
		edits := corpusEdits(f, false)
		out, _ := ApplyEdits(f, edits)
		files.Add(1)
		if _, err := Reparse(name, f, out, KeepsAfterEdits(f, edits)); err != nil && !errors.Is(err, ErrNoInstructions) {
			t.Errorf("%s: %v", name, err)
		}
	})
	if n := reparseFallbacks.Load() - before; n > files.Load()/100 {
		t.Errorf("%d of %d files needed a full re-parse", n, files.Load())
	}
}

// TestReparseRandomKeeps re-parses edited corpus files keeping random
// subsets of the unchanged chunks, and random wrong claims: the result must
// always be the full parse (checkReparse panics otherwise).
func TestReparseRandomKeeps(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	files := corpus.Files(t)
	for _, path := range files[:len(files)/10] {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(path, src)
		if err != nil {
			continue
		}
		edits := corpusEdits(f, true)
		out, _ := ApplyEdits(f, edits)
		var some []Keep
		for _, k := range KeepsAfterEdits(f, edits) {
			switch rng.Intn(4) {
			case 0: // left out
			case 1: // claimed one line off
				some = append(some, Keep{k.Old, k.At + 1 - 2*rng.Intn(2)})
			default:
				some = append(some, k)
			}
		}
		if _, err := Reparse(path, f, out, some); err != nil && !errors.Is(err, ErrNoInstructions) {
			t.Errorf("%s: %v", path, err)
		}
	}
}
