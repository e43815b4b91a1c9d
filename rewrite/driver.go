package rewrite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/internal/format"
	"github.com/cmdfix/cmdfix/rewrite/internal/safety"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// Options control what Process changes.
type Options struct {
	// Unsafe also applies fixes that change behaviour (as their messages
	// state).
	Unsafe bool
	// Split applies the ENTRYPOINT + CMD split suggestions.
	Split bool
	// Rules are the rules to run, in the order their fixes are preferred
	// when two touch the same lines; nil means rules.All. Pragmas in the
	// file map onto these rules.
	Rules []*rule.Rule
	// Disable lists, by name, rules of Rules not to run.
	Disable []string
	// ExplicitShell runs the explicit-shell rule, which writes shell-form
	// commands in exec form naming their shell; it runs only when set.
	ExplicitShell bool
	// NoFormat applies fixes only and leaves every other byte alone.
	NoFormat bool
	// Indent is the number of spaces continuation lines are indented by;
	// zero means 4.
	Indent int
	// Context is the build context: rules read the files COPY and ADD
	// take from it (scripts a command runs). nil means none, and rules
	// state what they assume.
	Context *buildcontext.Context
	// Images reads base image configs from their registry; nil means the
	// built-in table alone. A failure falls back to the table: reporting it
	// is the Resolver's business.
	Images images.Resolver
	// BuildArgs are --build-arg values for the ARGs a FROM names, used to
	// find the image to resolve.
	BuildArgs map[string]string
}

// Result is what Process made of one file.
type Result struct {
	// Output is the new content; equal to the input when nothing changed.
	Output []byte
	// Changed reports whether Output differs from the input.
	Changed bool
	// Findings are every finding, fixed or not, in line order, with lines
	// of the input.
	Findings []rule.Finding
}

// InternalError means cmdfix produced something its safety net rejected.
// The file must be left as it was.
type InternalError struct {
	File string
	Rule string // the rule (or "format") to blame
	Err  error
}

func (e *InternalError) Error() string {
	// The cause may quote whole instructions; a message stays readable.
	return fmt.Sprintf("%s: internal error in %s: %s (file left unchanged; please report this)", e.File, e.Rule, clip.N(e.Err.Error(), 1000))
}

func (e *InternalError) Unwrap() error { return e.Err }

// maxRounds bounds the fix-reparse loop. Each round applies at least one
// fix; real files settle in two or three.
const maxRounds = 16

// Process parses src, applies the fixes opts allows, formats the result
// unless opts.NoFormat is set, and checks the outcome with the safety net.
// name is used in messages. A file BuildKit cannot parse is a
// *dockerfile.ParseError; a result the safety net rejects is an
// *InternalError. An empty file, or one of only comments, is returned
// unchanged.
func Process(name string, src []byte, opts Options) (res *Result, err error) {
	defer func() {
		// A panic anywhere in the engine is a bug: the file is left alone
		// and the other files go on.
		if v := recover(); v != nil {
			res, err = nil, &InternalError{File: name, Rule: "engine", Err: panicError(v)}
		}
	}()
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return nil, &dockerfile.ParseError{File: name, Line: bytes.Count(src[:i], []byte{'\n'}) + 1, Msg: "binary file: contains NUL bytes"}
	}
	run := opts.Rules
	if run == nil {
		run = rules.All
	}
	disabled := map[string]bool{}
	for _, d := range opts.Disable {
		if rule.ByName(run, d) == nil {
			return nil, fmt.Errorf("cannot disable %q: no such rule", d)
		}
		disabled[d] = true
	}
	if !opts.ExplicitShell && rule.ByName(run, rules.ExplicitShell.Name) != nil {
		disabled[rules.ExplicitShell.Name] = true
	}
	body, hasBOM := bytes.CutPrefix(src, bom)
	f, err := dockerfile.Parse(name, body)
	if errors.Is(err, dockerfile.ErrNoInstructions) {
		return &Result{Output: src}, nil
	}
	if err != nil {
		return nil, err
	}
	if err := f.CheckFirstKeyword(); err != nil {
		return nil, err
	}
	if opts.Images != nil {
		f.SetImages(resolveBases(f, opts))
	}
	// The safety net's facts about the input are only needed once
	// something changes; most files in a tree CI already gates never do.
	var ff, first *safety.Facts
	needFacts := func() {
		if ff == nil {
			ff = safety.Of(f) // f is still the input: nothing changed yet
			first = ff
		}
	}
	var everApplied []safety.Fix

	input := f
	var findings []rule.Finding
	var emptied []byte
	for round := 0; ; round++ {
		found, err := runRules(f, run, disabled, opts.Context)
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
		var applied []safety.Fix
		for _, i := range chosen {
			applied = append(applied, safety.Fix{Rule: found[i].Rule, Edits: found[i].Fix.Edits, Changes: found[i].Fix.Safety != rule.Safe})
		}
		if round == maxRounds {
			return nil, &InternalError{File: name, Rule: safety.Names(applied), Err: errors.New("fixes did not settle")}
		}
		for _, a := range applied {
			if err := dockerfile.CheckEdits(f, a.Edits); err != nil {
				return nil, &InternalError{File: name, Rule: a.Rule, Err: err}
			}
		}
		edits := sortedEdits(applied)
		next, origin := dockerfile.ApplyEdits(f, edits)
		nf, err := dockerfile.Reparse(name, f, next, dockerfile.KeepsAfterEdits(f, edits))
		var nff *safety.Facts
		switch {
		case errors.Is(err, dockerfile.ErrNoInstructions):
			nff = safety.CommentFacts(next) // the fixes removed every instruction
		case err != nil:
			return nil, &InternalError{File: name, Rule: safety.Names(applied), Err: fmt.Errorf("the fixed file does not parse: %v", err)}
		default:
			nff = safety.Of(nf)
		}
		needFacts()
		if blame, err := safety.VerifyFixes(f, ff, nff, applied); err != nil {
			return nil, &InternalError{File: name, Rule: blame, Err: err}
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
		nf.SetInputLines(origin)
		f = nf
	}

	out := f.Src()
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
			nf, err := dockerfile.Reparse(name, f, formatted, dockerfile.KeepsFromChunks(f, formatted, ends))
			if err != nil {
				return nil, &InternalError{File: name, Rule: "format", Err: fmt.Errorf("the formatted file does not parse: %v", err)}
			}
			nff := safety.Of(nf)
			needFacts()
			if err := safety.VerifyFormat(ff, nff); err != nil {
				return nil, &InternalError{File: name, Rule: "format", Err: err}
			}
			out, ff = formatted, nff
			everApplied = append(everApplied, safety.Fix{Rule: "format"})
		}
	}
	if !bytes.Equal(out, body) {
		needFacts()
		if err := safety.VerifyOutcome(first, ff, everApplied); err != nil {
			return nil, &InternalError{File: name, Rule: safety.Names(everApplied), Err: err}
		}
	}
	if hasBOM {
		out = append(slices.Clip(bom), out...)
	}
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Line < findings[j].Line })
	return &Result{Output: out, Changed: !bytes.Equal(out, src), Findings: findings}, nil
}

// formatFunc is the formatter; tests put a broken one here to prove the
// safety net catches it.
var formatFunc = format.Format

// formatSafely runs the formatter, turning a panic into an error. It
// returns the formatted text and where each instruction's chunk ends in it
// (for reparse, which checks them).
func formatSafely(f *dockerfile.File, indent int) (out []byte, ends []int, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicError(v)
		}
	}()
	out, ends = formatFunc(f, indent)
	return out, ends, nil
}

// runRules runs every enabled rule over f and returns their findings,
// without those silenced by pragmas. A rule that panics is an internal
// error that names it.
func runRules(f *dockerfile.File, rules []*rule.Rule, disabled map[string]bool, bctx *buildcontext.Context) (out []rule.Finding, err error) {
	var running string
	defer func() {
		if v := recover(); v != nil {
			out, err = nil, &InternalError{File: f.Name, Rule: running, Err: panicError(v)}
		}
	}()
	skipFile := fileSkips(f, rules)
	ignored := map[*dockerfile.Instruction]map[string]bool{}
	report := func(fd rule.Finding) { out = append(out, fd) }
	for _, r := range rules {
		if disabled[r.Name] || skipFile[r.Name] {
			continue
		}
		running = r.Name
		silenced := func(in *dockerfile.Instruction) bool {
			m, ok := ignored[in]
			if !ok {
				m = ignoredAt(f, in, rules)
				ignored[in] = m
			}
			return m[r.Name]
		}
		p := rule.NewPass(f, r, report, silenced)
		p.Context = bctx
		r.Run(p)
	}
	return out, nil
}

// chooseFixes picks the fixes to apply in one round: those opts allows,
// in rule priority then line order, skipping any that touch lines an
// earlier choice touches. It returns indexes into found.
func chooseFixes(found []rule.Finding, opts Options) []int {
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

func allowed(s rule.Safety, opts Options) bool {
	switch s {
	case rule.Safe:
		return true
	case rule.Unsafe:
		return opts.Unsafe
	case rule.Suggested:
		return opts.Split
	}
	return false
}

// mapLines moves a finding's lines from the current text to the input's.
func mapLines(fd rule.Finding, f *dockerfile.File) rule.Finding {
	fd.Line, fd.EndLine = f.InputLine(fd.Line), f.InputLine(fd.EndLine)
	if fd.EndLine < fd.Line {
		fd.EndLine = fd.Line
	}
	return fd
}

// mapFinding moves a finding found in f to the input's lines, and states
// its fix's edits against the input where that can be done.
func mapFinding(fd rule.Finding, f, input *dockerfile.File) rule.Finding {
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
func inputEdits(fix *rule.Fix, f, input *dockerfile.File) []dockerfile.Edit {
	if f == input {
		return fix.Edits
	}
	// kept reports whether line n of f is input line f.InputLine(n),
	// unchanged.
	kept := func(n int) bool {
		return n >= 1 && n <= f.NumLines() && bytes.Equal(f.Line(n), input.Line(f.InputLine(n)))
	}
	out := make([]dockerfile.Edit, 0, len(fix.Edits))
	for _, e := range fix.Edits {
		switch last := f.NumLines(); {
		case e.End < e.Start && e.Start > last: // insertion at the end
			if last > 0 && (!kept(last) || f.InputLine(last) != input.NumLines()) {
				return nil
			}
			n := input.NumLines() + 1
			out = append(out, dockerfile.Edit{Start: n, End: n - 1, Text: e.Text})
		case e.End < e.Start: // insertion before line e.Start
			if !kept(e.Start) {
				return nil
			}
			n := f.InputLine(e.Start)
			out = append(out, dockerfile.Edit{Start: n, End: n - 1, Text: e.Text})
		default:
			for n := e.Start; n <= e.End; n++ {
				if !kept(n) || f.InputLine(n) != f.InputLine(e.Start)+n-e.Start {
					return nil
				}
			}
			out = append(out, dockerfile.Edit{Start: f.InputLine(e.Start), End: f.InputLine(e.End), Text: e.Text})
		}
	}
	return out
}

// fixesConflict reports whether any edits of two fixes conflict.
func fixesConflict(a, b *rule.Fix) bool {
	for _, x := range a.Edits {
		for _, y := range b.Edits {
			if dockerfile.EditsConflict(x, y) {
				return true
			}
		}
	}
	return false
}

// sortedEdits returns the edits of fixes in line order.
func sortedEdits(fixes []safety.Fix) []dockerfile.Edit {
	var edits []dockerfile.Edit
	for _, fx := range fixes {
		edits = append(edits, fx.Edits...)
	}
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
	return edits
}

// bom is the UTF-8 byte-order mark. BuildKit ignores it; cmdfix strips it
// before parsing and puts it back on output, so line numbers are unchanged.
var bom = []byte{0xEF, 0xBB, 0xBF}

// panicError turns a recovered panic into an error that says where it
// happened. Call it from the deferred function that recovered.
func panicError(v any) error {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		fr, more := frames.Next()
		if !strings.HasPrefix(fr.Function, "runtime.") && fr.Function != "" {
			return fmt.Errorf("panic: %v (at %s:%d)", v, path.Base(fr.File), fr.Line)
		}
		if !more {
			return fmt.Errorf("panic: %v", v)
		}
	}
}

// resolveBases asks opts.Images, in parallel (the resolver bounds how
// many at once), for the config of each external base image of f, and
// returns the lookup SetImages takes. Failures are left out: the table
// answers for those images.
func resolveBases(f *dockerfile.File, opts Options) dockerfile.BaseImages {
	type key struct{ ref, platform string }
	type answer struct {
		c  images.Config
		ok bool
	}
	got := map[key]*answer{}
	var wg sync.WaitGroup
	for _, s := range f.Stages {
		if s.Parent != nil {
			continue
		}
		k := key{s.Base, dockerfile.FromPlatform(s.From)}
		if _, done := got[k]; done {
			continue
		}
		a := &answer{}
		got[k] = a
		ref := f.ExpandBuildArgs(s.Base, opts.BuildArgs)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { _ = recover() }() // a resolver's panic leaves the table in charge
			c, err := opts.Images.Resolve(context.Background(), ref, k.platform)
			c.Ref = ref
			a.c, a.ok = c, err == nil
		}()
	}
	wg.Wait()
	return func(ref, platform string) (images.Config, bool) {
		if a := got[key{ref, platform}]; a != nil && a.ok {
			return a.c, true
		}
		return images.Config{}, false
	}
}
