package rules

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// StageNameCase lower-cases a stage name and every reference to it. BuildKit
// lower-cases stage names itself (instructions.parseBuildStageName) and looks
// every reference up lower-cased (dispatchStates.findStateByName: FROM,
// COPY --from, RUN --mount=from=, --target), so the build is the same.
// References are changed only where BuildKit resolves them to the stage:
// a FROM after the stage, a --from naming it; never inside ONBUILD, whose
// triggers run in another Dockerfile's build, nor where $ makes the name
// depend on an ARG.
var StageNameCase = &rule.Rule{
	Name: "stage-name-case",
	Doc: `write stage names in lower case, and every reference to them

BuildKit lower-cases stage names and the references to them, and warns
(StageNameCasing) when a name is not written in lower case. The name after
AS and the references that resolve to the stage (FROM, COPY --from,
RUN --mount=from=) are written in lower case.`,
	URL:      pageURL + "stage-name-case.md",
	Safety:   rule.Safe,
	BuildKit: []string{linter.RuleStageNameCasing.Name},
	Run:      runStageNameCase,
}

func runStageNameCase(p *rule.Pass) {
	f := p.File
	count := map[string]int{}
	for _, s := range f.Stages {
		if s.Name != "" {
			count[strings.ToLower(s.Name)]++
		}
	}
	for _, s := range f.Stages {
		if s.Name == "" || s.Name == strings.ToLower(s.Name) || !validStageName(s.Name) {
			continue
		}
		lower := strings.ToLower(s.Name)
		msg := fmt.Sprintf("stage name %q is not in lower case: BuildKit reads it as %q", s.Name, lower)
		if count[lower] > 1 {
			p.Report(s.From, rule.Warning, msg+", and another stage has that name too", nil)
			continue
		}
		spans := map[*dockerfile.Instruction][]span{}
		// The name after AS.
		l := f.Line(s.From.Start)
		fs := fields(l)
		for i := 1; i+1 < len(fs); i++ {
			if strings.EqualFold(string(l[fs[i].lo:fs[i].hi]), "as") && string(l[fs[i+1].lo:fs[i+1].hi]) == s.Name {
				spans[s.From] = append(spans[s.From], span{s.From.Start, fs[i+1].lo, fs[i+1].hi, lower})
				break
			}
		}
		if len(spans[s.From]) == 0 {
			p.Report(s.From, rule.Warning, msg+" (not fixed: the name is on a continuation line)", nil)
			continue
		}
		refs := 0
		for _, later := range f.Stages[s.Index+1:] {
			if later.Base != lower && strings.EqualFold(later.Base, s.Name) {
				if sp, ok := wordSpan(f, later.From, later.Base, 1); ok {
					spans[later.From] = append(spans[later.From], sp)
					refs++
				}
			}
			for _, in := range later.Instructions {
				for _, sp := range fromFlagSpans(f, in, s.Name) {
					spans[in] = append(spans[in], sp)
					refs++
				}
			}
		}
		var edits []dockerfile.Edit
		for _, in := range f.Instructions {
			if sp, ok := spans[in]; ok {
				sortSpans(sp)
				edits = append(edits, editSpans(f, in, sp))
			}
		}
		fixMsg := "lower-case the name"
		if refs > 0 {
			fixMsg += fmt.Sprintf(" and its %d references", refs)
		}
		p.Report(s.From, rule.Warning, msg, &rule.Fix{Message: fixMsg, Safety: rule.Safe, Edits: edits})
	}
}

// wordSpan finds word as a whole field of in's first line, skipping skip
// fields (the keyword), and returns its lower-case replacement.
func wordSpan(f *dockerfile.File, in *dockerfile.Instruction, word string, skip int) (span, bool) {
	l := f.Line(in.Start)
	for i, fl := range fields(l) {
		if i >= skip && string(l[fl.lo:fl.hi]) == word {
			return span{in.Start, fl.lo, fl.hi, strings.ToLower(word)}, true
		}
		if i >= skip && !strings.HasPrefix(string(l[fl.lo:fl.hi]), "--") {
			break // the first argument is not it
		}
	}
	return span{}, false
}

// fromFlagSpans returns the replacements that lower-case name where in's
// flags refer to it: COPY/ADD --from=NAME, RUN --mount=...,from=NAME,...
func fromFlagSpans(f *dockerfile.File, in *dockerfile.Instruction, name string) []span {
	var out []span
	switch in.Keyword {
	case "copy", "add", "run":
	default:
		return nil
	}
	// BuildKit reads flags only before the first argument; a word that
	// looks like one after it is an argument.
	for i, n := range textLines(f, in) {
		l := f.Line(n)
		fs := fields(l)
		if i == 0 && len(fs) > 0 {
			fs = fs[1:] // the keyword
		}
		for _, fl := range fs {
			w := string(l[fl.lo:fl.hi])
			if w == string(f.Escape) {
				continue
			}
			if !strings.HasPrefix(w, "--") {
				return out
			}
			switch {
			case in.Keyword != "run" && strings.HasPrefix(w, "--from="):
				v := w[len("--from="):]
				if v != strings.ToLower(v) && strings.EqualFold(v, name) {
					out = append(out, span{n, fl.hi - len(v), fl.hi, strings.ToLower(v)})
				}
			case in.Keyword == "run" && strings.HasPrefix(w, "--mount="):
				off := fl.lo + len("--mount=")
				for _, kv := range strings.Split(w[len("--mount="):], ",") {
					k, v, ok := strings.Cut(kv, "=")
					if ok && strings.EqualFold(k, "from") && v != strings.ToLower(v) && strings.EqualFold(v, name) {
						out = append(out, span{n, off + len(k) + 1, off + len(kv), strings.ToLower(v)})
					}
					off += len(kv) + 1
				}
			}
		}
	}
	return out
}

// validStageName mirrors BuildKit's validStageName pattern
// (^[a-z][a-z0-9-_.]*$ after lower-casing): other names fail the build.
func validStageName(name string) bool {
	for i, c := range strings.ToLower(name) {
		switch {
		case 'a' <= c && c <= 'z':
		case i > 0 && ('0' <= c && c <= '9' || c == '-' || c == '_' || c == '.'):
		default:
			return false
		}
	}
	return name != ""
}
