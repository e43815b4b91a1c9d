package rules

import "github.com/cmdfix/cmdfix/rewrite/dockerfile"

// What split-entrypoint decides for a stage, for the corpus report of the
// external tests: the plan's kind (an ecosystem, or why not), its CMD, and
// whether it splits.
func SplitPlan(f *dockerfile.File, s *dockerfile.Stage) (kind string, cmd *dockerfile.Instruction, ok bool) {
	p, ok := planSplit(f, s)
	return p.id.Kind, p.cmd, ok
}

// SkipUnknownBase is the kind of a stage not split because its base
// image is unknown.
const SkipUnknownBase = skipUnknownBase
