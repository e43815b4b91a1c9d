package dockerfile

import (
	"fmt"
	"strings"
)

// indentOf returns the leading white space of line n.
func (f *File) indentOf(n int) string {
	l := LineBody(f.lines[n-1])
	return string(l[:len(l)-len(TrimLeftSpace(l))])
}

// newlineFor returns the line ending to use for a line cmdfix writes in
// place of instruction in: the ending of its first line, or the file's usual
// ending when that line has none (the last line of a file).
func (f *File) newlineFor(in *Instruction) string {
	if e := LineEnding(f.lines[in.Start-1]); len(e) > 0 {
		return string(e)
	}
	return string(DominantEnding(f.lines))
}

// ReplaceInstruction returns an edit that puts text in place of instruction
// in. text may hold several instructions separated by "\n"; each is written
// with the first line's indentation and line ending, and the last one ends
// like the instruction's last line did. Comment lines inside the
// instruction's continuation lines are kept, unchanged, directly above the
// new text, after any extra comment lines in hoist (full lines such as
// "# note", written with the instruction's indentation). It reports false
// for instructions with heredoc bodies, which are never replaced.
func (f *File) ReplaceInstruction(in *Instruction, text string, hoist ...string) (Edit, bool) {
	if in.HasHeredoc() {
		return Edit{}, false
	}
	nl := f.newlineFor(in)
	indent := f.indentOf(in.Start)
	var b strings.Builder
	for _, h := range hoist {
		b.WriteString(indent + h + nl)
	}
	for _, n := range in.InnerComments(f) {
		l := f.lines[n-1]
		b.Write(l)
		if len(LineEnding(l)) == 0 {
			b.WriteString(nl)
		}
	}
	parts := strings.Split(text, "\n")
	for i, p := range parts {
		b.WriteString(indent + p)
		if i < len(parts)-1 {
			b.WriteString(nl)
		}
	}
	b.Write(LineEnding(f.lines[in.End-1]))
	return Edit{Start: in.Start, End: in.End, Text: b.String()}, true
}

// RemoveInstruction returns an edit that deletes instruction in, keeping
// the comment lines inside its continuation lines.
func (f *File) RemoveInstruction(in *Instruction) Edit {
	var b strings.Builder
	for _, n := range in.InnerComments(f) {
		b.Write(f.lines[n-1])
	}
	return Edit{Start: in.Start, End: in.End, Text: b.String()}
}

// InsertBefore returns an edit that inserts text (lines separated by "\n")
// directly above instruction in, with its indentation and line ending.
func (f *File) InsertBefore(in *Instruction, text string) Edit {
	nl := f.newlineFor(in)
	indent := f.indentOf(in.Start)
	var b strings.Builder
	for _, p := range strings.Split(text, "\n") {
		b.WriteString(indent + p + nl)
	}
	return Edit{Start: in.Start, End: in.Start - 1, Text: b.String()}
}

// CheckEdits validates one fix's edits against the file: in bounds, not
// conflicting, and each starting and ending on an instruction boundary. An
// invalid fix is a bug in the rule that made it.
func CheckEdits(f *File, edits []Edit) error {
	n := f.NumLines()
	for i, e := range edits {
		switch {
		case e.Start < 1 || e.Start > n+1 || e.End < e.Start-1 || e.End > n:
			return fmt.Errorf("edit of lines %d-%d is outside the file (%d lines)", e.Start, e.End, n)
		case e.Start <= n && f.kinds[e.Start-1] != LineFirst && f.kinds[e.Start-1] != LineOther:
			return fmt.Errorf("edit starts inside an instruction at line %d", e.Start)
		case e.End >= e.Start && e.End < n && f.kinds[e.End] != LineFirst && f.kinds[e.End] != LineOther:
			return fmt.Errorf("edit ends inside an instruction at line %d", e.End)
		}
		for _, o := range edits[:i] {
			if EditsConflict(e, o) {
				return fmt.Errorf("edits overlap at line %d", e.Start)
			}
		}
	}
	return nil
}

// EditsConflict reports whether two edits touch the same lines, or insert
// at the same place, so that applying both would be ambiguous.
func EditsConflict(x, y Edit) bool {
	xIns, yIns := x.End < x.Start, y.End < y.Start
	switch {
	case xIns && yIns:
		return x.Start == y.Start
	case xIns:
		return y.Start <= x.Start && x.Start <= y.End
	case yIns:
		return x.Start <= y.Start && y.Start <= x.End
	}
	return x.Start <= y.End && y.Start <= x.End
}

// Edit replaces lines Start..End (1-based, inclusive) with Text. End ==
// Start-1 inserts Text before line Start. Text is whole lines, each ending
// in its line ending, except that a replacement of the file's last line may
// end without one when that line had none.
type Edit struct {
	Start, End int
	Text       string
}

// ApplyEdits returns the source with edits (in line order, not
// conflicting) applied, and for each line of the result the input line it
// came from.
func ApplyEdits(f *File, edits []Edit) ([]byte, []int) {
	out := make([]byte, 0, len(f.src)+256)
	newOrigin := make([]int, 0, len(f.lines)+8)
	next := 1 // next source line to copy
	for _, e := range edits {
		for ; next < e.Start; next++ {
			out = append(out, f.lines[next-1]...)
			newOrigin = append(newOrigin, f.InputLine(next))
		}
		out = append(out, e.Text...)
		// New lines map to the first line they replace (an insertion at
		// the end, to the last line).
		from := f.InputLine(min(e.Start, max(len(f.lines), 1)))
		for range SplitLines([]byte(e.Text)) {
			newOrigin = append(newOrigin, from)
		}
		if e.End >= e.Start {
			next = e.End + 1
		}
	}
	for ; next <= len(f.lines); next++ {
		out = append(out, f.lines[next-1]...)
		newOrigin = append(newOrigin, f.InputLine(next))
	}
	return out, newOrigin
}
