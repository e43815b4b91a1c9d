package rules

import (
	"fmt"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/shell"
)

// EntrypointScript reads the script an exec-form ENTRYPOINT runs from the
// build context and reports where it breaks the ENTRYPOINT + CMD contract.
var EntrypointScript = &rule.Rule{
	Name: "entrypoint-script",
	Doc: `report entrypoint scripts that ignore CMD or keep the main program from receiving docker stop's signal

Reads the script an exec-form ENTRYPOINT runs, from the build context, and
reports a script that never passes its arguments on with "$@" (so CMD and
docker run arguments are ignored), a script whose last step runs the main
program without exec (the shell stays PID 1 and the program is killed
after the grace period), and a script without a #! line (the container
fails to start). exec "$@" behind gosu, su-exec or tini counts as passing
the arguments on. It reports; it does not edit scripts.`,
	URL:    pageURL + "entrypoint-script.md",
	Safety: rule.NoFix,
	Run:    runEntrypointScript,
}

// wrappers are programs an ENTRYPOINT names before the script they run:
// the value is how many words after the program name belong to it (its
// options are skipped too).
var wrappers = map[string]int{
	"tini": 0, "tini-static": 0, "dumb-init": 0, "catatonit": 0,
	"gosu": 1, "su-exec": 1,
}

// scriptShells read a script given as their first operand.
var scriptShells = map[string]bool{"sh": true, "bash": true, "dash": true, "ash": true}

func runEntrypointScript(p *rule.Pass) {
	if p.Context == nil {
		return
	}
	for _, s := range p.File.Stages {
		ep := s.Entrypoint()
		if ep == nil || ep.Stage != s || ep.OnBuild || !ep.JSON() || len(ep.Args()) == 0 {
			continue
		}
		checkEntrypointScript(p, s, ep)
	}
}

func checkEntrypointScript(p *rule.Pass, s *dockerfile.Stage, ep *dockerfile.Instruction) {
	es, reason := readEntrypointScript(p, s, ep)
	if reason != "" {
		return // not in the context, or not readable: nothing to report on
	}
	where := "`" + clip.N(es.prog, 60) + "` (" + clip.N(es.file.Rel, 60) + " in the build context)"
	if es.shellPath == "" && buildcontext.Classify(es.data).Kind == buildcontext.KindScriptNoShebang {
		p.Report(ep, rule.Error, fmt.Sprintf("%s has no #! line: the runtime's execve fails with exec format error and the container does not start (add a #! line such as #!/bin/sh)", where), nil)
		return
	}
	offset := es.offset
	r := shell.AnalyzeEntrypoint(es.data)
	if !r.Verdict {
		return
	}
	cmd := p.File.CmdReaching(ep)
	for _, fd := range r.Findings {
		line := fd.Line - offset
		if line < 1 {
			line = 1
		}
		at := fmt.Sprintf("%s:%d", clip.N(es.file.Rel, 60), line)
		var msg string
		switch fd.Kind {
		case "no-args":
			msg = fmt.Sprintf("%s never passes its arguments on (no \"$@\"): %s", where, ignoredCmd(p.File, cmd))
			if r.DiscardLine > 0 {
				msg = fmt.Sprintf("%s replaces its arguments with set -- at %s before reading them: %s", where, at, ignoredCmd(p.File, cmd))
			}
		case "some-args":
			msg = fmt.Sprintf("%s reads single arguments (%s) but never passes them all on with \"$@\": the rest of %s", where, at, ignoredCmd(p.File, cmd))
		default: // "no-exec"
			msg = fmt.Sprintf("%s, line %d: %s", where, line, fd.Message)
		}
		sev := rule.Warning
		if cmd == nil && fd.Kind != "no-exec" {
			sev = rule.Info // only docker run arguments are lost
		}
		p.Report(ep, sev, msg, nil)
	}
}

// ignoredCmd says what an entrypoint that does not pass its arguments on
// ignores.
func ignoredCmd(f *dockerfile.File, cmd *dockerfile.Instruction) string {
	if cmd == nil {
		return "docker run arguments are ignored"
	}
	return "the " + describeInstruction(f, cmd) + " and docker run arguments are ignored"
}
