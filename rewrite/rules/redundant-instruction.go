package rules

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// RedundantInstruction removes CMD, ENTRYPOINT and HEALTHCHECK instructions
// that never take effect. BuildKit keeps one CMD, one ENTRYPOINT and one
// HEALTHCHECK per stage, each the last one dispatched; the earlier ones
// leave nothing in the image config of that stage, of any stage built on
// it, or of any --target (see ../shared/notes/api-notes.md, section B).
// Removing them is safe even around an ENTRYPOINT: an ENTRYPOINT resets
// the inherited CMD only while the stage has set no CMD, and the last CMD
// is dispatched after it either way.
//
// ONBUILD triggers are not the stage's own instructions (they run in child
// images) and are never counted or removed.
var RedundantInstruction = &rule.Rule{
	Name: "redundant-instruction",
	Doc: `remove CMD, ENTRYPOINT and HEALTHCHECK instructions that a later one in the same stage overrides

In a build stage only the last CMD, the last ENTRYPOINT and the last
HEALTHCHECK take effect. The earlier ones are removed, with all their
continuation lines; comment lines above and inside them are kept. Each
stage counts on its own, and ONBUILD triggers never count.`,
	URL:      pageURL + "redundant-instruction.md",
	Safety:   rule.Safe,
	Hadolint: []string{"DL4003", "DL4004", "DL3012"},
	BuildKit: []string{linter.RuleMultipleInstructionsDisallowed.Name},
	Run:      runRedundantInstruction,
}

func runRedundantInstruction(p *rule.Pass) {
	for _, s := range p.File.Stages {
		for _, list := range [][]*dockerfile.Instruction{s.Cmds, s.Entrypoints, s.Healthchecks} {
			if len(list) < 2 {
				continue
			}
			winner := dockerfile.Last(list)
			for i, in := range list[:len(list)-1] {
				// hadolint reports a duplicate at the later instruction, and
				// BuildKit reads its check=skip comment there, so a pragma
				// on the next one keeps this one too.
				if p.Silenced(list[i+1]) {
					continue
				}
				kw := strings.ToUpper(in.Keyword)
				if why := buildKitRejects(in); why != "" {
					p.Report(in, rule.Warning, fmt.Sprintf("%s is overridden by the %s at line %d but left alone, because BuildKit rejects it (%s) and removing it would let a failing build pass",
						kw, describe(winner), p.File.InputLine(winner.Start), why), nil)
					continue
				}
				p.Report(in, rule.Warning, fmt.Sprintf("%s never takes effect: the %s at line %d overrides it in the same stage",
					kw, describe(winner), p.File.InputLine(winner.Start)),
					&rule.Fix{Message: "remove the overridden " + kw, Safety: rule.Safe, Edits: []dockerfile.Edit{p.File.RemoveInstruction(in)}})
			}
		}
	}
}

// buildKitRejects returns why BuildKit's instruction parser refuses in
// (which fails the whole build), or "" when it accepts it. The parser
// cmdfix runs accepts these; the checks mirror BuildKit's parseCmd,
// parseEntrypoint and parseHealthcheck.
func buildKitRejects(in *dockerfile.Instruction) string {
	flags := in.Flags()
	switch in.Keyword {
	case "cmd", "entrypoint":
		if len(flags) > 0 {
			return "unknown flag " + flags[0]
		}
		return ""
	case "healthcheck":
		args := in.Args()
		if len(args) == 0 {
			return "HEALTHCHECK requires an argument"
		}
		switch strings.ToUpper(args[0]) {
		case "NONE":
			if len(args) > 1 {
				return "HEALTHCHECK NONE takes no arguments"
			}
			return "" // flags are not read for NONE
		case "CMD":
			if len(args) == 1 {
				return "missing command after HEALTHCHECK CMD"
			}
		default:
			return "unknown HEALTHCHECK type " + args[0]
		}
		return healthcheckFlagError(flags)
	}
	return ""
}

// healthcheckFlagError checks HEALTHCHECK CMD flags as BuildKit parses them.
func healthcheckFlagError(flags []string) string {
	seen := map[string]bool{}
	for _, fl := range flags {
		if fl == "--" {
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(fl, "--"), "=")
		switch {
		case !strings.HasPrefix(fl, "--"):
			return "bad flag " + fl
		case seen[name]:
			return "duplicate flag --" + name
		case !hasValue:
			return "missing a value on flag --" + name
		}
		seen[name] = true
		switch name {
		case "interval", "timeout", "start-period", "start-interval":
			if value == "" {
				continue
			}
			d, err := time.ParseDuration(value)
			if err != nil || (d != 0 && d < time.Millisecond) {
				return "bad duration " + fl
			}
		case "retries":
			if value == "" {
				continue
			}
			n, err := strconv.ParseInt(value, 10, 32)
			if err != nil || n < 0 {
				return "bad number " + fl
			}
		default:
			return "unknown flag --" + name
		}
	}
	return ""
}
