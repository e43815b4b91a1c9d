// Package dockerfile is cmdfix's model of a Dockerfile: BuildKit's syntax
// tree mapped onto the source lines (File, Instruction, LineKind), the
// build stages and what each inherits (Stage), the platform questions
// rules, formatter and safety net ask (which shell reads a text, Windows
// stages, ARG defaults, the ENTRYPOINT and CMD in effect), whole-line
// edits, and incremental re-parsing.
package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/command"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// File is a parsed Dockerfile: BuildKit's syntax tree mapped onto the source
// lines, with the build stages rules need. A File is read-only for rules.
type File struct {
	// Name is the path used in messages.
	Name string
	// Escape is the escape character in effect ('\\' or '`').
	Escape byte

	src    []byte            // without BOM
	lines  [][]byte          // src split after "\n"
	kinds  []LineKind        // role of each line
	origin []int             // input line of each line, once fixes have been applied; nil means the input itself
	hints  uint8             // Windows hints in src: 0 not read yet, 1 none, 2 some
	args   map[string]string // the global ARG defaults, once read
	// expanded holds ExpandArgDefaults' answers.
	expanded map[string]string
	images   BaseImages // resolved base image configs (see SetImages); nil: the table only

	// Instructions holds every top-level instruction in source order.
	Instructions []*Instruction
	// Stages holds the build stages in order. Instructions before the first
	// FROM (global ARGs) belong to no stage.
	Stages []*Stage
	// Directives are the parser directives at the top of the file, keyed by
	// lower-case name ("syntax", "escape", "check").
	Directives map[string]string
}

// Instruction is one Dockerfile instruction with its source lines.
type Instruction struct {
	// Node is BuildKit's node. For the inner instruction of an ONBUILD it is
	// the child node (whose own line numbers are zero).
	Node *parser.Node
	// Keyword is the instruction name in lower case ("cmd", "onbuild").
	Keyword string
	// Start and End are the first and last source lines (1-based),
	// including heredoc bodies. For an ONBUILD's inner instruction they are
	// the ONBUILD's lines.
	Start, End int
	// TextEnd is the last line of the instruction text, before heredoc bodies.
	TextEnd int
	// Index is the position in File.Instructions (the parent's for an inner
	// ONBUILD instruction).
	Index int
	// Stage is the build stage the instruction belongs to (nil before the
	// first FROM).
	Stage *Stage
	// Trigger is the instruction an ONBUILD registers, nil otherwise.
	Trigger *Instruction
	// OnBuild is set on the Trigger of an ONBUILD: it runs in child images,
	// not in this stage.
	OnBuild bool
	// Shell is the SHELL instruction in effect when this one is dispatched,
	// from this stage or an ancestor stage in the file; nil means the
	// platform default.
	Shell *Instruction
}

// Stage is one build stage: a FROM and the instructions up to the next FROM.
type Stage struct {
	// Index is the stage's position, from 0.
	Index int
	// Name is the name after AS, as written; empty when unnamed.
	Name string
	// Base is the image or stage reference after FROM, as written.
	Base string
	// Parent is the earlier stage this one is built FROM, or nil when it is
	// built from an external image.
	Parent *Stage
	// From is the FROM instruction.
	From *Instruction
	// Instructions are the stage's instructions after FROM, in order,
	// including ONBUILD instructions.
	Instructions []*Instruction
	// Windows reports a Windows stage: the escape character is a backtick,
	// the base image is a Windows image (as written, or with the defaults of
	// the ARGs it names: see WindowsImage), FROM names a windows platform,
	// or the parent stage is a Windows stage.
	Windows bool
	// Cmds, Entrypoints and Healthchecks are the stage's own instructions of
	// each kind, in order; ONBUILD triggers are not among them.
	Cmds, Entrypoints, Healthchecks []*Instruction
	// OnBuilds are the stage's ONBUILD instructions.
	OnBuilds []*Instruction
	// Shell is the SHELL in effect at the end of the stage (inherited by
	// stages built on it); nil means the platform default.
	Shell *Instruction
}

// ParseError is a Dockerfile that BuildKit's parser rejects.
type ParseError struct {
	File string
	Line int // 0 when the parser gave no line
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ErrNoInstructions is what Parse returns for a file of only comments and
// blank lines (BuildKit's complaint), which cmdfix passes through
// unchanged.
var ErrNoInstructions = errors.New("file with no instructions")

// Parse parses src (without a BOM) with BuildKit's parser and maps the result
// onto the source lines. name is used in error messages.
func Parse(name string, src []byte) (*File, error) {
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		msg := err.Error()
		if msg == ErrNoInstructions.Error() {
			return nil, ErrNoInstructions
		}
		line := 0
		var le *parser.LocationError
		if errors.As(err, &le) && len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
			line = le.Locations[0][0].Start.Line
		}
		if strings.HasPrefix(msg, "dockerfile line greater than") {
			line = firstLongLine(src) // BuildKit gives the line before it
		}
		return nil, &ParseError{File: name, Line: line, Msg: msg}
	}
	f := &File{
		Name:   name,
		Escape: byte(res.EscapeToken),
		src:    src,
		lines:  SplitLines(src),
	}
	f.kinds = make([]LineKind, len(f.lines))
	f.Directives = ReadDirectives(src)
	for _, n := range res.AST.Children {
		f.addInstruction(n)
	}
	f.buildStages()
	return f, nil
}

// addInstruction appends node n as the file's next instruction, marks
// the roles of its lines, and links the instruction an ONBUILD registers.
func (f *File) addInstruction(n *parser.Node) {
	in := &Instruction{
		Node:    n,
		Keyword: strings.ToLower(n.Value),
		Start:   n.StartLine,
		End:     n.EndLine,
		Index:   len(f.Instructions),
	}
	in.TextEnd = classify(f.kinds, f.lines, in.Start, in.End, f.Escape)
	if in.Keyword == "onbuild" && n.Next != nil && len(n.Next.Children) > 0 {
		c := n.Next.Children[0]
		in.Trigger = &Instruction{
			Node: c, Keyword: strings.ToLower(c.Value),
			Start: in.Start, End: in.End, TextEnd: in.TextEnd, Index: in.Index,
			OnBuild: true,
		}
	}
	f.Instructions = append(f.Instructions, in)
}

// firstLongLine returns the number of the first line too long for
// BuildKit's line scanner (64 KiB without its newline), or 0.
func firstLongLine(src []byte) int {
	for n := 1; len(src) > 0; n++ {
		i := bytes.IndexByte(src, '\n')
		if i < 0 {
			i = len(src)
		}
		if i >= 64<<10 {
			return n
		}
		src = src[min(i+1, len(src)):]
	}
	return 0
}

// CheckFirstKeyword rejects input whose first instruction is not one
// BuildKit knows: input that is not a Dockerfile at all (a shell script,
// JSON, YAML) stops there instead of being rewritten. BuildKit's parser
// accepts any word; further down a file, an unknown one (a typo, a line
// being typed in an editor) is kept as it is.
func (f *File) CheckFirstKeyword() error {
	n := f.Instructions[0].Node
	if !IsInstruction(n.Value) {
		return &ParseError{File: f.Name, Line: n.StartLine, Msg: fmt.Sprintf("%q is not a Dockerfile instruction; is this a Dockerfile?", n.Value)}
	}
	return nil
}

// IsInstruction reports whether word is a Dockerfile instruction.
func IsInstruction(word string) bool {
	_, ok := command.Commands[strings.ToLower(word)]
	return ok
}

// head returns the source before the first instruction: comment and blank
// lines, the only place parser directives can be. (BuildKit reads them
// from the start of the file up to the first line that is not one; and a
// file whose first instruction is a real one is not the JSON object a
// syntax directive may also be written as.)
func (f *File) Head() []byte {
	n := 0
	for _, l := range f.lines[:f.Instructions[0].Start-1] {
		n += len(l)
	}
	return f.src[:n]
}

// ReadDirectives returns the parser directives in effect, as BuildKit reads
// them: the leading run of "# key=value" lines.
func ReadDirectives(src []byte) map[string]string {
	var p parser.DirectiveParser
	ds, _ := p.ParseAll(src)
	m := make(map[string]string, len(ds))
	for _, d := range ds {
		m[d.Name] = d.Value
	}
	return m
}

func (f *File) buildStages() {
	var cur *Stage
	byName := map[string]*Stage{}
	for _, in := range f.Instructions {
		if in.Keyword == "from" {
			cur = &Stage{Index: len(f.Stages), From: in}
			cur.Base, cur.Name = fromArgs(in.Node)
			// BuildKit expands the global ARGs in FROM before it looks
			// the name up among the earlier stages (case-insensitively).
			ref := f.ExpandArgDefaults(cur.Base)
			if p, ok := byName[strings.ToLower(ref)]; ok {
				cur.Parent = p
				cur.Shell = p.Shell
				// The parent's ONBUILD triggers run first in the child:
				// an ONBUILD SHELL sets the child's shell.
				for _, ob := range p.OnBuilds {
					if ob.Trigger != nil && ob.Trigger.Keyword == "shell" {
						cur.Shell = ob.Trigger
					}
				}
			}
			cur.Windows = f.Escape == '`' || WindowsImage(cur.Base) || WindowsImage(ref) ||
				f.windowsPlatform(in.Node.Flags) || (cur.Parent != nil && cur.Parent.Windows)
			if cur.Name != "" {
				byName[strings.ToLower(cur.Name)] = cur
			}
			f.Stages = append(f.Stages, cur)
			in.Stage = cur
			continue
		}
		in.Stage = cur
		if cur == nil {
			continue
		}
		in.Shell = cur.Shell
		if in.Trigger != nil {
			in.Trigger.Stage = cur
			in.Trigger.Shell = cur.Shell
		}
		cur.Instructions = append(cur.Instructions, in)
		switch in.Keyword {
		case "cmd":
			cur.Cmds = append(cur.Cmds, in)
		case "entrypoint":
			cur.Entrypoints = append(cur.Entrypoints, in)
		case "healthcheck":
			cur.Healthchecks = append(cur.Healthchecks, in)
		case "onbuild":
			cur.OnBuilds = append(cur.OnBuilds, in)
		case "shell":
			cur.Shell = in
		}
	}
}

// fromArgs returns the base reference and stage name of a FROM node.
func fromArgs(n *parser.Node) (base, name string) {
	var args []string
	for a := n.Next; a != nil; a = a.Next {
		args = append(args, a.Value)
	}
	if len(args) > 0 {
		base = args[0]
	}
	if len(args) == 3 && strings.EqualFold(args[1], "as") {
		name = args[2]
	}
	return base, name
}

// Line returns source line n (1-based) with its line ending.
func (f *File) Line(n int) []byte { return f.lines[n-1] }

// Lines returns the source lines, each with its line ending. The slice is
// the file's own: callers must not change it.
func (f *File) Lines() [][]byte { return f.lines }

// NumLines returns the number of source lines.
func (f *File) NumLines() int { return len(f.lines) }

// InputLine returns the line of the input file that line n came from.
// After a round of fixes the driver re-parses the fixed text, so a rule may
// be looking at a later version of the input; findings' own lines are
// mapped back by the driver, and rules use InputLine for line numbers they
// write into messages ("the CMD at line 7").
func (f *File) InputLine(n int) int {
	if n >= 1 && n <= len(f.origin) {
		return f.origin[n-1]
	}
	return n
}

// Src returns the file's text (without a byte-order mark).
func (f *File) Src() []byte { return f.src }

// SetInputLines records, for each line of f, the line of the input file it
// came from. The driver calls it on the file it re-parsed after a round of
// fixes, so that InputLine maps lines back.
func (f *File) SetInputLines(origin []int) { f.origin = origin }

// Kind returns the role of source line n.
func (f *File) Kind(n int) LineKind { return f.kinds[n-1] }

// Text returns lines start..end joined, exactly as in the source.
func (f *File) Text(start, end int) string {
	var b strings.Builder
	for n := start; n <= end; n++ {
		b.Write(f.lines[n-1])
	}
	return b.String()
}

// Source returns the instruction's source lines exactly as written.
func (in *Instruction) Source(f *File) string { return f.Text(in.Start, in.End) }

// JSON reports whether the instruction is in exec (JSON array) form.
func (in *Instruction) JSON() bool { return in.Node.Attributes["json"] }

// Args returns the instruction's arguments as BuildKit parsed them. A
// shell-form CMD has one argument, the whole command text.
func (in *Instruction) Args() []string {
	var args []string
	for a := in.Node.Next; a != nil; a = a.Next {
		args = append(args, a.Value)
	}
	return args
}

// CommandText returns the command line of a shell-form CMD, ENTRYPOINT or
// HEALTHCHECK CMD, the text the shell runs ("" for a bare CMD or
// ENTRYPOINT, which runs /bin/sh -c ""), and false for any other
// instruction or form.
func (in *Instruction) CommandText() (string, bool) {
	if in.JSON() {
		return "", false
	}
	args := in.Args()
	switch in.Keyword {
	case "cmd", "entrypoint":
		switch len(args) {
		case 0:
			return "", true
		case 1:
			return args[0], true
		}
	case "healthcheck":
		if len(args) == 2 && strings.EqualFold(args[0], "cmd") {
			return args[1], true
		}
	}
	return "", false
}

// Flags returns the instruction's leading --flags as BuildKit parsed them.
func (in *Instruction) Flags() []string { return in.Node.Flags }

// HasHeredoc reports whether the instruction carries heredoc bodies.
func (in *Instruction) HasHeredoc() bool { return in.TextEnd < in.End }

// InnerComments returns the comment lines inside the instruction's
// continuation lines, which BuildKit drops.
func (in *Instruction) InnerComments(f *File) []int {
	var out []int
	for n := in.Start + 1; n <= in.TextEnd; n++ {
		if f.kinds[n-1] == LineInnerComment {
			out = append(out, n)
		}
	}
	return out
}

// Column returns the 1-based column of the instruction's keyword on its
// first line.
func (in *Instruction) Column(f *File) int {
	l := f.lines[in.Start-1]
	return len(l) - len(TrimLeftSpace(l)) + 1
}

// Text returns the instruction's first line as BuildKit reads it (the
// logical line: continuations joined, comments dropped), for messages.
func (in *Instruction) Text() string {
	if in.OnBuild {
		return in.Node.Original
	}
	return strings.TrimSpace(in.Node.Original)
}

// Ancestors returns the stage's chain of in-file parent stages, nearest
// first.
func (s *Stage) Ancestors() []*Stage {
	var out []*Stage
	for p := s.Parent; p != nil; p = p.Parent {
		out = append(out, p)
	}
	return out
}

// Last returns the last element of list, or nil.
func Last(list []*Instruction) *Instruction {
	if len(list) == 0 {
		return nil
	}
	return list[len(list)-1]
}
