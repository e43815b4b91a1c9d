package format

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// This file classifies the bytes of an instruction's logical line the way
// BuildKit reads them (parser/split_command.go and line_parsers.go, v0.34.2)
// and, for shell text, the way mvdan.cc/sh reads it. Each reader below
// mirrors one BuildKit function; a mismatch with the parsed node makes the
// instruction verbatim instead of guessing.

// analyse classifies the logical line of in and records the keyword and
// array replacements. It reports false when the instruction is not one it
// can read.
func (fm *formatter) analyse(in *dockerfile.Instruction) bool {
	L := fm.logical
	fm.cls = slices0(fm.cls, len(L))
	fm.repls = fm.repls[:0]
	fm.json = jsonJoin{}
	kw := strings.ToLower(in.Node.Value)
	if !dockerfile.IsInstruction(kw) {
		return false
	}
	end := len(bytes.TrimRightFunc(L, unicode.IsSpace))
	for x := end; x < len(L); x++ {
		fm.cls[x] = sep // trailing white space: BuildKit trims it
	}
	kwEnd, args, ok := fm.head(in.Node, 0, end)
	if !ok || kwEnd > fm.pieces[0].hi {
		return false
	}
	fm.upper(0, kwEnd)
	fm.headEnd = args
	inner := kw
	if kw == "onbuild" && in.Trigger != nil && args < end {
		t := in.Trigger
		ikwEnd, iargs, ok := fm.head(t.Node, args, end)
		if !ok {
			return false
		}
		inner = strings.ToLower(t.Node.Value)
		fm.headEnd = iargs
		if dockerfile.IsInstruction(inner) && inner != "onbuild" {
			fm.upper(args, ikwEnd)
			fm.arguments(t, inner, iargs, end)
		} else {
			clear(fm.cls[args:end]) // a trigger BuildKit rejects later: left as written
		}
	} else {
		fm.arguments(in, kw, args, end)
	}
	// BuildKit also looks for heredocs in the whole line with its shell
	// lexer, whose quoting can differ from the flag scanner's: with a
	// possible heredoc, blanks among quoted flags are left alone.
	switch inner {
	case "run", "copy", "add":
		if bytes.Contains(L, []byte("<<")) && bytes.ContainsAny(L[:fm.headEnd], "'\"`\\") {
			clear(fm.cls[:fm.headEnd])
		}
	}
	return true
}

func slices0(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// head reads the keyword and flags of the instruction text logical[base:end]
// as splitCommand and extractBuilderFlags do, marks the blanks between them,
// and returns where the keyword ends and the arguments start. It reports
// false if its reading disagrees with node.
func (fm *formatter) head(node *parser.Node, base, end int) (kwEnd, args int, ok bool) {
	L := fm.logical
	esc := fm.f.Escape
	i := base
	for i < end && !isReSpace(L[i]) {
		i++
	}
	if string(L[base:i]) != node.Value {
		return 0, 0, false
	}
	kwEnd = i
	for i < end && isReSpace(L[i]) {
		fm.cls[i] = gap
		i++
	}
	flags := 0
	pos := i
	args = end
scan:
	for pos < end {
		c := L[pos]
		if isByteSpace(c) {
			fm.cls[pos] = gap
			pos++
			continue
		}
		if c != '-' || pos+1 == end || L[pos+1] != '-' {
			args = pos
			break
		}
		fm.word = fm.word[:0]
		var quote byte
		blankOK := false
		for pos < end {
			c := L[pos]
			if quote == 0 {
				if isByteSpace(c) {
					break
				}
				if c == '\'' || c == '"' {
					quote, blankOK = c, true
					pos++
					continue
				}
			} else if c == quote {
				quote = 0
				pos++
				continue
			}
			if c == esc {
				if pos+1 == end {
					quote = 0
					pos++
					continue
				}
				pos++
				c = L[pos]
			}
			fm.word = append(fm.word, c)
			pos++
		}
		switch {
		case string(fm.word) == "--" && pos < end:
			args = pos // "--" ends the flags
			break scan
		case string(fm.word) != "--" && (blankOK || len(fm.word) > 0):
			flags++
		}
	}
	if flags != len(node.Flags) {
		return 0, 0, false
	}
	// splitCommand trims the arguments with strings.TrimSpace.
	for args < end {
		r, w := utf8.DecodeRune(L[args:end])
		if !unicode.IsSpace(r) {
			break
		}
		for x := args; x < args+w; x++ {
			if isBlank(L[x]) {
				fm.cls[x] = gap
			} else {
				fm.cls[x] = sep
			}
		}
		args += w
	}
	return kwEnd, args, true
}

// upper records an upper-case replacement for the word logical[lo:hi] when
// it is ASCII letters within one line.
func (fm *formatter) upper(lo, hi int) {
	w := fm.logical[lo:hi]
	lower := false
	for _, c := range w {
		switch {
		case 'a' <= c && c <= 'z':
			lower = true
		case 'A' <= c && c <= 'Z':
		default:
			return
		}
	}
	if !lower || !fm.onOneLine(lo, hi) {
		return
	}
	fm.repls = append(fm.repls, replacement{lo, hi, strings.ToUpper(string(w))})
}

// onOneLine reports whether logical[lo:hi] lies within one source line.
func (fm *formatter) onOneLine(lo, hi int) bool {
	for _, p := range fm.pieces {
		if p.lo <= lo && hi <= p.hi && lo < p.hi {
			return true
		}
	}
	return false
}

// arguments classifies the arguments logical[s:e] of instruction in (or
// an ONBUILD's trigger) with keyword kw.
func (fm *formatter) arguments(in *dockerfile.Instruction, kw string, s, e int) {
	if s >= e {
		return
	}
	n := in.Node
	switch kw {
	case "run", "cmd", "entrypoint":
		switch {
		case n.Attributes["json"]:
			fm.jsonArray(in, n.Next, s, e)
		case !fm.looksLikeJSON(s):
			fm.shellText(in, s, e)
		}
	case "shell":
		if n.Attributes["json"] {
			fm.jsonArray(in, n.Next, s, e)
		}
	case "copy", "add", "volume":
		switch {
		case n.Attributes["json"]:
			fm.jsonArray(in, n.Next, s, e)
		case !fm.looksLikeJSON(s) && (kw == "volume" || !bytes.Contains(fm.logical, []byte("<<"))):
			fm.delimited(s, e)
		}
	case "expose":
		fm.delimited(s, e)
	case "from":
		fm.delimited(s, e)
		fm.upperAs(in, s, e)
	case "arg":
		fm.words(s, e)
	case "env", "label":
		if n.Next != nil && n.Next.Next != nil && n.Next.Next.Next != nil && n.Next.Next.Next.Value == "" {
			fm.nameValue(s, e)
		} else {
			fm.words(s, e)
		}
	case "healthcheck":
		fm.healthcheck(in, s, e)
	}
	// user, workdir, maintainer, stopsignal: one string, every blank counts.
}

// looksLikeJSON reports arguments at logical[s:] that start like an exec-form
// array but are not valid JSON. They are left as written: a blank inside
// them may be what keeps them from being JSON (a tab inside a string).
func (fm *formatter) looksLikeJSON(s int) bool {
	return fm.logical[s] == '['
}

// delimited marks the separators of arguments split on BuildKit's
// reWhitespace (parseStringsWhitespaceDelimited): quotes mean nothing there.
func (fm *formatter) delimited(s, e int) {
	for x := s; x < e; x++ {
		if isReSpace(fm.logical[x]) {
			fm.cls[x] = gap
		}
	}
}

// upperAs writes FROM's "AS" in upper case.
func (fm *formatter) upperAs(in *dockerfile.Instruction, s, e int) {
	args := in.Args()
	if in.OnBuild || len(args) != 3 || !strings.EqualFold(args[1], "as") || args[1] == "AS" {
		return
	}
	L := fm.logical
	x := s
	for x < e && !isReSpace(L[x]) {
		x++
	}
	for x < e && isReSpace(L[x]) {
		x++
	}
	if x+2 <= e && strings.EqualFold(string(L[x:x+2]), "as") && (x+2 == e || isReSpace(L[x+2])) {
		fm.upper(x, x+2)
	}
}

// words marks the separators of arguments read by BuildKit's parseWords
// (ARG, and ENV and LABEL in name=value form): blanks outside quotes that
// are not escaped.
func (fm *formatter) words(s, e int) {
	L := fm.logical
	esc := rune(fm.f.Escape)
	const (
		inSpaces = iota
		inWord
		inQuote
	)
	phase := inSpaces
	var quote rune
	for pos := s; pos < e; {
		r, w := utf8.DecodeRune(L[pos:e])
		if phase == inSpaces {
			if unicode.IsSpace(r) {
				fm.mark(pos, pos+w, gap)
				pos += w
				continue
			}
			phase = inWord
		}
		if phase == inWord {
			if unicode.IsSpace(r) {
				phase = inSpaces
				fm.mark(pos, pos+w, gap)
				pos += w
				continue
			}
			if r == '\'' || r == '"' {
				quote, phase = r, inQuote
			}
			pos += w
			if r == esc && pos < e {
				_, w2 := utf8.DecodeRune(L[pos:e])
				pos += w2
			}
			continue
		}
		// inQuote
		if r == quote {
			phase = inWord
		}
		pos += w
		if r == esc && quote != '\'' {
			if pos == e {
				phase = inWord
				continue
			}
			_, w2 := utf8.DecodeRune(L[pos:e])
			pos += w2
		}
	}
}

func (fm *formatter) mark(lo, hi int, c byte) {
	for x := lo; x < hi; x++ {
		fm.cls[x] = c
	}
}

// nameValue marks the one separator of ENV and LABEL in the legacy
// "NAME value" form: the value is everything after it, blanks included.
// BuildKit chose this form because parseWords' first word has no "=", so
// the separator must also be one for parseWords (not an escaped blank).
// When the value spans lines, its layout is content, and the instruction
// keeps all of its line breaks as written.
func (fm *formatter) nameValue(s, e int) {
	L := fm.logical
	fm.words(s, e)
	k := s
	for k < e && !isReSpace(L[k]) {
		k++
	}
	v := k
	for v < e && isReSpace(L[v]) {
		v++
	}
	spans := false
	for _, p := range fm.pieces[1:] {
		if v < p.lo && p.lo < e {
			spans = true
		}
	}
	for x := s; x < e; x++ {
		if spans || x < k || x >= v {
			fm.cls[x] = sig
		}
	}
}

// healthcheck reads HEALTHCHECK's type word and its command
// (parseHealthConfig). The type is written in upper case, as BuildKit
// reads it (instructions.parseHealthcheck upper-cases it).
func (fm *formatter) healthcheck(in *dockerfile.Instruction, s, e int) {
	L := fm.logical
	x := s
	for x < e && !isByteSpace(L[x]) {
		x++
	}
	typ := string(L[s:x])
	if strings.EqualFold(typ, "cmd") || strings.EqualFold(typ, "none") {
		fm.upper(s, x)
	}
	for x < e && isByteSpace(L[x]) {
		fm.cls[x] = gap
		x++
	}
	if x == e || in.Node.Next == nil {
		return
	}
	if in.Node.Attributes["json"] {
		fm.jsonArray(in, in.Node.Next.Next, x, e)
	} else if strings.EqualFold(typ, "cmd") && !fm.looksLikeJSON(x) {
		fm.shellText(in, x, e)
	}
}

// jsonArray handles an exec-form array logical[s:e] whose strings are the
// chain vals. Without comment lines inside it, it is written again with
// JSONArray on the line where it starts; otherwise it stays on its lines,
// which may be re-indented where the break falls between JSON tokens.
func (fm *formatter) jsonArray(in *dockerfile.Instruction, vals *parser.Node, s, e int) {
	L := fm.logical
	if L[s] != '[' {
		return
	}
	p := 0
	for p+1 < len(fm.pieces) && fm.pieces[p+1].lo <= s {
		p++
	}
	comments := false
	for n := fm.pieces[p].line + 1; n <= in.TextEnd; n++ {
		if fm.f.Kind(n) == dockerfile.LineInnerComment {
			comments = true
			break
		}
	}
	if !comments && utf8.Valid(L[s:e]) {
		var args []string
		for v := vals; v != nil; v = v.Next {
			args = append(args, v.Value)
		}
		// The array is written on the line where it starts; a line longer
		// than BuildKit's scanner takes (65,535 bytes) would not parse, so
		// such an array keeps its lines.
		if text, ok := dockerfile.JSONArray(args); ok && s+len(text) < maxLine {
			fm.json = jsonJoin{active: true, at: s, piece: p, text: text}
			return
		}
	}
	inString := false
	for x := s; x < e; x++ {
		switch c := L[x]; {
		case inString && c == '\\':
			x++
		case c == '"':
			inString = !inString
		case !inString && isBlank(c):
			fm.cls[x] = sep
		}
	}
}

// maxLine bounds the lines the formatter writes, below the 65,535 bytes
// BuildKit's line scanner accepts (keeping room for the indentation and
// the keyword).
const maxLine = 60000

// shellText marks the blanks of shell text logical[s:e] that separate
// words, as mvdan.cc/sh parses it: blanks inside a literal, quotes, a
// parameter expansion or a comment stay significant. Text that is not run
// by a POSIX shell, or that does not parse, stays significant throughout.
func (fm *formatter) shellText(in *dockerfile.Instruction, s, e int) {
	breaks := false
	for _, p := range fm.pieces[1:] {
		if s < p.lo && p.lo < e {
			breaks = true
			break
		}
	}
	if !breaks {
		return // nothing to re-indent; blanks inside one line stay as written
	}
	if !fm.f.Dialect(in).SplitsWords() {
		fm.stats.unread++
		return
	}
	if fm.indented(s, e) {
		// Lines already at the indentation are written as they are either
		// way. (This spares the shell parser on formatted files.)
		return
	}
	if fm.shell == nil {
		fm.shell = syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true))
	}
	prog, err := fm.shell.Parse(bytes.NewReader(fm.logical[s:e]), "")
	if err != nil {
		fm.stats.unread++
		return
	}
	L := fm.logical
	for x := s; x < e; x++ {
		if isBlank(L[x]) {
			fm.cls[x] = sep
		}
	}
	syntax.Walk(prog, func(n syntax.Node) bool {
		switch n.(type) {
		case *syntax.Comment:
			// On one line a comment runs to the end.
			fm.mark(s+int(n.Pos().Offset()), e, sig)
			return false
		case *syntax.Lit, *syntax.SglQuoted, *syntax.DblQuoted, *syntax.ParamExp:
			fm.mark(s+int(n.Pos().Offset()), s+int(n.End().Offset()), sig)
			return false
		}
		return true
	})
}

// indented reports whether every continuation line starting inside
// logical[s:e], and every comment line before it, is indented by exactly
// the formatter's indentation already.
func (fm *formatter) indented(s, e int) bool {
	pad := fm.pad
	for i := 1; i < len(fm.pieces); i++ {
		p := fm.pieces[i]
		if p.lo <= s || p.lo >= e {
			continue
		}
		for n := fm.pieces[i-1].line + 1; n <= p.line; n++ {
			l := fm.f.Line(n)
			if fm.f.Kind(n) == dockerfile.LineInnerBlank {
				continue
			}
			if !bytes.HasPrefix(l, pad) || len(l) == len(pad) || isByteSpace(l[len(pad)]) {
				return false
			}
		}
	}
	return true
}
