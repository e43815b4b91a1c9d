// Package safety is the safety net: before any result leaves the engine,
// it is parsed again
// with BuildKit's parser and compared with what it replaced, line by line
// and instruction by instruction:
//
//   - after each round of fixes, every instruction and comment line no fix
//     replaced is unchanged and in its place, and each replaced stretch
//     became exactly what its fix's text parses to (VerifyFixes);
//   - after formatting, the file has the same instructions, comments and
//     heredocs in the same order; shell text may differ only in white
//     space the shell in effect ignores (VerifyFormat);
//   - at the end, the result has the input's parser directives, build
//     stages and comments (VerifyOutcome), a last check that does not
//     depend on the two above being right;
//   - at every step, unless a fix said it changes behaviour (an unsafe
//     fix, a requested split), what each stage's image runs is the same:
//     the process a container starts, the health check and the final
//     SHELL, inheritance included (image.go).
//
// Parser directives (including a "# syntax=" BuildKit finds after a
// shebang or written as "// syntax="), the escape character, and bytes
// that are not valid UTF-8 must survive every step. Anything else is an
// internal error and the file is left as it was.
//
// The net judges from its own Facts: BuildKit's parse of input and
// output, shell syntax trees, and the platform model of package
// dockerfile. It calls nothing in the formatter or the rules, and they
// call nothing in it.
package safety

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/shell"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Facts is what the safety net records about one parse of a file. It is
// taken right after parsing, before any rule runs, so a rule that wrongly
// changed the syntax tree could not change the reference too.
type Facts struct {
	items []item
	dirs  directiveState
	// images is what each stage's image runs (see image.go).
	images []stageImage
	// invalid counts, per source line, the bytes that are not valid
	// UTF-8; nil when there are none.
	invalid []int
}

type itemKind uint8

const (
	itemInstruction  itemKind = iota
	itemComment               // a comment line between instructions (directives too)
	itemInnerComment          // a comment line inside continuation lines
)

// item is one instruction or comment line, in source order.
type item struct {
	kind itemKind
	line int    // source line; an instruction's first
	text string // a comment's text, without surrounding white space
	// read is a comment line between instructions as BuildKit reads it
	// into the next instruction's Node.PrevComment, where check=skip
	// pragmas and stage descriptions come from: it drops the line's first
	// byte, so an indented comment keeps its '#'.
	read  string
	shape *shape // an instruction's shape
	rule  string // for expected items: the fix that declared it
}

// shape is what BuildKit makes of one instruction, without positions.
type shape struct {
	keyword  string
	flags    []string
	json     bool
	args     []string // the flattened argument chain
	heredocs []parser.Heredoc
	trigger  *shape // the instruction an ONBUILD registers
	line     int    // in VerifyOutcome's list of stages: the FROM's line
	// shell is how the shell in effect reads shell text; it decides which
	// white space the formatter may change.
	shell shell.Dialect
	// argv is, for a CMD, ENTRYPOINT or HEALTHCHECK of a stage that is
	// not a Windows stage, the SHELL in effect that runs its shell form;
	// nil otherwise.
	argv []string
}

func Of(f *dockerfile.File) *Facts {
	fs := &Facts{dirs: directivesOf(f.Head(), f.Escape), images: imagesOf(f)}
	next := 0 // next instruction
	for n, l := range f.Lines() {
		switch f.Kind(n + 1) {
		case dockerfile.LineOther, dockerfile.LineInnerComment:
			if !dockerfile.IsCommentLine(l) {
				continue
			}
			k := itemComment
			if f.Kind(n+1) == dockerfile.LineInnerComment {
				k = itemInnerComment
			}
			it := item{kind: k, line: n + 1, text: trimmedComment(l)}
			if k == itemComment {
				it.read = buildkitComment(l)
			}
			fs.items = append(fs.items, it)
		case dockerfile.LineFirst:
			in := f.Instructions[next]
			next++
			s := shapeIn(in.Node, f.Dialect(in))
			switch in.Keyword {
			case "cmd", "entrypoint", "healthcheck":
				if in.Stage != nil && !f.MaybeWindows(in.Stage) {
					s.argv = in.ShellWords()
				}
			}
			if s.trigger != nil && in.Stage != nil {
				// A trigger runs in a child image, under the SHELL this
				// stage ends with.
				setShell(s.trigger, f.Dialect(in.Trigger))
			}
			fs.items = append(fs.items, item{kind: itemInstruction, line: in.Start, shape: s})
		}
	}
	if !utf8.Valid(f.Src()) {
		fs.invalid = make([]int, f.NumLines())
		for n, l := range f.Lines() {
			fs.invalid[n] = invalidBytes(l)
		}
	}
	return fs
}

// CommentFacts returns the Facts of a text BuildKit finds no instruction
// in: its directives and comment lines.
func CommentFacts(src []byte) *Facts {
	escape := byte('\\')
	if dockerfile.ReadDirectives(src)["escape"] == "`" {
		escape = '`'
	}
	fs := &Facts{dirs: directivesOf(src, escape)}
	lines := dockerfile.SplitLines(src)
	for n, l := range lines {
		if dockerfile.IsCommentLine(l) {
			fs.items = append(fs.items, item{kind: itemComment, line: n + 1, text: trimmedComment(l), read: buildkitComment(l)})
		}
	}
	if !utf8.Valid(src) {
		fs.invalid = make([]int, len(lines))
		for n, l := range lines {
			fs.invalid[n] = invalidBytes(l)
		}
	}
	return fs
}

func trimmedComment(line []byte) string {
	return strings.TrimSpace(string(dockerfile.LineBody(line)))
}

// buildkitComment returns comment line as BuildKit's parser reads it.
func buildkitComment(line []byte) string {
	return strings.TrimSpace(string(bytes.TrimSuffix(line, []byte("\n"))[1:]))
}

// shapeIn copies what BuildKit made of node n, run by shell sh.
func shapeIn(n *parser.Node, sh shell.Dialect) *shape {
	s := &shape{
		keyword:  strings.ToLower(n.Value),
		flags:    slices.Clone(n.Flags),
		json:     n.Attributes["json"],
		heredocs: slices.Clone(n.Heredocs),
		shell:    sh,
	}
	if !dockerfile.IsInstruction(n.Value) {
		// BuildKit ignores the words after an unknown keyword; cmdfix
		// keeps them as they are.
		o := strings.TrimSpace(n.Original)
		s.args = []string{strings.TrimSpace(o[min(len(n.Value), len(o)):])}
		return s
	}
	for a := n.Next; a != nil; a = a.Next {
		if s.keyword == "onbuild" && len(a.Children) > 0 {
			s.trigger = shapeIn(a.Children[0], sh)
			continue
		}
		s.args = append(s.args, a.Value)
	}
	return s
}

func setShell(s *shape, sh shell.Dialect) {
	for ; s != nil; s = s.trigger {
		s.shell = sh
	}
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
		j, _ := dockerfile.JSONArray(s.args)
		b.WriteString(" " + j)
	} else {
		for _, a := range s.args {
			b.WriteString(" " + a)
		}
	}
	for _, h := range s.heredocs {
		fmt.Fprintf(&b, " <<%s(%d bytes)", h.Name, len(h.Content))
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
	// that runs it ignores (see shell.SameText).
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
		case loose >= wordCase && a.keyword == "from" && i == 1 && strings.EqualFold(a.args[i], "as") && strings.EqualFold(b.args[i], "as"):
		case loose >= wordCase && a.keyword == "healthcheck" && i == 0 && strings.EqualFold(a.args[i], b.args[i]):
			// BuildKit upper-cases HEALTHCHECK's type.
		case loose >= shellBlanks && !a.json && isShellText(a.keyword, i, a.args) && shell.SameText(a.args[i], b.args[i], a.shell):
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

// directiveState is every parser directive BuildKit reads, as it reads
// them: the escape character, the leading "# key=value" lines, the syntax
// the frontend dispatches on (which BuildKit also finds after a shebang,
// as "// syntax=", or in a JSON object), and the check directive.
type directiveState struct {
	escape              byte
	leading             string // the leading directives, sorted
	syntax, syntaxLine  string
	check               string
	hasSyntax, hasCheck bool
}

func directivesOf(src []byte, escape byte) directiveState {
	d := directiveState{escape: escape}
	if t := dockerfile.TrimLeftSpace(src); len(t) == 0 || !strings.ContainsRune("#/{", rune(t[0])) {
		return d // no comment, shebang or JSON object first: no directive
	}
	if !bytes.ContainsRune(src, '=') && !bytes.ContainsRune(src, ':') {
		return d // every form of directive has "key=value" or "key": value
	}
	m := dockerfile.ReadDirectives(src)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		d.leading += k + "=" + m[k] + "\n"
	}
	d.syntax, d.syntaxLine, _, d.hasSyntax = parser.DetectSyntax(src)
	_, d.check, _, d.hasCheck = parser.ParseDirective("check", src)
	return d
}

func (d directiveState) String() string {
	s := fmt.Sprintf("escape %q", d.escape)
	if d.leading != "" {
		s += ", " + strings.ReplaceAll(strings.TrimSuffix(d.leading, "\n"), "\n", ", ")
	}
	if d.hasSyntax {
		s += fmt.Sprintf(", frontend syntax %q", d.syntaxLine)
	}
	if d.hasCheck {
		s += fmt.Sprintf(", check %q", d.check)
	}
	return s
}

func sameDirectives(a, b *Facts) error {
	if a.dirs != b.dirs {
		return fmt.Errorf("parser directives changed: %s became %s", a.dirs, b.dirs)
	}
	return nil
}

// invalidBytes counts the bytes of b that are not valid UTF-8.
func invalidBytes(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			n++
		}
		b = b[size:]
	}
	return n
}

func (fs *Facts) invalidIn(start, end int) int {
	n := 0
	for l := start; l <= end && l <= len(fs.invalid); l++ {
		n += fs.invalid[l-1]
	}
	return n
}

func (fs *Facts) invalidTotal() int { return fs.invalidIn(1, len(fs.invalid)) }

func (it *item) String() string {
	switch {
	case it == nil:
		return "nothing"
	case it.kind == itemComment && it.read != strings.TrimSpace(it.text[1:]):
		return fmt.Sprintf("comment %q (which BuildKit reads as %q)", it.text, it.read)
	case it.kind == itemComment:
		return fmt.Sprintf("comment %q", it.text)
	case it.kind == itemInnerComment:
		return fmt.Sprintf("comment %q inside continuation lines", it.text)
	}
	return it.shape.String()
}

// sameItem compares two items; loose is as for sameShape.
func sameItem(a, b *item, loose looseness) bool {
	if a == nil || b == nil || a.kind != b.kind {
		return false
	}
	if a.kind != itemInstruction {
		return a.text == b.text && a.read == b.read
	}
	return sameShape(a.shape, b.shape, loose)
}

// snippetItems parses replacement text on its own, with the file's escape
// character, and returns its instructions and comment lines.
func snippetItems(text string, escape byte) ([]item, error) {
	// A blank first line keeps comments in text from being read as parser
	// directives.
	prefix := "\n"
	if escape == '`' {
		prefix = "# escape=`\n\n"
	}
	skip := strings.Count(prefix, "\n")
	sf, err := dockerfile.Parse("", []byte(prefix+text))
	if errors.Is(err, dockerfile.ErrNoInstructions) {
		var out []item
		for _, l := range dockerfile.SplitLines([]byte(text)) {
			if dockerfile.IsCommentLine(l) {
				out = append(out, item{kind: itemComment, text: trimmedComment(l), read: buildkitComment(l)})
			}
		}
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	var out []item
	for _, it := range Of(sf).items {
		if it.line > skip {
			out = append(out, it)
		}
	}
	return out, nil
}

// VerifyFixes checks that after differs from before exactly as the applied
// fixes declared: every instruction and comment line no fix replaced is
// unchanged and in its place, each replaced stretch became what its fix's
// text parses to, and the directives and non-UTF-8 bytes are kept. bf and
// af are the Facts of before and after. It returns the rule to blame and
// what went wrong.
func VerifyFixes(before *dockerfile.File, bf, af *Facts, applied []Fix) (string, error) {
	if err := sameDirectives(bf, af); err != nil {
		return Names(applied), err
	}
	var want []item
	edits := editsInOrder(applied)
	wantInvalid := bf.invalidTotal()
	blame := Names(applied) // for an untouched item: the edit just before it
	k := 0                  // next edit
	emit := func(e ruleEdit) error {
		items, err := snippetItems(e.Text, before.Escape)
		if err != nil {
			return fmt.Errorf("replacement for lines %d-%d does not parse: %v", e.Start, e.End, err)
		}
		if err := checkEquivalence(bf, e, items); err != nil {
			return err
		}
		for _, it := range items {
			if it.kind == itemInstruction && !dockerfile.IsInstruction(it.shape.keyword) {
				return fmt.Errorf("replacement for lines %d-%d writes %q, which is not a Dockerfile instruction", e.Start, e.End, strings.ToUpper(it.shape.keyword))
			}
			it.line, it.rule = e.Start, e.rule
			want = append(want, it)
		}
		wantInvalid += invalidBytes([]byte(e.Text)) - bf.invalidIn(e.Start, e.End)
		blame = e.rule
		return nil
	}
	for _, it := range bf.items {
		for k < len(edits) && edits[k].Start <= it.line {
			if err := emit(edits[k]); err != nil {
				return edits[k].rule, err
			}
			k++
		}
		if k > 0 && edits[k-1].Start <= it.line && it.line <= edits[k-1].End {
			continue // replaced by that edit
		}
		it.rule = blame
		want = append(want, it)
	}
	for ; k < len(edits); k++ {
		if err := emit(edits[k]); err != nil {
			return edits[k].rule, err
		}
	}
	got := af.items
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g *item
		rule := blame
		if i < len(want) {
			w, rule = &want[i], want[i].rule
		}
		if i < len(got) {
			g = &got[i]
		}
		if !sameItem(w, g, exact) {
			if g == nil {
				return rule, fmt.Errorf("the result ends where %s was expected", w)
			}
			return rule, fmt.Errorf("line %d of the result is %s, expected %s", g.line, g, w)
		}
	}
	if n := af.invalidTotal(); n != wantInvalid {
		return Names(applied), fmt.Errorf("%d bytes that are not UTF-8 became %d", wantInvalid, n)
	}
	if !anyChanges(applied) {
		if err := sameImages(bf.images, af.images); err != nil {
			return Names(applied), err
		}
	}
	return "", nil
}

// anyChanges reports whether a fix of applied says it changes what the
// image does.
func anyChanges(applied []Fix) bool {
	for _, a := range applied {
		if a.Changes {
			return true
		}
	}
	return false
}

// VerifyFormat checks that formatting changed nothing BuildKit sees: the
// same instructions with the same arguments (shell text may differ only in
// white space the shell ignores), the same heredocs, directives, comments
// in the same places, and the same bytes that are not UTF-8.
func VerifyFormat(bf, af *Facts) error {
	if err := sameDirectives(bf, af); err != nil {
		return err
	}
	for i := 0; i < max(len(bf.items), len(af.items)); i++ {
		var a, b *item
		if i < len(bf.items) {
			a = &bf.items[i]
		}
		if i < len(af.items) {
			b = &af.items[i]
		}
		switch {
		case a == nil:
			return fmt.Errorf("%s was added at line %d", b, b.line)
		case b == nil:
			return fmt.Errorf("%s at line %d was lost", a, a.line)
		case !sameItem(a, b, shellBlanks):
			return fmt.Errorf("%s at line %d became %s", a, a.line, b)
		}
	}
	if x, y := bf.invalidTotal(), af.invalidTotal(); x != y {
		return fmt.Errorf("%d bytes that are not UTF-8 became %d", x, y)
	}
	return sameImages(bf.images, af.images)
}

// VerifyOutcome compares the final result with the input, independently
// of the checks of each step: the same parser directives, the same build
// stages (FROM instructions) in order, every comment line still there
// (fixes may move comments out of continuation lines, and add some), no
// byte that is not UTF-8 gained, and, unless a fix of applied (every fix
// of the run) said it changes behaviour, every stage's image running what
// it ran.
func VerifyOutcome(first, last *Facts, applied []Fix) error {
	if err := sameDirectives(first, last); err != nil {
		return err
	}
	froms := func(fs *Facts) []*shape {
		var out []*shape
		for _, it := range fs.items {
			if it.kind == itemInstruction && it.shape.keyword == "from" {
				s := *it.shape
				s.line = it.line
				out = append(out, &s)
			}
		}
		return out
	}
	a, b := froms(first), froms(last)
	if len(a) != len(b) {
		return fmt.Errorf("%d build stages became %d", len(a), len(b))
	}
	for i := range a {
		if !sameShape(a[i], b[i], wordCase) && !sameStage(first, a[i], b[i]) {
			return fmt.Errorf("stage %d changed: %s became %s", i+1, a[i], b[i])
		}
	}
	have := map[string]int{}
	for _, it := range last.items {
		if it.kind != itemInstruction {
			have[it.text]++
		}
	}
	for _, it := range first.items {
		if it.kind == itemInstruction {
			continue
		}
		if have[it.text] == 0 {
			return fmt.Errorf("comment %q at line %d was lost", it.text, it.line)
		}
		have[it.text]--
	}
	if x, y := first.invalidTotal(), last.invalidTotal(); y > x {
		return fmt.Errorf("%d bytes that are not UTF-8 became %d", x, y)
	}
	if !anyChanges(applied) {
		return sameImages(first.images, last.images)
	}
	return nil
}

// Fix is what one rule's fix changed, as the net checks it: the rule to
// blame and its edits, in the lines of the text they were made against.
type Fix struct {
	Rule  string
	Edits []dockerfile.Edit
	// Changes is set for a fix that says it changes what the image does
	// (an unsafe fix, or a suggestion the user asked for): the images it
	// leaves are not compared.
	Changes bool
}

type ruleEdit struct {
	dockerfile.Edit
	rule string
}

func editsInOrder(applied []Fix) []ruleEdit {
	var out []ruleEdit
	for _, a := range applied {
		for _, e := range a.Edits {
			out = append(out, ruleEdit{e, a.Rule})
		}
	}
	slices.SortStableFunc(out, func(x, y ruleEdit) int { return x.Start - y.Start })
	return out
}

// Names lists the rules of fixes, each once, for messages that blame them.
func Names(applied []Fix) string {
	var out []string
	for _, a := range applied {
		if !slices.Contains(out, a.Rule) {
			out = append(out, a.Rule)
		}
	}
	return strings.Join(out, ", ")
}
