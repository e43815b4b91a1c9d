package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// WorkdirRelative makes the first WORKDIR of a stage absolute where the
// working folder it is relative to is known. BuildKit joins a relative
// WORKDIR to the image's working folder (system.NormalizeWorkdir); the
// only base whose working folder cmdfix can state is scratch, which has
// none, so "/" (the image table holds no working folders: they change
// between tags). Elsewhere the rule reports the WORKDIR and leaves the
// path to the author.
var WorkdirRelative = &rule.Rule{
	Name: "workdir-relative",
	Doc: `make a stage's first relative WORKDIR absolute where its base is known

A relative WORKDIR is joined to the base image's working folder, which can
change when the image does; BuildKit warns (WorkdirRelativePath) at the
first WORKDIR of a stage. In a stage FROM scratch the folder is "/", and
the path is made absolute; elsewhere it is reported.`,
	URL:      pageURL + "workdir-relative.md",
	Safety:   rule.Safe,
	Hadolint: []string{"DL3000"},
	BuildKit: []string{linter.RuleWorkdirRelativePath.Name},
	Run:      runWorkdirRelative,
}

func runWorkdirRelative(p *rule.Pass) {
	f := p.File
	for _, s := range f.Stages {
		if f.MaybeWindows(s) {
			continue
		}
		for _, in := range s.Instructions {
			if in.Keyword != "workdir" {
				continue
			}
			args := in.Args()
			if len(args) != 1 || path.IsAbs(args[0]) || strings.HasPrefix(args[0], "$") {
				break // the first WORKDIR decides; one from a variable is not judged
			}
			msg := fmt.Sprintf("WORKDIR %s is relative to the base image's working folder, which can change with the image", args[0])
			if s.Parent != nil || !strings.EqualFold(s.Base, "scratch") || len(s.From.Flags()) > 0 || strings.ContainsAny(args[0], "$\\`'\"") {
				p.Report(in, rule.Warning, msg+": write the absolute path", nil)
				break
			}
			abs := path.Join("/", args[0])
			l := f.Line(in.Start)
			fs := fields(l)
			if len(fs) != 2 || in.TextEnd != in.Start || string(l[fs[1].lo:fs[1].hi]) != args[0] {
				p.Report(in, rule.Warning, msg+": write the absolute path", nil)
				break
			}
			p.Report(in, rule.Warning, fmt.Sprintf("WORKDIR %s is relative; in a stage FROM scratch it is %s", args[0], abs),
				&rule.Fix{Message: "write " + abs, Safety: rule.Safe, Edits: []dockerfile.Edit{editSpans(f, in, []span{{in.Start, fs[1].lo, fs[1].hi, abs}})}})
			break
		}
	}
}
