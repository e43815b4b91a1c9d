package rules

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// KeywordCase writes instruction keywords, FROM's AS and HEALTHCHECK's
// type in upper case, as the formatter does, so that the change is
// reported and also made under --no-format. BuildKit reads all of them in
// any case (the parser looks keywords up lower-cased, parseBuildStageName
// compares AS with EqualFold, parseHealthcheck upper-cases the type), so
// the parsed file is the same; its FromAsCasing and
// ConsistentInstructionCasing checks are about style only.
var KeywordCase = &rule.Rule{
	Name: "keyword-case",
	Doc: `write instruction keywords, FROM's AS and HEALTHCHECK's CMD in upper case

BuildKit reads keywords in any case; its FromAsCasing and
ConsistentInstructionCasing checks warn when they are mixed. The formatter
upper-cases them too; this rule reports each one and makes the same change
when formatting is off.`,
	URL:      pageURL + "keyword-case.md",
	Safety:   rule.Safe,
	BuildKit: []string{linter.RuleFromAsCasing.Name, linter.RuleConsistentInstructionCasing.Name},
	Run:      runKeywordCase,
}

func runKeywordCase(p *rule.Pass) {
	f := p.File
	for _, in := range f.Instructions {
		if !dockerfile.IsInstruction(in.Keyword) || (in.Trigger != nil && !dockerfile.IsInstruction(in.Trigger.Keyword)) {
			continue // BuildKit ignores an unknown keyword; so does this rule
		}
		spans, words := keywordSpans(f, in)
		if len(spans) == 0 {
			continue
		}
		p.Report(in, rule.Info, fmt.Sprintf("%s not in upper case: BuildKit reads keywords in any case, but warns when their case is mixed", strings.Join(words, " and ")),
			&rule.Fix{Message: "write it in upper case", Safety: rule.Safe, Edits: []dockerfile.Edit{editSpans(f, in, spans)}})
	}
}

// keywordSpans returns the upper-case replacements of in's first line:
// its keyword, an ONBUILD's trigger keyword, FROM's AS, HEALTHCHECK's
// type; and the words replaced, for the message. Words on continuation
// lines are left alone, as the formatter leaves them.
func keywordSpans(f *dockerfile.File, in *dockerfile.Instruction) ([]span, []string) {
	l := f.Line(in.Start)
	fs := fields(l)
	var spans []span
	var words []string
	up := func(fl field) {
		w := string(l[fl.lo:fl.hi])
		if isLetters(w) && w != strings.ToUpper(w) {
			spans = append(spans, span{in.Start, fl.lo, fl.hi, strings.ToUpper(w)})
			words = append(words, "`"+w+"`")
		}
	}
	if len(fs) == 0 || !strings.EqualFold(string(l[fs[0].lo:fs[0].hi]), in.Keyword) {
		return nil, nil // the keyword is glued to something (FROM\)
	}
	up(fs[0])
	kw, rest, node := in.Keyword, fs[1:], in
	if in.Trigger != nil {
		if len(rest) == 0 || !strings.EqualFold(string(l[rest[0].lo:rest[0].hi]), in.Trigger.Keyword) {
			return spans, words
		}
		up(rest[0])
		kw, rest, node = in.Trigger.Keyword, rest[1:], in.Trigger
	}
	for len(rest) > 0 && strings.HasPrefix(string(l[rest[0].lo:rest[0].hi]), "--") {
		rest = rest[1:] // flags
	}
	switch kw {
	case "from":
		args := node.Args()
		if !node.OnBuild && len(args) == 3 && strings.EqualFold(args[1], "as") && len(rest) >= 2 &&
			string(l[rest[0].lo:rest[0].hi]) == args[0] && strings.EqualFold(string(l[rest[1].lo:rest[1].hi]), "as") {
			up(rest[1])
		}
	case "healthcheck":
		if !node.OnBuild && len(rest) > 0 {
			if w := string(l[rest[0].lo:rest[0].hi]); strings.EqualFold(w, "cmd") || strings.EqualFold(w, "none") {
				up(rest[0])
			}
		}
	}
	return spans, words
}

func isLetters(w string) bool {
	for _, c := range w {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return w != ""
}
