package dockerfile

import (
	"bytes"
	"unicode"
)

// SplitLines splits src after every "\n". Line n (1-based, as BuildKit counts)
// is lines[n-1]; each keeps its own line ending, and the last may have none.
func SplitLines(src []byte) [][]byte {
	if len(src) == 0 {
		return nil
	}
	n := bytes.Count(src, []byte{'\n'})
	if src[len(src)-1] != '\n' {
		n++
	}
	lines := make([][]byte, 0, n)
	for len(src) > 0 {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			lines = append(lines, src)
			break
		}
		lines = append(lines, src[:i+1:i+1])
		src = src[i+1:]
	}
	return lines
}

// LineBody returns a line without its line ending. Like BuildKit's scanner it
// strips every trailing '\r' and '\n'.
func LineBody(line []byte) []byte {
	return bytes.TrimRight(line, "\r\n")
}

// LineEnding returns the line ending of line: its "\n" with the carriage
// returns before it ("\r\n", sometimes "\r\r\n"), or "" when the line has
// no "\n". A carriage return alone ends nothing: BuildKit splits lines on
// "\n" only.
func LineEnding(line []byte) []byte {
	if !bytes.HasSuffix(line, []byte("\n")) {
		return nil
	}
	return line[len(LineBody(line)):]
}

// TrimLeftSpace trims leading white space the way BuildKit does (Unicode
// white space, not only ASCII).
func TrimLeftSpace(b []byte) []byte {
	return bytes.TrimLeftFunc(b, unicode.IsSpace)
}

// IsCommentLine reports whether BuildKit treats line as a comment: its first
// non-blank character is '#'.
func IsCommentLine(line []byte) bool {
	t := TrimLeftSpace(line)
	return len(t) > 0 && t[0] == '#'
}

// IsBlankLine reports whether line holds only white space.
func IsBlankLine(line []byte) bool {
	return len(TrimLeftSpace(LineBody(line))) == 0
}

// continues reports whether line ends in the escape character that makes
// BuildKit join the next line to it. It mirrors the parser's regular
// expression: the escape token, optionally followed by blanks, at the end of
// the line, and not itself escaped.
func continues(line []byte, escape byte) bool {
	l := bytes.TrimRight(LineBody(line), " \t")
	n := len(l)
	if n == 0 || l[n-1] != escape {
		return false
	}
	return n == 1 || l[n-2] != escape
}

// DominantEnding returns the line ending most lines of the file use, for
// lines cmdfix creates where no neighbouring line decides.
func DominantEnding(lines [][]byte) []byte {
	crlf, lf := 0, 0
	for _, l := range lines {
		switch e := LineEnding(l); len(e) {
		case 0:
		case 1:
			lf++
		default:
			if bytes.Equal(e, []byte("\r\n")) {
				crlf++
			} else {
				lf++
			}
		}
	}
	if crlf > lf {
		return []byte("\r\n")
	}
	return []byte("\n")
}

// LineKind classifies a source line by the role BuildKit gives it.
type LineKind uint8

const (
	// LineOther is a line outside any instruction: blank, comment or directive.
	LineOther LineKind = iota
	// LineFirst is the first line of an instruction.
	LineFirst
	// LineContinued is a later line of an instruction's text.
	LineContinued
	// LineInnerComment is a comment line inside an instruction's
	// continuation lines; BuildKit drops it from the instruction.
	LineInnerComment
	// LineInnerBlank is an empty line inside continuation lines.
	LineInnerBlank
	// LineHeredoc is a heredoc body line or terminator.
	LineHeredoc
)

// classify marks the lines of one instruction spanning start..end (1-based)
// and returns the last line of its text (before any heredoc bodies).
func classify(kinds []LineKind, lines [][]byte, start, end int, escape byte) int {
	kinds[start-1] = LineFirst
	last := start
	cont := continues(lines[start-1], escape)
	for n := start + 1; cont && n <= end; n++ {
		l := lines[n-1]
		last = n
		switch {
		case IsCommentLine(l):
			kinds[n-1] = LineInnerComment
		case IsBlankLine(l):
			kinds[n-1] = LineInnerBlank
		default:
			kinds[n-1] = LineContinued
			cont = continues(l, escape)
		}
	}
	for n := last + 1; n <= end; n++ {
		kinds[n-1] = LineHeredoc
	}
	return last
}
