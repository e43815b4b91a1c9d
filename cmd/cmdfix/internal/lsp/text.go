package lsp

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/sergi/go-diff/diffmatchpatch"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// lines splits text into lines that keep their line endings; the last
// line has none when the text does not end with a newline. An empty text
// has no lines.
func lines(text string) []string {
	var out []string
	for text != "" {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			out = append(out, text)
			break
		}
		out = append(out, text[:i+1])
		text = text[i+1:]
	}
	return out
}

// body returns a line without its line ending.
func body(line string) string {
	line = strings.TrimSuffix(line, "\n")
	return strings.TrimSuffix(line, "\r")
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r) // an invalid byte is U+FFFD: one unit
	}
	return n
}

// lineStart is the position of the start of line i (0-based) of ls, where
// i may be len(ls): the end of the text. When the text does not end with a
// newline, its end is the end of its last line.
func lineStart(ls []string, i int) protocol.Position {
	if i < len(ls) || len(ls) == 0 || strings.HasSuffix(ls[len(ls)-1], "\n") {
		return protocol.Position{Line: i}
	}
	last := ls[len(ls)-1]
	return protocol.Position{Line: len(ls) - 1, Character: utf16Len(last)}
}

// lineEnd is the position of the end of line i's text, before its line
// ending.
func lineEnd(ls []string, i int) protocol.Position {
	if i >= len(ls) {
		return lineStart(ls, len(ls))
	}
	return protocol.Position{Line: i, Character: utf16Len(body(ls[i]))}
}

// offset returns the byte offset of p in text, clamped to the text; a
// character past the end of a line means the end of that line's text.
func offset(text string, p protocol.Position) int {
	off := 0
	for line := 0; line < p.Line; line++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	units := 0
	for i, r := range text[off:] {
		if r == '\n' || (r == '\r' && strings.HasPrefix(text[off+i:], "\r\n")) || units >= p.Character {
			return off + i
		}
		units += utf16.RuneLen(r)
	}
	return len(text)
}

// applyChange applies one didChange event to text.
func applyChange(text string, c protocol.TextDocumentContentChangeEvent) (string, error) {
	if c.Range == nil {
		return c.Text, nil
	}
	start, end := offset(text, c.Range.Start), offset(text, c.Range.End)
	if end < start {
		return "", fmt.Errorf("change range ends before it starts")
	}
	return text[:start] + c.Text + text[end:], nil
}

// applyTextEdits applies non-overlapping edits to text, as a client does.
func applyTextEdits(text string, edits []protocol.TextEdit) string {
	type span struct {
		start, end int
		text       string
	}
	var spans []span
	for _, e := range edits {
		spans = append(spans, span{offset(text, e.Range.Start), offset(text, e.Range.End), e.NewText})
	}
	slices.SortStableFunc(spans, func(a, b span) int { return a.start - b.start })
	var b strings.Builder
	at := 0
	for _, s := range spans {
		b.WriteString(text[at:s.start])
		b.WriteString(s.text)
		at = s.end
	}
	b.WriteString(text[at:])
	return b.String()
}

// lineEdits converts the library's whole-line edits (1-based lines of
// text) into LSP edits.
func lineEdits(text string, edits []dockerfile.Edit) []protocol.TextEdit {
	ls := lines(text)
	out := make([]protocol.TextEdit, 0, len(edits))
	for _, e := range edits {
		out = append(out, protocol.TextEdit{
			Range:   protocol.Range{Start: lineStart(ls, e.Start-1), End: lineStart(ls, e.End)},
			NewText: e.Text,
		})
	}
	return out
}

// applyLineEdits applies the library's whole-line edits to text, as the
// library does: sorted by line, each replacing lines Start..End.
func applyLineEdits(text string, edits []dockerfile.Edit) string {
	ls := lines(text)
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b dockerfile.Edit) int { return a.Start - b.Start })
	var b strings.Builder
	next := 1 // the next line of ls to copy, 1-based
	for _, e := range sorted {
		for ; next < e.Start && next <= len(ls); next++ {
			b.WriteString(ls[next-1])
		}
		b.WriteString(e.Text)
		next = max(next, e.End+1)
	}
	for ; next <= len(ls); next++ {
		b.WriteString(ls[next-1])
	}
	return b.String()
}

// diffEdits returns the edits that turn old into new, one per run of
// changed lines, so that an editor leaves every unchanged line (and the
// cursor and marks on it) alone.
func diffEdits(old, new string) []protocol.TextEdit {
	if old == new {
		return []protocol.TextEdit{}
	}
	dmp := diffmatchpatch.New()
	a, b, table := dmp.DiffLinesToChars(old, new)
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(a, b, false), table)
	ls := lines(old)
	edits := []protocol.TextEdit{}
	line := 0 // 0-based line of old at the current point
	for i := 0; i < len(diffs); {
		if diffs[i].Type == diffmatchpatch.DiffEqual {
			line += len(lines(diffs[i].Text))
			i++
			continue
		}
		start := line
		var ins strings.Builder
		for ; i < len(diffs) && diffs[i].Type != diffmatchpatch.DiffEqual; i++ {
			switch diffs[i].Type {
			case diffmatchpatch.DiffDelete:
				line += len(lines(diffs[i].Text))
			case diffmatchpatch.DiffInsert:
				ins.WriteString(diffs[i].Text)
			}
		}
		edits = append(edits, protocol.TextEdit{
			Range:   protocol.Range{Start: lineStart(ls, start), End: lineStart(ls, line)},
			NewText: ins.String(),
		})
	}
	return edits
}
