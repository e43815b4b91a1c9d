package rules

import (
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/internal/cmdline"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// The split-entrypoint rule suggests moving the part of an exec-form CMD
// that says what the container is (the program, and for interpreters the
// script they run) into ENTRYPOINT, and leaving the defaults a user may
// vary in CMD. The command Docker runs by default, ENTRYPOINT followed by
// CMD, stays the same; what changes is `docker run IMAGE ARGS`, which then
// passes ARGS to the program instead of replacing the command. That is a
// change of the image's interface, so the fix is a suggestion applied only
// with --split.

var SplitEntrypoint = &rule.Rule{
	Name: "split-entrypoint",
	Doc: `suggest ENTRYPOINT for the program and CMD for its default arguments

For a stage whose command is an exec-form CMD and that has no ENTRYPOINT in
effect, suggest putting the program (with the script, module, jar or app it
runs) in ENTRYPOINT and the remaining arguments in CMD. The default command
is unchanged; docker run IMAGE ARGS then passes ARGS to the program instead of
replacing the command. Applied only with --split.`,
	URL:    pageURL + "split-entrypoint.md",
	Safety: rule.Suggested,
	Run:    runSplitEntrypoint,
}

func runSplitEntrypoint(p *rule.Pass) {
	for _, s := range p.File.Stages {
		sp, ok := planSplit(p.File, s)
		if !ok {
			continue
		}
		program, rest := sp.argv[:sp.id.N], sp.argv[sp.id.N:]
		kw := entrypointKeyword(sp.cmd.Node.Value)
		if sp.clear != nil {
			kw = sp.clear.Node.Value
		}
		epLine, cmdLine, ok := splitText(kw, sp.cmd.Node.Value, program, rest)
		if !ok {
			continue
		}
		var edits []dockerfile.Edit
		if sp.clear != nil {
			// The stage clears the base image's ENTRYPOINT with
			// ENTRYPOINT []: the program takes its place, so that no dead
			// ENTRYPOINT is left behind.
			ep, ok1 := p.File.ReplaceInstruction(sp.clear, epLine)
			cm, ok2 := p.File.ReplaceInstruction(sp.cmd, cmdLine)
			if !ok1 || !ok2 {
				continue
			}
			edits = []dockerfile.Edit{ep, cm}
		} else {
			e, ok := p.File.ReplaceInstruction(sp.cmd, epLine+"\n"+cmdLine)
			if !ok {
				continue
			}
			edits = []dockerfile.Edit{e}
		}
		msg := "split into " + epLine + " and " + cmdLine +
			": the default command stays the same, but docker run IMAGE ARGS will pass ARGS to " +
			strings.Join(program, " ") + " instead of replacing the command"
		p.Report(sp.cmd, rule.Info, msg, &rule.Fix{
			Message: "move the program into ENTRYPOINT and keep its arguments in CMD",
			Safety:  rule.Suggested,
			Edits:   edits,
		})
	}
}

// entrypointKeyword spells ENTRYPOINT the way the CMD keyword is spelled.
func entrypointKeyword(cmd string) string {
	switch {
	case cmd == strings.ToLower(cmd):
		return "entrypoint"
	case cmd == "Cmd":
		return "Entrypoint"
	}
	return "ENTRYPOINT"
}

// splitText writes the ENTRYPOINT and CMD lines of a split.
func splitText(epKeyword, cmdKeyword string, program, rest []string) (ep, cmd string, ok bool) {
	pj, ok1 := dockerfile.JSONArray(program)
	rj, ok2 := dockerfile.JSONArray(rest)
	if !ok1 || !ok2 {
		return "", "", false
	}
	return epKeyword + " " + pj, cmdKeyword + " " + rj, true
}

// A splitPlan is the split the rule would suggest for one stage.
type splitPlan struct {
	cmd  *dockerfile.Instruction
	argv []string
	id   cmdline.Identity
	// clear is the stage's own ENTRYPOINT [] in effect before cmd, which
	// the new ENTRYPOINT replaces; nil when there is none.
	clear *dockerfile.Instruction
}

// Reasons a stage gets no suggestion, for tests and measurements.
const (
	skipNoExecCmd      = "no exec-form CMD of its own"
	skipEntrypoint     = "an ENTRYPOINT is in effect"
	skipBaseEntrypoint = "the base image sets an ENTRYPOINT"
	skipUnknownBase    = "the base image is unknown"
	skipChildCmd       = "a stage built on it sets its own CMD"
	skipNothingLeft    = "nothing is left for CMD"
)

// planSplit decides the split for stage s. It reports false, with the
// reason in plan.id.Kind, when there is none.
func planSplit(f *dockerfile.File, s *dockerfile.Stage) (splitPlan, bool) {
	cmd := dockerfile.Last(s.Cmds)
	if cmd == nil || !cmd.JSON() {
		return splitPlan{id: cmdline.Identity{Kind: skipNoExecCmd}}, false
	}
	why, clear := entrypointBlocksSplit(f, s, cmd)
	if why != "" {
		return splitPlan{cmd: cmd, id: cmdline.Identity{Kind: why}}, false
	}
	if changesDescendant(f, s) {
		return splitPlan{cmd: cmd, id: cmdline.Identity{Kind: skipChildCmd}}, false
	}
	argv := cmd.Args()
	id := cmdline.Of(argv)
	switch {
	case id.N == 0:
		return splitPlan{cmd: cmd, argv: argv, id: id}, false
	case id.N >= len(argv):
		return splitPlan{cmd: cmd, argv: argv, id: cmdline.Identity{N: id.N, Kind: skipNothingLeft}}, false
	}
	return splitPlan{cmd: cmd, argv: argv, id: id, clear: clear}, true
}

// entrypointBlocksSplit says why an ENTRYPOINT may be in effect when cmd runs
// in stage s, or "" when none is: no stage of the chain and no ONBUILD
// trigger sets one and the base image is known to set none, or the
// ENTRYPOINT in effect is an empty exec form (ENTRYPOINT []) dispatched
// before cmd, which clears whatever the base image set. In that last case
// it also returns that ENTRYPOINT [] when it is the stage's own.
func entrypointBlocksSplit(f *dockerfile.File, s *dockerfile.Stage, cmd *dockerfile.Instruction) (string, *dockerfile.Instruction) {
	if ep := s.Entrypoint(); ep != nil {
		if !ep.JSON() || len(ep.Args()) > 0 {
			return skipEntrypoint, nil
		}
		switch {
		case ep.OnBuild || ep.Stage != s:
			return "", nil // cleared by a trigger or an ancestor stage
		case ep.Start < cmd.Start:
			return "", ep
		}
		return skipEntrypoint, nil // ENTRYPOINT [] after the CMD would clear a new one
	}
	info, known := baseInfo(f, s) // the resolved config, else the table
	switch {
	case !known:
		// An image cmdfix does not know may set an ENTRYPOINT (as
		// eclipse-temurin, php, maven and distroless/python3 do); a new
		// ENTRYPOINT would replace it.
		return skipUnknownBase, nil
	case info.Entrypoint != images.NoEntrypoint:
		return skipBaseEntrypoint, nil
	}
	return "", nil
}

// changesDescendant reports whether a stage built on s (directly or through
// other stages) sets its own CMD but no ENTRYPOINT of its own: it would
// inherit the new ENTRYPOINT, which would then run in front of its CMD.
// Descendants that inherit both, or set an ENTRYPOINT, are unaffected.
func changesDescendant(f *dockerfile.File, s *dockerfile.Stage) bool {
	for _, d := range f.Stages {
		for st := d; st != nil && st != s; st = st.Parent {
			if st.OwnOrTriggered("entrypoint") != nil {
				break
			}
			if st.OwnOrTriggered("cmd") != nil {
				if stageDescends(d, s) {
					return true
				}
				break
			}
		}
	}
	return false
}

func stageDescends(d, s *dockerfile.Stage) bool {
	for _, a := range d.Ancestors() {
		if a == s {
			return true
		}
	}
	return false
}
