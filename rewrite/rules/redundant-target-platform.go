package rules

import (
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// RedundantTargetPlatform removes FROM --platform=$TARGETPLATFORM. A FROM
// without --platform builds for the target platform too, with one
// difference in dockerfile2llb's resolveBaseImage: when docker build is
// given no --platform, a FROM without the flag may take the base image's
// own platform (autoDetectPlatform) where the image lacks the target's and
// the builder can run the image's. So the fix is unsafe.
var RedundantTargetPlatform = &rule.Rule{
	Name: "redundant-target-platform",
	Doc: `remove FROM --platform=$TARGETPLATFORM, which is the default

A FROM builds for the target platform by default; BuildKit warns
(RedundantTargetPlatform) when --platform says so again. The flag is
removed with --unsafe: without it BuildKit may pick the base image's own
platform when the image lacks the target's.`,
	URL:      pageURL + "redundant-target-platform.md",
	Safety:   rule.Unsafe,
	BuildKit: []string{linter.RuleRedundantTargetPlatform.Name},
	Run:      runRedundantTargetPlatform,
}

func runRedundantTargetPlatform(p *rule.Pass) {
	f := p.File
	// A global ARG TARGETPLATFORM with a default gives the name a value
	// of the file's own.
	for _, in := range f.Instructions {
		if in.Keyword == "from" {
			break
		}
		if in.Keyword == "arg" {
			for _, a := range in.Args() {
				// Without a default, the ARG takes BuildKit's own value.
				if k, _, hasDefault := strings.Cut(a, "="); k == "TARGETPLATFORM" && hasDefault {
					return
				}
			}
		}
	}
	for _, s := range f.Stages {
		in := s.From
		l := f.Line(in.Start)
		var spans []span
		var flag string
		fs := fields(l)
		for i, fl := range fs {
			w := string(l[fl.lo:fl.hi])
			if i == 0 {
				continue
			}
			if !strings.HasPrefix(w, "--") {
				break
			}
			if w == "--platform=$TARGETPLATFORM" || w == "--platform=${TARGETPLATFORM}" {
				// Remove the flag and the blanks after it.
				hi := len(dockerfile.LineBody(l))
				if i+1 < len(fs) {
					hi = fs[i+1].lo
				}
				spans = append(spans, span{in.Start, fl.lo, hi, ""})
				flag = w
			}
		}
		if len(spans) != 1 || len(in.Flags()) == 0 {
			continue
		}
		p.Report(in, rule.Info, "FROM "+flag+" is the default: a FROM builds for the target platform",
			&rule.Fix{Message: "remove the flag (without it, BuildKit may pick the base image's own platform when the image lacks the target's and docker build was given no --platform)", Safety: rule.Unsafe, Edits: []dockerfile.Edit{editSpans(f, in, spans)}})
	}
}
