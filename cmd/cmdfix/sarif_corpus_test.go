package main

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite"
)

// TestSARIFFixesOverCorpus checks, over the corpus, that the SARIF fix
// objects are the fixes cmdfix applies: applying the replacements of every
// fixed finding to the file on disk gives what cmdfix -w --no-format
// writes, with all kinds of fixes allowed. Files where a fix was only
// offered after another fix changed its lines (no fix object) are counted,
// not compared.
func TestSARIFFixesOverCorpus(t *testing.T) {
	opts := rewrite.Options{NoFormat: true, Unsafe: true, Split: true}
	var compared, changed, dependent, fixes int
	for _, path := range corpus.Files(t) {
		e := fileName(filepath.Base(path))
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		res, err := rewrite.Process(e.Name(), src, opts)
		if err != nil {
			continue // files BuildKit rejects are another test's business
		}
		var reps []sarifReplacement
		x := newLineIndex(src)
		complete := true
		for _, fd := range res.Findings {
			if !fd.Fixed {
				continue
			}
			if fd.Edits == nil {
				complete = false
				break
			}
			reps = append(reps, x.replacements(fd.Edits)...)
			fixes++
		}
		if !complete {
			dependent++
			continue
		}
		compared++
		if res.Changed {
			changed++
		}
		if got := applyReplacements(t, x, reps); got != strings.TrimPrefix(string(res.Output), "\xef\xbb\xbf") {
			t.Errorf("%s: the SARIF fixes give\n%s\ncmdfix writes\n%s", e.Name(), got, res.Output)
		}
	}
	t.Logf("%d files compared (%d changed, %d fixes); %d with a fix that depends on another", compared, changed, fixes, dependent)
	if changed == 0 {
		t.Errorf("no corpus file was changed: the test compared nothing")
	}
}

// applyReplacements applies SARIF replacements to the text after any BOM,
// from the last to the first, by line and UTF-16 column.
func applyReplacements(t *testing.T, x *lineIndex, reps []sarifReplacement) string {
	t.Helper()
	offset := func(line, col int) int {
		start := len(x.src)
		if line-1 < len(x.starts) {
			start = x.starts[line-1]
		}
		units := 0
		i := start
		for units < col-1 {
			r, size := utf8.DecodeRune(x.src[i:])
			units += utf16.RuneLen(r)
			i += size
		}
		return i
	}
	type span struct {
		from, to int
		text     string
	}
	var spans []span
	for _, r := range reps {
		d := r.DeletedRegion
		s := span{from: offset(d.StartLine, d.StartColumn), to: offset(d.EndLine, d.EndColumn)}
		if r.InsertedContent != nil {
			s.text = r.InsertedContent.Text
		}
		spans = append(spans, s)
	}
	sort.SliceStable(spans, func(i, j int) bool { return spans[i].from > spans[j].from })
	out := string(x.src)
	for i, s := range spans {
		if i > 0 && s.to > spans[i-1].from {
			t.Fatalf("replacements overlap: %+v", reps)
		}
		out = out[:s.from] + s.text + out[s.to:]
	}
	return out
}
