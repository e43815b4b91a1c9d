// Package rule defines what a cmdfix rule is (Rule), what it reports
// (Finding, with an optional Fix of whole-line Edits and its Safety), and
// the Pass through which it reads one file and reports. Rules are values:
// a program chooses which to run by listing them (see package rules).
package rule

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// A Rule is one small, independent analyzer. It reads a File and reports
// Findings; it never changes the file itself. The driver decides which fixes
// to apply.
type Rule struct {
	// Name is the stable kebab-case name used in flags, pragmas, config and
	// reports.
	Name string
	// Doc is a one-line summary, then a blank line and detail.
	Doc string
	// URL is the rule's documentation page.
	URL string
	// Safety says which kind of fix the rule can offer.
	Safety Safety
	// Hadolint and BuildKit name the matching checks of those tools, which
	// pragmas for them also silence.
	Hadolint []string
	BuildKit []string
	// Run reports the rule's findings for one file.
	Run func(*Pass)
}

// Summary returns the first line of the rule's Doc.
func (r *Rule) Summary() string {
	s, _, _ := strings.Cut(r.Doc, "\n")
	return s
}

// Safety classifies a fix by what it does to the built image.
type Safety uint8

const (
	// NoFix is for rules that only report.
	NoFix Safety = iota
	// Safe fixes provably keep the image's behaviour; applied by default.
	Safe
	// Unsafe fixes change behaviour in the way their message states;
	// applied only with --unsafe.
	Unsafe
	// Suggested fixes restructure the image on request (--split); they are
	// applied only when asked for by name.
	Suggested
)

func (s Safety) String() string {
	switch s {
	case Safe:
		return "safe"
	case Unsafe:
		return "unsafe"
	case Suggested:
		return "suggestion"
	}
	return "none"
}

// Severity is how much a finding matters.
type Severity uint8

const (
	// Info is a note: something to know, nothing wrong.
	Info Severity = iota
	// Warning is something that likely does not do what it looks like.
	Warning
	// Error is something that is wrong.
	Error
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "info"
}

// Finding is one thing a rule reports about an instruction.
type Finding struct {
	Rule     string
	Severity Severity
	// Line and EndLine are the 1-based lines of the input file the finding
	// is about; Col is the column of the instruction keyword.
	Line, EndLine, Col int
	Message            string
	// Fix is the change the rule offers, or nil.
	Fix *Fix
	// Fixed reports whether the driver applied Fix.
	Fixed bool
	// Edits are Fix's edits in the input's line numbers, for tools that
	// offer the fix on the file as it is (SARIF). They are nil when there
	// is no fix, or when the fix only applies after other fixes.
	Edits []dockerfile.Edit
	// Before is the instruction's source text; After is the text the fix
	// puts in its place (empty when there is no fix or it removes it).
	Before, After string
}

// Fix is a change to the source made of whole-line replacements.
type Fix struct {
	// Message says what the fix does, as a verb phrase.
	Message string
	Safety  Safety
	Edits   []dockerfile.Edit
}

// Pass carries one rule's run over one file.
type Pass struct {
	File *dockerfile.File
	Rule *Rule
	// Context is the build context the driver was given, nil when there is
	// none (a Dockerfile on standard input, or none asked for). Rules read
	// it through buildcontext.NewImage with File.StageFiles.
	Context  *buildcontext.Context
	report   func(Finding)
	silenced func(*dockerfile.Instruction) bool
}

// NewPass returns the pass of rule r over f: Report hands each finding
// not silenced to report; silenced says whether a pragma above an
// instruction turns r off there (nil: none does).
func NewPass(f *dockerfile.File, r *Rule, report func(Finding), silenced func(*dockerfile.Instruction) bool) *Pass {
	return &Pass{File: f, Rule: r, report: report, silenced: silenced}
}

// Silenced reports whether a pragma comment above in turns this rule off
// there. Report already drops such findings; rules use it when another
// instruction's pragma matters too.
func (p *Pass) Silenced(in *dockerfile.Instruction) bool {
	return p.silenced != nil && p.silenced(in)
}

// Report records a finding about instruction in.
// A finding silenced by a pragma above in is dropped.
func (p *Pass) Report(in *dockerfile.Instruction, sev Severity, msg string, fix *Fix) {
	if p.Silenced(in) {
		return
	}
	f := Finding{
		Rule:     p.Rule.Name,
		Severity: sev,
		Line:     in.Start,
		EndLine:  in.End,
		Col:      in.Column(p.File),
		Message:  msg,
		Fix:      fix,
		Before:   in.Source(p.File),
	}
	if fix != nil {
		var b strings.Builder
		for _, e := range fix.Edits {
			b.WriteString(e.Text)
		}
		f.After = b.String()
	}
	p.report(f)
}

// ByName returns the rule of rules with that name, or nil.
func ByName(rules []*Rule, name string) *Rule {
	for _, r := range rules {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Note says what became of a finding's fix, as the command prints it
// after the message: "fixed", "fix with --unsafe", "apply with --split",
// or "" when there is no fix to speak of.
func (f Finding) Note() string {
	switch {
	case f.Fixed:
		return "fixed"
	case f.Fix != nil && f.Fix.Safety == Unsafe:
		return "fix with --unsafe"
	case f.Fix != nil && f.Fix.Safety == Suggested:
		return "apply with --split"
	}
	return ""
}

// String formats a finding as LINE:COL: RULE: message, the form the
// command prints after the path.
func (f Finding) String() string {
	return fmt.Sprintf("%d:%d: %s: %s", f.Line, f.Col, f.Rule, f.Message)
}

// The names a rule answers to, in flags, settings and pragmas: its own
// name, the hadolint codes and the BuildKit check names it matches. One
// table serves the command's --select and --ignore and the pragmas, so
// they never disagree. Codes and check names match without regard to case,
// as hadolint and BuildKit read their own pragmas.

// Answers reports whether r answers to name: its name, a hadolint code or
// a BuildKit check name.
func (r *Rule) Answers(name string) bool {
	return name == r.Name || r.AnswersHadolint(name) || r.AnswersBuildKit(name)
}

// AnswersHadolint reports whether r matches the hadolint code.
func (r *Rule) AnswersHadolint(code string) bool { return containsFold(r.Hadolint, code) }

// AnswersBuildKit reports whether r matches the BuildKit check.
func (r *Rule) AnswersBuildKit(check string) bool { return containsFold(r.BuildKit, check) }

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
