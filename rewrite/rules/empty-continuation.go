package rules

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// EmptyContinuation removes empty lines inside an instruction's
// continuation lines. BuildKit's parser skips them (and warns,
// NoEmptyContinuation, which a future Dockerfile syntax may make an
// error), so the instruction reads the same without them.
var EmptyContinuation = &rule.Rule{
	Name: "empty-continuation",
	Doc: `remove empty lines inside an instruction's continuation lines

BuildKit skips an empty line between continuation lines and warns
(NoEmptyContinuation); a later Dockerfile syntax may reject it. The lines
are removed; comment lines inside the instruction stay.`,
	URL:      pageURL + "empty-continuation.md",
	Safety:   rule.Safe,
	BuildKit: []string{linter.RuleNoEmptyContinuation.Name},
	Run:      runEmptyContinuation,
}

func runEmptyContinuation(p *rule.Pass) {
	f := p.File
	for _, in := range f.Instructions {
		var b strings.Builder
		var empty []int
		for n := in.Start; n <= in.End; n++ {
			if n <= in.TextEnd && f.Kind(n) == dockerfile.LineInnerBlank {
				empty = append(empty, f.InputLine(n))
				continue
			}
			b.Write(f.Line(n))
		}
		if len(empty) == 0 {
			continue
		}
		what := "an empty line"
		if len(empty) > 1 {
			what = fmt.Sprintf("%d empty lines", len(empty))
		}
		p.Report(in, rule.Warning, fmt.Sprintf("%s inside continuation lines (line %s): BuildKit skips them and warns", what, joinInts(empty)),
			&rule.Fix{Message: "remove them", Safety: rule.Safe, Edits: []dockerfile.Edit{{Start: in.Start, End: in.End, Text: b.String()}}})
	}
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
