package rules

import (
	"fmt"
	"slices"
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
do: BuildKit joins comments across blank lines). Like BuildKit, the rule
runs only when the file turns the check on:
# check=experimental=InvalidDefinitionDescription (or experimental=all).`,
	URL:      pageURL + "definition-description.md",
	Safety:   rule.Safe,
	BuildKit: []string{linter.RuleInvalidDefinitionDescription.Name},
	Run:      runDefinitionDescription,
}

func runDefinitionDescription(p *rule.Pass) {
	f := p.File
	// BuildKit runs this experimental check only when the file's check
	// directive turns it on; so does this rule, since every comment
	// above a named stage would otherwise change.
	cfg, err := linter.ParseLintOptions(f.Directives["check"])
	if err != nil || !(cfg.ExperimentalAll || slices.Contains(cfg.ExperimentalRules, linter.RuleInvalidDefinitionDescription.Name)) {
		return
	}
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
		// The last comment line above: BuildKit's comments run on across
		// blank lines.
		at := in.Start - 1
		for at >= 1 && dockerfile.IsBlankLine(f.Line(at)) && f.Kind(at) == dockerfile.LineOther {
			at--
		}
		if at < 1 || !dockerfile.IsCommentLine(f.Line(at)) || f.Kind(at) != dockerfile.LineOther {
			continue
		}
		pragma := false
		for _, c := range comments {
			lc := strings.ToLower(strings.TrimLeft(c, "# \t"))
			if strings.HasPrefix(lc, "check") && strings.Contains(lc, "=") || strings.HasPrefix(lc, "hadolint") || strings.HasPrefix(lc, "cmdfix ignore") {
				pragma = true
			}
		}
		msg := fmt.Sprintf("the comment above %s is its description for BuildKit (docker build --call=outline) but does not start with %q", strings.ToUpper(in.Keyword), names[0])
		if pragma {
			p.Report(in, rule.Info, msg+" (left alone: it holds a pragma)", nil)
			continue
		}
		nl := string(dockerfile.LineEnding(f.Line(at)))
		if nl == "" {
			nl = "\n"
		}
		// Unindented: BuildKit reads a comment line from its second byte, so
		// an indented "#" would read as "#", not as empty.
		p.Report(in, rule.Info, msg, &rule.Fix{Message: "end the comment with an empty # line", Safety: rule.Safe,
			Edits: []dockerfile.Edit{{Start: at + 1, End: at, Text: "#" + nl}}})
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
