package rewrite

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/syntax"
)

// The safety net: before any result leaves the engine, it is parsed again
// with BuildKit's parser and compared with what it replaced, instruction by
// instruction. Fixes may change only the instructions they replace, and only
// into what they declared; the formatter may change only white space that
// does not matter. Anything else is an internal error and the file is left
// as it was.

// shape is what BuildKit makes of one instruction, without positions.
type shape struct {
	keyword  string
	flags    []string
	json     bool
	args     []string // the flattened argument chain
	heredocs []parser.Heredoc
	trigger  *shape // the instruction an ONBUILD registers
}

func shapeOf(n *parser.Node) *shape {
	s := &shape{
		keyword:  strings.ToLower(n.Value),
		flags:    n.Flags,
		json:     n.Attributes["json"],
		heredocs: n.Heredocs,
	}
	for a := n.Next; a != nil; a = a.Next {
		if s.keyword == "onbuild" && len(a.Children) > 0 {
			s.trigger = shapeOf(a.Children[0])
			continue
		}
		s.args = append(s.args, a.Value)
	}
	return s
}

func (s *shape) String() string {
	if s == nil {
		return "nothing"
	}
	var b strings.Builder
	b.WriteString(strings.ToUpper(s.keyword))
	for _, f := range s.flags {
		b.WriteString(" " + f)
	}
	if s.trigger != nil {
		b.WriteString(" " + s.trigger.String())
	}
	if s.json {
		j, _ := JSONArray(s.args)
		b.WriteString(" " + j)
	} else {
		for _, a := range s.args {
			b.WriteString(" " + a)
		}
	}
	return b.String()
}

// How much two instructions may differ and still be the same to BuildKit.
type looseness uint8

const (
	// exact: the same keyword, flags, arguments and heredocs.
	exact looseness = iota
	// wordCase also lets words BuildKit reads case-insensitively differ in
	// case: FROM's AS and HEALTHCHECK's type (CMD, NONE).
	wordCase
	// shellBlanks also lets shell text differ in white space the shell
	// ignores (as mvdan.cc/sh reads it); only for a POSIX shell.
	shellBlanks
)

// sameShape reports whether two instructions are the same to BuildKit,
// allowing the differences loose names.
func sameShape(a, b *shape, loose looseness) bool {
	if a.keyword != b.keyword || a.json != b.json || !slices.Equal(a.flags, b.flags) ||
		!slices.Equal(a.heredocs, b.heredocs) || len(a.args) != len(b.args) {
		return false
	}
	if (a.trigger == nil) != (b.trigger == nil) || (a.trigger != nil && !sameShape(a.trigger, b.trigger, loose)) {
		return false
	}
	for i := range a.args {
		if a.args[i] == b.args[i] {
			continue
		}
		switch {
		case loose >= wordCase && a.keyword == "from" && strings.EqualFold(a.args[i], "as") && strings.EqualFold(b.args[i], "as"):
		case loose >= wordCase && a.keyword == "healthcheck" && i == 0 && strings.EqualFold(a.args[0], b.args[0]):
			// BuildKit upper-cases HEALTHCHECK's type.
		case loose >= shellBlanks && !a.json && isShellText(a.keyword, i, a.args) && sameShellProgram(a.args[i], b.args[i]):
		default:
			return false
		}
	}
	return true
}

// isShellText reports whether argument i of an instruction is a shell
// command line (the single argument of a shell-form RUN, CMD, ENTRYPOINT,
// or of HEALTHCHECK CMD).
func isShellText(keyword string, i int, args []string) bool {
	switch keyword {
	case "run", "cmd", "entrypoint":
		return i == 0
	case "healthcheck":
		return i == 1 && strings.EqualFold(args[0], "cmd")
	}
	return false
}

// sameShellProgram reports whether two command lines are the same shell
// program: both parse, as Bash, to syntax trees that print identically.
func sameShellProgram(a, b string) bool {
	if onlySeparatorsDiffer(a, b) {
		return true
	}
	pa, ok := printShell(a)
	if !ok {
		return false
	}
	pb, ok := printShell(b)
	return ok && pa == pb
}

func printShell(src string) (string, bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash), syntax.KeepComments(true)).Parse(strings.NewReader(src), "")
	if err != nil {
		return "", false
	}
	var b strings.Builder
	if err := syntax.NewPrinter().Print(&b, f); err != nil {
		return "", false
	}
	return b.String(), true
}

// commentTexts returns the text of every comment line of f (directives
// included), with surrounding white space trimmed.
func commentTexts(f *File) []string {
	var out []string
	for i, l := range f.lines {
		if k := f.kinds[i]; (k == LineOther || k == LineInnerComment) && isCommentLine(l) {
			out = append(out, strings.TrimSpace(string(lineBody(l))))
		}
	}
	return out
}

// missingComments returns the comments of before that after lacks (as a
// multiset: a comment written twice must survive twice).
func missingComments(before, after *File) []string {
	have := map[string]int{}
	for _, c := range commentTexts(after) {
		have[c]++
	}
	var missing []string
	for _, c := range commentTexts(before) {
		if have[c] == 0 {
			missing = append(missing, c)
			continue
		}
		have[c]--
	}
	return missing
}

// sameDirectives reports whether two files have the same parser directives
// and escape character.
func sameDirectives(a, b *File) bool {
	return a.Escape == b.Escape && maps.Equal(a.Directives, b.Directives)
}

// snippetShapes parses replacement text on its own and returns its
// instructions. Text of only comments and blank lines has none.
func snippetShapes(text string, escape byte) ([]*shape, error) {
	onlyComments := true
	for _, l := range splitLines([]byte(text)) {
		if !isBlankLine(l) && !isCommentLine(l) {
			onlyComments = false
			break
		}
	}
	if onlyComments {
		return nil, nil
	}
	// A blank first line keeps comments in text from being read as parser
	// directives; the escape character is set the same way as in the file.
	prefix := "\n"
	if escape == '`' {
		prefix = "# escape=`\n\n"
	}
	res, err := parser.Parse(strings.NewReader(prefix + text))
	if err != nil {
		return nil, err
	}
	var out []*shape
	for _, n := range res.AST.Children {
		out = append(out, shapeOf(n))
	}
	return out, nil
}

// verifyFixes checks that after differs from before exactly as the applied
// fixes declared: every instruction no fix replaced is unchanged, each
// replaced stretch became what its fix's text parses to, the directives are
// the same, and no comment is lost. It returns the rule to blame and what
// went wrong.
func verifyFixes(before, after *File, applied []appliedFix) (string, error) {
	if !sameDirectives(before, after) {
		return names(applied), fmt.Errorf("parser directives or escape character changed")
	}
	if missing := missingComments(before, after); len(missing) > 0 {
		return names(applied), fmt.Errorf("comment %q was lost", missing[0])
	}
	type expected struct {
		shape *shape
		rule  string // the fix that declared it, "" when untouched
	}
	var want []expected
	edits := editsInOrder(applied)
	k := 0 // next edit
	emit := func(e ruleEdit) error {
		shapes, err := snippetShapes(e.Text, before.Escape)
		if err != nil {
			return fmt.Errorf("replacement for lines %d-%d does not parse: %v", e.Start, e.End, err)
		}
		for _, s := range shapes {
			want = append(want, expected{s, e.rule})
		}
		return nil
	}
	for _, in := range before.Instructions {
		for k < len(edits) && edits[k].Start <= in.Start {
			if err := emit(edits[k]); err != nil {
				return edits[k].rule, err
			}
			k++
		}
		if k > 0 && edits[k-1].End >= in.Start && edits[k-1].Start <= in.Start {
			continue // replaced by that edit
		}
		want = append(want, expected{shapeOf(in.Node), ""})
	}
	for ; k < len(edits); k++ {
		if err := emit(edits[k]); err != nil {
			return edits[k].rule, err
		}
	}
	got := after.Instructions
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g *shape
		rule := names(applied)
		if i < len(want) {
			w = want[i].shape
			if want[i].rule != "" {
				rule = want[i].rule
			}
		}
		if i < len(got) {
			g = shapeOf(got[i].Node)
		}
		if w == nil || g == nil || !sameShape(w, g, exact) {
			line := 0
			if i < len(got) {
				line = got[i].Start
			}
			return rule, fmt.Errorf("instruction %d (line %d of the result) is %s, expected %s", i+1, line, g, w)
		}
	}
	return "", nil
}

// verifyFormat checks that formatting changed nothing BuildKit sees: the
// same instructions with the same arguments (shell text may differ only in
// white space the shell ignores, and only where the shell is a POSIX shell:
// cmd.exe keeps blanks), the same heredocs and directives, the same comments
// in the same order, and the same comments above each instruction as
// BuildKit reads them (its linter takes "# check=skip=" from there).
func verifyFormat(before, after *File) error {
	if !sameDirectives(before, after) {
		return fmt.Errorf("parser directives or escape character changed")
	}
	if missing := missingComments(before, after); len(missing) > 0 {
		return fmt.Errorf("comment %q was lost", missing[0])
	}
	if missing := missingComments(after, before); len(missing) > 0 {
		return fmt.Errorf("comment %q was added", missing[0])
	}
	if !slices.Equal(commentTexts(before), commentTexts(after)) {
		return fmt.Errorf("comments were reordered")
	}
	if len(before.Instructions) != len(after.Instructions) {
		return fmt.Errorf("%d instructions became %d", len(before.Instructions), len(after.Instructions))
	}
	hints := 0 // Windows hints in before: 0 not read yet, 1 none, 2 some
	windowsHinted := func() bool {
		if hints == 0 {
			hints = 1
			if windowsHints(before.src) {
				hints = 2
			}
		}
		return hints == 2
	}
	for i, in := range before.Instructions {
		if !slices.Equal(in.Node.PrevComment, after.Instructions[i].Node.PrevComment) {
			return fmt.Errorf("the comments BuildKit reads above the instruction at line %d changed", in.Start)
		}
		a, b := shapeOf(in.Node), shapeOf(after.Instructions[i].Node)
		if sameShape(a, b, wordCase) {
			continue
		}
		sh := shellTextOf(in)
		if (sh != nil && !shellIsPOSIX(before, sh, windowsHinted)) || !sameShape(a, b, shellBlanks) {
			return fmt.Errorf("instruction at line %d changed: %s became %s", in.Start, a, b)
		}
	}
	return nil
}

// shellTextOf returns the instruction (in itself or its ONBUILD trigger)
// whose arguments are shell-form text, or nil.
func shellTextOf(in *Instruction) *Instruction {
	if in.Trigger != nil {
		in = in.Trigger
	}
	switch in.Keyword {
	case "run", "cmd", "entrypoint", "healthcheck":
		if !in.JSON() {
			return in
		}
	}
	return nil
}

type ruleEdit struct {
	Edit
	rule string
}

func editsInOrder(applied []appliedFix) []ruleEdit {
	var out []ruleEdit
	for _, a := range applied {
		for _, e := range a.fix.Edits {
			out = append(out, ruleEdit{e, a.rule})
		}
	}
	slices.SortStableFunc(out, func(x, y ruleEdit) int { return x.Start - y.Start })
	return out
}

func names(applied []appliedFix) string {
	var out []string
	for _, a := range applied {
		if !slices.Contains(out, a.rule) {
			out = append(out, a.rule)
		}
	}
	return strings.Join(out, ", ")
}
