package rules

import (
	"bytes"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// span is a replacement of bytes [lo, hi) of source line n.
type span struct {
	line, lo, hi int
	text         string
}

// field is one blank-separated word of a source line: bytes [lo, hi).
type field struct{ lo, hi int }

// fields splits the body of line (without its line ending) at blanks.
func fields(line []byte) []field {
	body := dockerfile.LineBody(line)
	var out []field
	for i := 0; i < len(body); {
		for i < len(body) && isBlank(body[i]) {
			i++
		}
		j := i
		for j < len(body) && !isBlank(body[j]) {
			j++
		}
		if j > i {
			out = append(out, field{i, j})
		}
		i = j
	}
	return out
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' }

// textLines returns the lines of in that hold its text: the first line and
// the continued ones, without comment, blank and heredoc lines.
func textLines(f *dockerfile.File, in *dockerfile.Instruction) []int {
	out := []int{in.Start}
	for n := in.Start + 1; n <= in.TextEnd; n++ {
		if f.Kind(n) == dockerfile.LineContinued {
			out = append(out, n)
		}
	}
	return out
}

// editSpans returns the edit of in's lines that makes the replacements
// spans (which must not overlap), keeping every other byte: continuation
// and comment lines, heredoc bodies, line endings.
func editSpans(f *dockerfile.File, in *dockerfile.Instruction, spans []span) dockerfile.Edit {
	var b strings.Builder
	for n := in.Start; n <= in.End; n++ {
		l := f.Line(n)
		var mine []span
		for _, s := range spans {
			if s.line == n {
				mine = append(mine, s)
			}
		}
		// Apply from the right so earlier offsets stay valid.
		for i := len(mine) - 1; i >= 0; i-- {
			s := mine[i]
			l = bytes.Join([][]byte{l[:s.lo], []byte(s.text), l[s.hi:]}, nil)
		}
		b.Write(l)
	}
	return dockerfile.Edit{Start: in.Start, End: in.End, Text: b.String()}
}

// sortSpans orders spans by line and offset (callers find them in that
// order already; this keeps editSpans right when they do not).
func sortSpans(spans []span) {
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && (spans[j].line < spans[j-1].line || spans[j].line == spans[j-1].line && spans[j].lo < spans[j-1].lo); j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
}
