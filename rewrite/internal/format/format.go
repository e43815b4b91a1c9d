// Package format writes a parsed Dockerfile in cmdfix's canonical layout.
// It is internal: its result is checked by the safety net before anything
// leaves the engine, and rewrite.Process is the one way to use it.
package format

import (
	"bytes"
	"slices"
	"sync"
	"unicode"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// The formatter works line by line on the source, never on a re-printed
// tree: every line keeps its own bytes and line ending unless a rule below
// says how it changes, and what it cannot account for it leaves alone.
//
// Between instructions: parser directives at the top are kept byte for
// byte; comment lines lose their trailing blanks; runs of blank lines
// become one, and none stay at the start or the end (except a
// blank first line that keeps a directive-looking comment below it a plain
// comment).
//
// Inside an instruction, the text BuildKit reads is the logical line: the
// lines joined with their continuation escapes (and the blanks after them)
// removed, the first line's leading white space trimmed, comment and empty
// lines skipped. The formatter rebuilds that logical line with a map back
// to the source, classifies every byte the way BuildKit's own word rules
// (and, for shell text, mvdan.cc/sh) read it, and then changes only
//   - the case of keywords (and FROM's AS),
//   - the length of runs of blanks that separate words, where the length
//     provably does not matter, and
//   - exec-form JSON arrays, written again as ["a", "b"].
// A continuation line is re-indented only where the blanks at its line
// break separate words in this sense; where the break is glued (BuildKit
// joins "foo\" and "bar" into "foobar"), inside quotes, or in text cmdfix
// cannot read (cmd.exe, PowerShell, unknown instructions), the line keeps
// its indentation.

// formatStats counts what the formatter left alone because it could not
// read it.
type formatStats struct {
	// verbatim counts instructions kept exactly as written: unknown
	// instructions, lines with a carriage return inside, a keyword split
	// over lines, or a reading that disagrees with BuildKit's.
	verbatim int
	// unread counts instructions whose continuation lines keep their
	// indentation because their shell text could not be read: a shell
	// that is not POSIX (SHELL, Windows) or text mvdan.cc/sh rejects.
	unread int
}

// Format returns f's source in cmdfix's canonical layout: keywords in upper
// case, instructions at column 0, continuation lines indented by indent
// spaces (4 when indent is not positive), exec-form arrays written
// ["a", "b"], trailing blanks and surplus blank lines removed, one final
// newline. Directives, comments, heredoc bodies, line endings and
// everything whose white space matters are kept. It also returns the
// offset in the result where each instruction's text ends, so the caller
// can re-parse only what changed.
func Format(f *dockerfile.File, indent int) (out []byte, ends []int) {
	out, _, ends = formatFile(f, indent)
	return out, ends
}

// formatFile is Format that also says what it left alone.
func formatFile(f *dockerfile.File, indent int) ([]byte, formatStats, []int) {
	if indent <= 0 {
		indent = 4
	}
	fm := formatters.Get().(*formatter)
	defer formatters.Put(fm)
	fm.f, fm.stats = f, formatStats{}
	fm.pad = fm.pad[:0]
	for range indent {
		fm.pad = append(fm.pad, ' ')
	}
	fm.out = make([]byte, 0, len(f.Src())+len(f.Src())/16+16)
	fm.ends = make([]int, 0, len(f.Instructions))
	fm.file()
	out, ends := fm.out, fm.ends
	fm.f, fm.out, fm.ends = nil, nil, nil
	return out, fm.stats, ends
}

// formatters keeps formatters' scratch space, and their shell parsers,
// between files.
var formatters = sync.Pool{New: func() any { return new(formatter) }}

type formatter struct {
	f     *dockerfile.File
	pad   []byte
	out   []byte
	ends  []int // where each instruction's text ends in out
	stats formatStats

	// Scratch space for one instruction, reused.
	logical []byte        // the logical line BuildKit reads
	cls     []byte        // what each byte of logical is (sig, sep, gap)
	pieces  []piece       // the source lines that make up logical
	repls   []replacement // changes to logical, in order
	json    jsonJoin      // an exec-form array to write on one line
	word    []byte        // a flag word being read
	headEnd int           // where the innermost instruction's arguments start
	shell   *syntax.Parser
}

// piece is one text line of an instruction and its part of the logical
// line.
type piece struct {
	line     int  // source line (1-based)
	off      int  // where the piece starts in the line (after the first line's indentation)
	lo, hi   int  // its bytes in logical
	lead     int  // leading blanks (continued lines)
	cont     bool // ends in a continuation escape
	reindent bool // its indentation may change
}

// replacement replaces logical[lo:hi] with text in the output.
type replacement struct {
	lo, hi int
	text   string
}

// jsonJoin writes an exec-form array, from logical[at:] to the end of the
// instruction, as text on the line of piece.
type jsonJoin struct {
	active bool
	at     int
	piece  int
	text   string
}

// Byte classes of the logical line.
const (
	sig = iota // significant: a word, a quoted string, or text cmdfix cannot read
	sep        // a blank separating words, whose length does not matter
	gap        // a sep that is also normalised to one space within a line
)

func (fm *formatter) file() {
	f := fm.f
	header := directiveHeader(f)
	for _, l := range f.Lines()[:header] {
		fm.out = append(fm.out, l...)
	}
	wrote := header > 0
	keepBlank := header == 0 && blankHidesDirective(f)
	var blank []byte // line ending of a pending blank line
	pending := false
	next := 0 // next instruction
	for n := header + 1; n <= f.NumLines(); {
		line := f.Line(n)
		if f.Kind(n) == dockerfile.LineOther {
			if dockerfile.IsBlankLine(line) {
				if !pending {
					pending, blank = true, dockerfile.LineEnding(line)
				}
				n++
				continue
			}
		}
		if pending && (wrote || keepBlank) {
			fm.out = append(fm.out, blank...)
		}
		pending, wrote = false, true
		if f.Kind(n) == dockerfile.LineOther {
			// A comment keeps its indentation: BuildKit hands the comments
			// above an instruction to its linter (# check=skip=...) as
			// they are after the line's first byte, so "  # x" reads as
			// "# x" and "# x" as "x".
			fm.comment(line, leadingSpace(line))
			n++
			continue
		}
		for next < len(f.Instructions) && f.Instructions[next].Start < n {
			next++
		}
		if next == len(f.Instructions) || f.Instructions[next].Start != n {
			// Not the first line of an instruction: cannot happen for a
			// parsed file, but never drop a line.
			fm.out = append(fm.out, line...)
			n++
			continue
		}
		in := f.Instructions[next]
		fm.instruction(in)
		fm.ends = append(fm.ends, len(fm.out))
		n = in.End + 1
	}
	fm.finalNewline()
}

// finalNewline ends the output with exactly one line ending in the file's
// style.
func (fm *formatter) finalNewline() {
	if len(fm.out) == 0 || fm.out[len(fm.out)-1] == '\n' {
		return
	}
	// A last line ending in a bare carriage return gets a proper ending.
	fm.out = bytes.TrimRight(fm.out, "\r")
	fm.out = append(fm.out, dockerfile.DominantEnding(fm.f.Lines())...)
}

// directiveHeader returns how many lines at the top are parser directives,
// read as BuildKit's parser reads them (each line's indentation trimmed).
func directiveHeader(f *dockerfile.File) int {
	var dp parser.DirectiveParser
	for i, l := range f.Lines() {
		if f.Kind(i+1) != dockerfile.LineOther {
			return i
		}
		d, err := dp.ParseLine(dockerfile.TrimLeftSpace(dockerfile.LineBody(l)))
		if err != nil || d == nil {
			return i
		}
	}
	return f.NumLines()
}

// blankHidesDirective reports a file that starts with blank lines followed
// by a comment BuildKit would read as a parser directive if it were the
// first line: one blank line must stay to keep it a plain comment.
func blankHidesDirective(f *dockerfile.File) bool {
	for i, l := range f.Lines() {
		if f.Kind(i+1) != dockerfile.LineOther {
			return false
		}
		if dockerfile.IsBlankLine(l) {
			continue
		}
		if i == 0 {
			return false
		}
		var dp parser.DirectiveParser
		d, err := dp.ParseLine(dockerfile.TrimLeftSpace(dockerfile.LineBody(l)))
		return d != nil || err != nil
	}
	return false
}

// comment writes a comment line after pad, without trailing blanks. A
// line with a carriage return inside is kept as it is.
func (fm *formatter) comment(line, pad []byte) {
	body := dockerfile.LineBody(line)
	if bytes.IndexByte(body, '\r') >= 0 {
		fm.out = append(fm.out, line...)
		return
	}
	fm.out = append(fm.out, pad...)
	fm.out = append(fm.out, bytes.TrimRight(dockerfile.TrimLeftSpace(body), " \t")...)
	fm.out = append(fm.out, dockerfile.LineEnding(line)...)
}

// leadingSpace returns the white space line starts with.
func leadingSpace(line []byte) []byte {
	return line[:len(line)-len(dockerfile.TrimLeftSpace(line))]
}

// verbatim writes the instruction's lines exactly as they are, except
// empty continuation lines at the end of the file, which would leave blank
// lines after the final line ending.
func (fm *formatter) verbatim(in *dockerfile.Instruction) {
	fm.stats.verbatim++
	end := in.End
	if end == fm.f.NumLines() {
		for end > in.Start && fm.f.Kind(end) == dockerfile.LineInnerBlank {
			end--
		}
	}
	for n := in.Start; n <= end; n++ {
		fm.out = append(fm.out, fm.f.Line(n)...)
	}
}

func (fm *formatter) instruction(in *dockerfile.Instruction) {
	if !fm.readLogical(in) || !fm.analyse(in) {
		fm.verbatim(in)
		return
	}
	fm.emit(in)
}

// readLogical builds the logical line of in's text lines, as BuildKit's
// parser joins them, and the pieces that map it back to the source. It
// reports false for text it does not model: a carriage return inside a
// line, or lines whose continuations disagree with the line kinds.
func (fm *formatter) readLogical(in *dockerfile.Instruction) bool {
	f := fm.f
	esc := f.Escape
	fm.logical = fm.logical[:0]
	fm.pieces = fm.pieces[:0]
	for n := in.Start; n <= in.TextEnd; n++ {
		k := f.Kind(n)
		if k != dockerfile.LineFirst && k != dockerfile.LineContinued {
			continue
		}
		body := dockerfile.LineBody(f.Line(n))
		if bytes.IndexByte(body, '\r') >= 0 {
			return false
		}
		p := piece{line: n}
		if k == dockerfile.LineFirst {
			p.off = len(body) - len(dockerfile.TrimLeftSpace(body))
		}
		text := body[p.off:]
		// BuildKit's continuation pattern: the escape, then only blanks,
		// at the end, not itself escaped (or alone on the line).
		if t := bytes.TrimRight(text, " \t"); len(t) > 0 && t[len(t)-1] == esc && (len(t) == 1 || t[len(t)-2] != esc) {
			p.cont = true
			text = t[:len(t)-1]
		}
		if k == dockerfile.LineContinued {
			p.lead = len(text) - len(bytes.TrimLeft(text, " \t"))
		}
		p.lo = len(fm.logical)
		fm.logical = append(fm.logical, text...)
		p.hi = len(fm.logical)
		fm.pieces = append(fm.pieces, p)
	}
	if len(fm.pieces) == 0 || f.Kind(fm.pieces[0].line) != dockerfile.LineFirst {
		return false
	}
	for _, p := range fm.pieces[:len(fm.pieces)-1] {
		if !p.cont {
			return false
		}
	}
	return true
}

// emit writes the instruction: its text lines rebuilt from the logical
// line with the replacements applied, inner comments re-indented with the
// line they precede, empty continuation lines dropped, heredoc bodies as
// they are.
func (fm *formatter) emit(in *dockerfile.Instruction) {
	f := fm.f
	for i := 1; i < len(fm.pieces); i++ {
		fm.pieces[i].reindent = fm.safeBreak(fm.pieces[i].lo)
	}
	fm.addGapReplacements()
	slices.SortFunc(fm.repls, func(a, b replacement) int { return a.lo - b.lo })

	next, r := 0, 0 // next piece, next replacement
	joined := false
	for n := in.Start; n <= in.TextEnd; n++ {
		line := f.Line(n)
		switch f.Kind(n) {
		case dockerfile.LineInnerBlank:
			continue
		case dockerfile.LineInnerComment:
			// A comment sits at the line break before the next piece; it
			// moves with that line.
			if next == len(fm.pieces) || fm.pieces[next].reindent {
				fm.comment(line, fm.pad)
			} else {
				fm.comment(line, leadingSpace(line))
			}
			continue
		}
		if joined {
			continue
		}
		p := fm.pieces[next]
		next++
		start := len(fm.out)
		lo := p.lo
		if p.reindent {
			fm.out = append(fm.out, fm.pad...)
			lo += p.lead
		}
		// Copy logical[lo:p.hi] with replacements, up to an array to join.
		hi := p.hi
		if fm.json.active && fm.json.piece == next-1 {
			hi, joined = fm.json.at, true
		}
		for ; r < len(fm.repls) && fm.repls[r].lo < hi; r++ {
			x := fm.repls[r]
			fm.out = append(fm.out, fm.logical[lo:x.lo]...)
			fm.out = append(fm.out, x.text...)
			lo = x.hi
		}
		fm.out = append(fm.out, fm.logical[lo:hi]...)
		switch {
		case joined:
			fm.out = append(fm.out, fm.json.text...)
		case p.cont:
			fm.out = append(fm.out, f.Escape)
		default:
			// Trailing blanks go. This cannot make the line continue:
			// BuildKit's pattern already allows blanks after the escape.
			fm.out = fm.out[:start+len(bytes.TrimRight(fm.out[start:], " \t"))]
		}
		fm.out = append(fm.out, dockerfile.LineEnding(line)...)
	}
	for n := in.TextEnd + 1; n <= in.End; n++ {
		fm.out = append(fm.out, f.Line(n)...)
	}
}

// safeBreak reports whether the continuation line whose piece starts at
// logical offset at may be re-indented: the blanks around the line break
// must be there (a glued break would be split) and all separate words.
func (fm *formatter) safeBreak(at int) bool {
	L := fm.logical
	a, b := at, at
	for a > 0 && isBlank(L[a-1]) {
		a--
	}
	for b < len(L) && isBlank(L[b]) {
		b++
	}
	if a == b {
		return false
	}
	for x := a; x < b; x++ {
		if fm.cls[x] == sig {
			return false
		}
	}
	return true
}

// addGapReplacements turns every run of blanks marked gap that lies inside
// one line (not at its start or its end) into a single space.
func (fm *formatter) addGapReplacements() {
	L := fm.logical
	for i, p := range fm.pieces {
		lo := p.lo
		if i > 0 {
			lo += p.lead
		}
		for x := lo; x < p.hi; {
			if fm.cls[x] != gap {
				x++
				continue
			}
			a := x
			blanks := true
			for x < p.hi && fm.cls[x] == gap {
				blanks = blanks && isBlank(L[x])
				x++
			}
			if x == p.hi || !blanks || (x-a == 1 && L[a] == ' ') {
				continue
			}
			if fm.json.active && a >= fm.json.at {
				continue
			}
			fm.repls = append(fm.repls, replacement{a, x, " "})
		}
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// isReSpace matches BuildKit's reWhitespace, [\t\v\f\r ], which splits the
// keyword from its arguments and whitespace-delimited arguments.
func isReSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'
}

// isByteSpace is unicode.IsSpace applied to a single byte, as BuildKit's
// flag and HEALTHCHECK scanners do.
func isByteSpace(c byte) bool { return unicode.IsSpace(rune(c)) }
