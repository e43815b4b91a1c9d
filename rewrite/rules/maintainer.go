package rules

import (
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// Maintainer replaces the deprecated MAINTAINER with the OCI authors
// label. MAINTAINER sets the image's Author field (dispatchMaintainer);
// the label does not, so the fix is unsafe: tools reading Author see
// nothing after it.
var Maintainer = &rule.Rule{
	Name: "maintainer",
	Doc: `replace the deprecated MAINTAINER with LABEL org.opencontainers.image.authors

MAINTAINER is deprecated (BuildKit: MaintainerDeprecated, hadolint DL4000).
With --unsafe it becomes LABEL org.opencontainers.image.authors="...": the
image then has that label and no longer an Author field.`,
	URL:      pageURL + "maintainer.md",
	Safety:   rule.Unsafe,
	Hadolint: []string{"DL4000"},
	BuildKit: []string{linter.RuleMaintainerDeprecated.Name},
	Run:      runMaintainer,
}

func runMaintainer(p *rule.Pass) {
	f := p.File
	for _, in := range f.Instructions {
		if in.Keyword != "maintainer" {
			continue
		}
		args := in.Args()
		msg := "MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors"
		if len(args) != 1 || in.HasHeredoc() {
			p.Report(in, rule.Warning, msg, nil)
			continue
		}
		quoted, ok := quoteLiteral(args[0], f.Escape)
		if !ok {
			p.Report(in, rule.Warning, msg, nil)
			continue
		}
		e, ok := f.ReplaceInstruction(in, "LABEL org.opencontainers.image.authors="+quoted)
		if !ok {
			p.Report(in, rule.Warning, msg, nil)
			continue
		}
		p.Report(in, rule.Warning, msg, &rule.Fix{Message: "replace it with the label (the image's Author field is then empty)", Safety: rule.Unsafe, Edits: []dockerfile.Edit{e}})
	}
}
