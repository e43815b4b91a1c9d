package rules

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// DefinitionDescription separates a comment from the ARG or FROM below it
// when the comment is not a description. BuildKit takes the comment lines
// right above an instruction as its description (Node.PrevComment; only
// an empty "#" line ends them, a blank line does not) and shows it for
// build arguments and stages in docker build --call=outline and
// --call=targets; a description should start with the name it describes
// (instructions.validateDefinitionDescription, InvalidDefinitionDescription,
// an experimental check). An empty "#" line above the instruction leaves
// it without a description; nothing else BuildKit builds reads comments.
var DefinitionDescription = &rule.Rule{
	Name: "definition-description",
	Doc: `separate a comment that is not a description from the ARG or FROM below it

BuildKit shows the comment right above an ARG or a named FROM as its
description in docker build --call=outline, and warns
(InvalidDefinitionDescription, experimental) when it does not start with
the name. An empty "#" line is put between them (a blank line would not
do: BuildKit joins comments across blank lines).`,
	URL:      pageURL + "definition-description.md",
	Safety:   rule.Safe,
	BuildKit: []string{linter.RuleInvalidDefinitionDescription.Name},
	Run:      runDefinitionDescription,
}

func runDefinitionDescription(p *rule.Pass) {
	f := p.File
	for _, in := range f.Instructions {
		var names []string
		switch in.Keyword {
		case "arg":
			for _, a := range in.Args() {
				k, _, _ := strings.Cut(a, "=")
				names = append(names, k)
			}
		case "from":
			if in.Stage != nil && in.Stage.Name != "" {
				names = []string{strings.ToLower(in.Stage.Name)}
			}
		}
		comments := in.Node.PrevComment
		if len(names) == 0 || len(comments) == 0 {
			continue
		}
		last := comments[len(comments)-1]
		first, _, _ := strings.Cut(last, " ")
		if contains(names, first) {
			continue
		}
		// The comment must be on the line right above, and no pragma.
		if in.Start < 2 || !dockerfile.IsCommentLine(f.Line(in.Start-1)) {
			continue
		}
		pragma := false
		for _, c := range comments {
			lc := strings.ToLower(c)
			if strings.Contains(lc, "check=") || strings.Contains(lc, "hadolint") || strings.Contains(lc, "cmdfix") || strings.Contains(lc, "syntax=") || strings.Contains(lc, "escape=") {
				pragma = true
			}
		}
		msg := fmt.Sprintf("the comment above %s is its description for BuildKit (docker build --call=outline) but does not start with %q", strings.ToUpper(in.Keyword), names[0])
		if pragma {
			p.Report(in, rule.Info, msg+" (left alone: it holds a pragma)", nil)
			continue
		}
		nl := string(dockerfile.LineEnding(f.Line(in.Start - 1)))
		if nl == "" {
			nl = "\n"
		}
		indent := f.Line(in.Start)[:len(f.Line(in.Start))-len(dockerfile.TrimLeftSpace(f.Line(in.Start)))]
		p.Report(in, rule.Info, msg, &rule.Fix{Message: "end the comment with an empty # line", Safety: rule.Safe,
			Edits: []dockerfile.Edit{{Start: in.Start, End: in.Start - 1, Text: string(indent) + "#" + nl}}})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
