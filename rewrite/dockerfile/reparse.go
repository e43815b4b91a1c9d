package dockerfile

import (
	"bytes"
	"strings"
	"sync/atomic"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Incremental re-parsing for the safety net.
//
// The safety net parses every result again with BuildKit's parser. Most of
// a result is usually unchanged, and BuildKit's parser reads a Dockerfile
// line by line without looking ahead: when an instruction ends (a line
// without a continuation escape, then its heredoc bodies), the parser keeps
// nothing but the escape character and line count, and starts collecting
// the comments above the next instruction afresh. So a chunk of the
// source, the lines after one instruction up to the end of the next one,
// parses the same wherever it stands, provided the chunk before it ends
// cleanly and the escape character is the same.
//
// Reparse uses that: the chunks the caller says are unchanged keep the
// nodes of the earlier parse (checked byte for byte); every other line is
// handed to BuildKit's parser, in one document, and the result must split
// back into the gaps exactly, ending at clean boundaries. Whenever that
// cannot be shown, Reparse falls back to parsing the whole text. Tests set
// checkReparse, which compares every incremental result with a full parse.

// checkReparse makes Reparse also parse the whole text and panic when the
// incremental result differs. Tests turn it on.
var checkReparse = false

// reparseFallbacks counts full parses Reparse fell back to, for tests.
var reparseFallbacks atomic.Int64

// A Keep says that the new text holds, from line At, exactly the lines
// of chunk Old (the lines after instruction Old-1 up to the end of
// instruction Old) of the earlier parse.
type Keep struct{ Old, At int }

// chunkStart returns the first line of instruction i's chunk: the line
// after the previous instruction.
func (f *File) chunkStart(i int) int {
	if i == 0 {
		return 1
	}
	return f.Instructions[i-1].End + 1
}

// endsCleanly reports whether BuildKit ended instruction in on a line of its
// own text without a continuation escape (not at the end of the file in
// the middle of a continuation), so nothing after it can change it.
func (f *File) endsCleanly(in *Instruction) bool {
	k := f.kinds[in.TextEnd-1]
	return (k == LineFirst || k == LineContinued) && !continues(f.lines[in.TextEnd-1], f.Escape)
}

// Reparse returns what Parse(name, src) returns, re-using old's parse for
// the chunks in keeps (ascending by line).
func Reparse(name string, old *File, src []byte, keeps []Keep) (f *File, err error) {
	defer func() { carryImages(old, f) }()
	f, ok := reparseIncrementally(name, old, src, keeps)
	if !ok {
		reparseFallbacks.Add(1)
		return Parse(name, src)
	}
	if checkReparse {
		full, err := Parse(name, src)
		if err != nil {
			panic("reparse succeeded where Parse fails: " + err.Error())
		}
		if msg := sameParse(f, full); msg != "" {
			panic("reparse differs from Parse: " + msg)
		}
	}
	return f, nil
}

// freshSpan is a stretch of new lines that is parsed afresh.
type freshSpan struct {
	start, end int // new lines, inclusive
	synth      int // line of the synthetic document where it starts
}

func reparseIncrementally(name string, old *File, src []byte, keeps []Keep) (*File, bool) {
	lines := SplitLines(src)
	directives := ReadDirectives(src)
	if escapeOf(directives) != old.Escape {
		return nil, false // every chunk reads differently
	}
	// Check the kept chunks and find the gaps between them.
	var gaps []freshSpan
	next := 1 // first new line not yet accounted for
	for _, k := range keeps {
		in := old.Instructions[k.Old]
		cs, n := old.chunkStart(k.Old), in.End-old.chunkStart(k.Old)+1
		if k.At < next || k.At+n-1 > len(lines) || !old.endsCleanly(in) {
			return nil, false
		}
		for i := range n {
			if !bytes.Equal(lines[k.At-1+i], old.lines[cs-1+i]) {
				return nil, false
			}
		}
		if k.At > next {
			gaps = append(gaps, freshSpan{start: next, end: k.At - 1})
		}
		next = k.At + n
	}
	if next <= len(lines) {
		gaps = append(gaps, freshSpan{start: next, end: len(lines)})
	}

	// Parse the gaps as one document. After the first line of the file,
	// a prefix sets the escape character and ends the directives.
	var synth [][]byte
	var doc bytes.Buffer
	if len(gaps) > 0 && gaps[0].start > 1 {
		synth = append(synth, escapePrefix(old.Escape)...)
	}
	for i := range gaps {
		gaps[i].synth = len(synth) + 1
		synth = append(synth, lines[gaps[i].start-1:gaps[i].end]...)
	}
	var fresh []*parser.Node
	var synthKinds []LineKind
	if len(gaps) > 0 {
		for _, l := range synth {
			doc.Write(l)
		}
		res, err := parser.Parse(bytes.NewReader(doc.Bytes()))
		switch {
		case err == nil:
			fresh = res.AST.Children
		case err.Error() == ErrNoInstructions.Error():
		default:
			return nil, false
		}
		synthKinds = make([]LineKind, len(synth))
	}

	// Put kept and fresh instructions together, in order, with the new
	// line numbers, checking that each gap ends at a clean instruction
	// boundary (or at the end of the file).
	f := &File{Name: name, Escape: old.Escape, src: src, lines: lines, Directives: directives}
	f.kinds = make([]LineKind, len(lines))
	gi, fi := 0, 0
	addGap := func() bool {
		g := gaps[gi]
		gi++
		synthEnd := g.synth + g.end - g.start
		last := 0
		for ; fi < len(fresh) && fresh[fi].StartLine <= synthEnd; fi++ {
			n := fresh[fi]
			if n.StartLine < g.synth || n.EndLine > synthEnd {
				return false
			}
			last = classify(synthKinds, synth, n.StartLine, n.EndLine, old.Escape)
			c := *n
			c.StartLine += g.start - g.synth
			c.EndLine += g.start - g.synth
			f.addInstruction(&c)
			if n.EndLine == synthEnd {
				fi++
				break
			}
		}
		if g.end == len(lines) {
			return fi == len(fresh) || fresh[fi].StartLine > synthEnd
		}
		// A gap before a kept chunk must end with an instruction that ends
		// cleanly on the gap's last line: no comment may run on into the
		// kept chunk, and no continuation.
		n := len(f.Instructions)
		if n == 0 || f.Instructions[n-1].End != g.end {
			return false
		}
		k := synthKinds[last-1]
		return (k == LineFirst || k == LineContinued) && !continues(synth[last-1], old.Escape)
	}
	for _, k := range keeps {
		if gi < len(gaps) && gaps[gi].start < k.At && !addGap() {
			return nil, false
		}
		c := *old.Instructions[k.Old].Node
		delta := k.At - old.chunkStart(k.Old)
		c.StartLine += delta
		c.EndLine += delta
		f.addInstruction(&c)
	}
	if gi < len(gaps) && !addGap() {
		return nil, false
	}
	if fi != len(fresh) || len(f.Instructions) == 0 {
		return nil, false
	}
	f.buildStages()
	return f, true
}

// escapeOf returns the escape character the directives set.
func escapeOf(directives map[string]string) byte {
	if directives["escape"] == "`" {
		return '`'
	}
	return '\\'
}

// escapePrefix returns lines that, at the top of a document, set the escape
// character and end the parser directives, adding no comment.
func escapePrefix(escape byte) [][]byte {
	if escape == '`' {
		return [][]byte{[]byte("# escape=`\n"), []byte("\n")}
	}
	return [][]byte{[]byte("\n")}
}

// sameParse compares two parses of the same text and describes the first
// difference, or returns "".
func sameParse(a, b *File) string {
	if a.Escape != b.Escape || len(a.Instructions) != len(b.Instructions) || len(a.Stages) != len(b.Stages) {
		return "escape, instruction or stage count"
	}
	for i, x := range a.Instructions {
		y := b.Instructions[i]
		if x.Start != y.Start || x.End != y.End || x.TextEnd != y.TextEnd || x.Keyword != y.Keyword ||
			(x.Trigger == nil) != (y.Trigger == nil) || (x.Trigger != nil && x.Trigger.Keyword != y.Trigger.Keyword) {
			return "lines of instruction " + y.Node.Original
		}
		if x.Node.Dump() != y.Node.Dump() || x.Node.Original != y.Node.Original ||
			strings.Join(x.Node.PrevComment, "\n") != strings.Join(y.Node.PrevComment, "\n") ||
			x.Node.StartLine != y.Node.StartLine || x.Node.EndLine != y.Node.EndLine ||
			!sameHeredocs(x.Node.Heredocs, y.Node.Heredocs) || !sameAttrs(x.Node.Attributes, y.Node.Attributes) {
			return "node of instruction " + y.Node.Original
		}
	}
	for i := range a.kinds {
		if a.kinds[i] != b.kinds[i] {
			return "line kinds"
		}
	}
	return ""
}

func sameHeredocs(a, b []parser.Heredoc) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sameAttrs(a, b map[string]bool) bool {
	return a["json"] == b["json"] && len(a) == len(b)
}

// KeepsFromChunks compares the chunks of old with the same-numbered chunks
// of new text, which end at the byte offsets ends (one per instruction of
// old, as the formatter writes them), and returns those that are
// unchanged.
func KeepsFromChunks(old *File, src []byte, ends []int) []Keep {
	if len(ends) != len(old.Instructions) {
		return nil
	}
	var keeps []Keep
	line, from := 1, 0
	for i, end := range ends {
		in := old.Instructions[i]
		cs := old.chunkStart(i)
		if end > len(src) || end < from {
			return keeps
		}
		chunk := src[from:end]
		if end > 0 && src[end-1] == '\n' && equalLines(chunk, old.lines[cs-1:in.End]) {
			keeps = append(keeps, Keep{Old: i, At: line})
		}
		line += bytes.Count(chunk, []byte{'\n'})
		from = end
	}
	return keeps
}

// equalLines reports whether b holds exactly lines, joined.
func equalLines(b []byte, lines [][]byte) bool {
	for _, l := range lines {
		if !bytes.HasPrefix(b, l) {
			return false
		}
		b = b[len(l):]
	}
	return len(b) == 0
}

// KeepsAfterEdits returns the chunks of f that edits (sorted by Start, not
// overlapping) leave untouched, with the line where each lands.
func KeepsAfterEdits(f *File, edits []Edit) []Keep {
	var keeps []Keep
	shift, k := 0, 0 // lines added so far by edits before the chunk; next edit
	for i, in := range f.Instructions {
		cs, ce := f.chunkStart(i), in.End
		touched := false
		for ; k < len(edits); k++ {
			e := edits[k]
			last := max(e.End, e.Start) // an insertion touches the line it goes before
			if e.Start > ce {
				break
			}
			if last >= cs {
				touched = true
			}
			if last > ce {
				break // it reaches into the next chunk too
			}
			shift += len(SplitLines([]byte(e.Text))) - (e.End - e.Start + 1)
		}
		if !touched {
			keeps = append(keeps, Keep{Old: i, At: cs + shift})
		}
	}
	return keeps
}
