package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Options control what Process changes.
type Options struct {
	// Unsafe also applies fixes that change behaviour (as their messages
	// state).
	Unsafe bool
	// Split applies the ENTRYPOINT + CMD split suggestions.
	Split bool
	// Disable lists rules not to run.
	Disable []string
	// NoFormat applies fixes only and leaves every other byte alone.
	NoFormat bool
	// Indent is the number of spaces continuation lines are indented by;
	// zero means 4.
	Indent int
}

// Result is what Process made of one file.
type Result struct {
	// Output is the new content; equal to the input when nothing changed.
	Output []byte
	// Changed reports whether Output differs from the input.
	Changed bool
	// Findings are every finding, fixed or not, in line order, with lines
	// of the input.
	Findings []Finding
}

// InternalError means cmdfix produced something its safety net rejected.
// The file must be left as it was.
type InternalError struct {
	File string
	Rule string // the rule (or "format") to blame
	Err  error
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("%s: internal error in %s: %v (file left unchanged; please report this)", e.File, e.Rule, e.Err)
}

func (e *InternalError) Unwrap() error { return e.Err }

// maxRounds bounds the fix-reparse loop. Each round applies at least one
// fix; real files settle in two or three.
const maxRounds = 16

type appliedFix struct {
	rule string
	fix  *Fix
}

// Process parses src, applies the fixes opts allows, formats the result
// unless opts.NoFormat is set, and checks the outcome with the safety net.
// name is used in messages. A file BuildKit cannot parse is a *ParseError;
// a result the safety net rejects is an *InternalError. An empty file, or
// one of only comments, is returned unchanged.
func Process(name string, src []byte, opts Options) (*Result, error) {
	return process(name, src, opts, registry)
}

// process is Process with the rules to run given.
func process(name string, src []byte, opts Options, rules []*Rule) (res *Result, err error) {
	defer func() {
		// A panic anywhere in the engine is a bug: the file is left alone
		// and the other files go on.
		if v := recover(); v != nil {
			res, err = nil, &InternalError{File: name, Rule: "engine", Err: panicError(v)}
		}
	}()
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return nil, &ParseError{File: name, Line: bytes.Count(src[:i], []byte{'\n'}) + 1, Msg: "binary file: contains NUL bytes"}
	}
	body, hasBOM := bytes.CutPrefix(src, bom)
	f, err := Parse(name, body)
	if errors.Is(err, errNoInstructions) {
		return &Result{Output: src}, nil
	}
	if err != nil {
		return nil, err
	}
	if err := checkFirstKeyword(name, f.Instructions[0].Node); err != nil {
		return nil, err
	}
	// The safety net's facts about the input are only needed once
	// something changes; most files in a tree CI already gates never do.
	var ff, first *facts
	needFacts := func() {
		if ff == nil {
			ff = factsOf(f) // f is still the input: nothing changed yet
			first = ff
		}
	}
	var everApplied []appliedFix
	disabled := map[string]bool{}
	for _, d := range opts.Disable {
		disabled[d] = true
	}

	input := f
	var findings []Finding
	var emptied []byte
	for round := 0; ; round++ {
		found, err := runRules(f, rules, disabled, opts)
		if err != nil {
			return nil, err
		}
		chosen := chooseFixes(found, opts)
		if len(chosen) == 0 {
			for _, fd := range found {
				findings = append(findings, mapFinding(fd, f, input))
			}
			break
		}
		var applied []appliedFix
		for _, i := range chosen {
			applied = append(applied, appliedFix{found[i].Rule, found[i].Fix})
		}
		if round == maxRounds {
			return nil, &InternalError{File: name, Rule: names(applied), Err: errors.New("fixes did not settle")}
		}
		for _, a := range applied {
			if err := checkEdits(f, a.fix); err != nil {
				return nil, &InternalError{File: name, Rule: a.rule, Err: err}
			}
		}
		fixes := make([]*Fix, len(applied))
		for i, a := range applied {
			fixes[i] = a.fix
		}
		edits := sortedEdits(fixes)
		next, origin := applyEdits(f, edits)
		nf, err := reparse(name, f, next, keepsAfterEdits(f, edits))
		var nff *facts
		switch {
		case errors.Is(err, errNoInstructions):
			nff = commentFacts(next) // the fixes removed every instruction
		case err != nil:
			return nil, &InternalError{File: name, Rule: names(applied), Err: fmt.Errorf("the fixed file does not parse: %v", err)}
		default:
			nff = factsOf(nf)
		}
		needFacts()
		if rule, err := verifyFixes(f, ff, nff, applied); err != nil {
			return nil, &InternalError{File: name, Rule: rule, Err: err}
		}
		for _, i := range chosen {
			fd := mapFinding(found[i], f, input)
			fd.Fixed = true
			findings = append(findings, fd)
		}
		ff = nff
		everApplied = append(everApplied, applied...)
		if nf == nil {
			emptied = next // nothing left to fix or format
			break
		}
		nf.origin = origin
		f = nf
	}

	out := f.src
	if emptied != nil {
		out = emptied
	} else if !opts.NoFormat {
		indent := opts.Indent
		if indent <= 0 {
			indent = 4
		}
		formatted, ends, err := formatSafely(f, indent)
		if err != nil {
			return nil, &InternalError{File: name, Rule: "format", Err: err}
		}
		if !bytes.Equal(formatted, out) {
			nf, err := reparse(name, f, formatted, keepsFromChunks(f, formatted, ends))
			if err != nil {
				return nil, &InternalError{File: name, Rule: "format", Err: fmt.Errorf("the formatted file does not parse: %v", err)}
			}
			nff := factsOf(nf)
			needFacts()
			if err := verifyFormat(ff, nff); err != nil {
				return nil, &InternalError{File: name, Rule: "format", Err: err}
			}
			out, ff = formatted, nff
			everApplied = append(everApplied, appliedFix{rule: "format"})
		}
	}
	if !bytes.Equal(out, body) {
		needFacts()
		if err := verifyOutcome(first, ff); err != nil {
			return nil, &InternalError{File: name, Rule: names(everApplied), Err: err}
		}
	}
	if hasBOM {
		out = append(slices.Clip(bom), out...)
	}
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Line < findings[j].Line })
	return &Result{Output: out, Changed: !bytes.Equal(out, src), Findings: findings}, nil
}

// formatFunc is formatFile; tests put a broken formatter here to prove
// the safety net catches it.
var formatFunc = formatFile

// formatSafely runs the formatter, turning a panic into an error. It
// returns the formatted text and where each instruction's chunk ends in it
// (for reparse, which checks them).
func formatSafely(f *File, indent int) (out []byte, ends []int, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicError(v)
		}
	}()
	out, _, ends = formatFunc(f, indent)
	return out, ends, nil
}

// runRules runs every enabled rule over f and returns their findings,
// without those silenced by pragmas. A rule that panics is an internal
// error that names it.
func runRules(f *File, rules []*Rule, disabled map[string]bool, opts Options) (out []Finding, err error) {
	var running string
	defer func() {
		if v := recover(); v != nil {
			out, err = nil, &InternalError{File: f.Name, Rule: running, Err: panicError(v)}
		}
	}()
	skipFile := fileSkips(f)
	ignored := map[*Instruction]map[string]bool{}
	for _, r := range rules {
		if disabled[r.Name] || skipFile[r.Name] {
			continue
		}
		running = r.Name
		p := &Pass{File: f, Rule: r, Unsafe: opts.Unsafe}
		p.report = func(fd Finding) {
			out = append(out, fd)
		}
		p.silenced = func(in *Instruction) bool {
			m, ok := ignored[in]
			if !ok {
				m = ignoredAt(f, in)
				ignored[in] = m
			}
			return m[r.Name]
		}
		r.Run(p)
	}
	return out, nil
}

// chooseFixes picks the fixes to apply in one round: those opts allows,
// in rule priority then line order, skipping any that touch lines an
// earlier choice touches. It returns indexes into found.
func chooseFixes(found []Finding, opts Options) []int {
	var chosen []int
	for i, fd := range found {
		if fd.Fix == nil || !allowed(fd.Fix.Safety, opts) {
			continue
		}
		clash := false
		for _, j := range chosen {
			if fixesConflict(fd.Fix, found[j].Fix) {
				clash = true
				break
			}
		}
		if !clash {
			chosen = append(chosen, i)
		}
	}
	return chosen
}

func allowed(s Safety, opts Options) bool {
	switch s {
	case Safe:
		return true
	case Unsafe:
		return opts.Unsafe
	case Suggested:
		return opts.Split
	}
	return false
}

// mapLines moves a finding's lines from the current text to the input's.
func mapLines(fd Finding, f *File) Finding {
	fd.Line, fd.EndLine = f.InputLine(fd.Line), f.InputLine(fd.EndLine)
	if fd.EndLine < fd.Line {
		fd.EndLine = fd.Line
	}
	return fd
}

// mapFinding moves a finding found in f to the input's lines, and states
// its fix's edits against the input where that can be done.
func mapFinding(fd Finding, f, input *File) Finding {
	fd = mapLines(fd, f)
	if fd.Fix != nil {
		fd.Edits = inputEdits(fd.Fix, f, input)
	}
	return fd
}

// inputEdits restates a fix's edits, made against f, in the input's line
// numbers, so that tools can offer the fix on the file as it is on disk.
// It returns nil when an edit touches lines that earlier fixes wrote: such
// a fix only applies after them.
func inputEdits(fix *Fix, f, input *File) []Edit {
	if f == input {
		return fix.Edits
	}
	// kept reports whether line n of f is input line f.InputLine(n),
	// unchanged.
	kept := func(n int) bool {
		return n >= 1 && n <= f.NumLines() && bytes.Equal(f.lines[n-1], input.lines[f.InputLine(n)-1])
	}
	out := make([]Edit, 0, len(fix.Edits))
	for _, e := range fix.Edits {
		switch last := f.NumLines(); {
		case e.End < e.Start && e.Start > last: // insertion at the end
			if last > 0 && (!kept(last) || f.InputLine(last) != input.NumLines()) {
				return nil
			}
			n := input.NumLines() + 1
			out = append(out, Edit{Start: n, End: n - 1, Text: e.Text})
		case e.End < e.Start: // insertion before line e.Start
			if !kept(e.Start) {
				return nil
			}
			n := f.InputLine(e.Start)
			out = append(out, Edit{Start: n, End: n - 1, Text: e.Text})
		default:
			for n := e.Start; n <= e.End; n++ {
				if !kept(n) || f.InputLine(n) != f.InputLine(e.Start)+n-e.Start {
					return nil
				}
			}
			out = append(out, Edit{Start: f.InputLine(e.Start), End: f.InputLine(e.End), Text: e.Text})
		}
	}
	return out
}
