package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rewritetest"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// stageKinds returns a stage's own CMD, ENTRYPOINT and HEALTHCHECK lists.
func stageKinds(s *dockerfile.Stage) map[string][]*dockerfile.Instruction {
	return map[string][]*dockerfile.Instruction{"cmd": s.Cmds, "entrypoint": s.Entrypoints, "healthcheck": s.Healthchecks}
}

// checkOnePerStage fails when out, the output of rules, still has a
// redundant CMD, ENTRYPOINT or HEALTHCHECK that the rule would remove:
// running it again must find only instructions kept on purpose (a pragma
// silences the rule there, or BuildKit rejects the instruction, which the
// rule reports without a fix).
func checkOnePerStage(t *testing.T, name string, out []byte, how string) {
	t.Helper()
	res, err := rewrite.Process(name, out, rewrite.Options{Rules: []*rule.Rule{rules.RedundantInstruction}, NoFormat: true})
	if err != nil {
		t.Errorf("%s (%s): the output does not process: %v", name, how, err)
		return
	}
	for _, fd := range res.Findings {
		if fd.Fix != nil {
			t.Errorf("%s (%s): line %d of the output: %s", name, how, fd.Line, fd.Message)
		}
	}
}

// TestRedundantInstructionCorpus processes every corpus file and checks
// that no stage is left with more than one CMD, ENTRYPOINT or HEALTHCHECK,
// and that the rule never changes what a stage ends up with: each stage's
// final CMD, ENTRYPOINT and HEALTHCHECK and its ONBUILD triggers are the
// same, parsed, before and after. With every rule it also checks that each
// entrypoint-cmd finding is about a CMD or ENTRYPOINT of the input and
// offers no fix, and logs those findings by kind.
func TestRedundantInstructionCorpus(t *testing.T) {
	files := corpus.Files(t)
	only := []*rule.Rule{rules.RedundantInstruction}
	removed, changedFiles, parseErrors := 0, 0, 0
	kinds := map[string]int{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		body, _ := strings.CutPrefix(string(src), string(bom))
		before, err := dockerfile.Parse(name, []byte(body))
		if err != nil {
			parseErrors++
			continue
		}

		// The rule alone, without formatting: the final instructions of
		// every stage must be untouched.
		res, err := rewrite.Process(name, src, rewrite.Options{NoFormat: true, Rules: only})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for _, fd := range res.Findings {
			if fd.Fixed {
				removed++
			}
		}
		if res.Changed {
			changedFiles++
		}
		outBody, _ := strings.CutPrefix(string(res.Output), string(bom))
		after, err := dockerfile.Parse(name, []byte(outBody))
		if err != nil {
			t.Errorf("%s: output does not parse: %v", name, err)
			continue
		}
		if len(after.Stages) != len(before.Stages) {
			t.Errorf("%s: %d stages became %d", name, len(before.Stages), len(after.Stages))
			continue
		}
		for i, bs := range before.Stages {
			as := after.Stages[i]
			bk, ak := stageKinds(bs), stageKinds(as)
			for kw := range bk {
				b, a := dockerfile.Last(bk[kw]), dockerfile.Last(ak[kw])
				if (b == nil) != (a == nil) || b != nil && shape(b) != shape(a) {
					t.Errorf("%s: stage %d: final %s changed from %v to %v", name, i, strings.ToUpper(kw), shapeOrNil(b), shapeOrNil(a))
				}
			}
			if len(bs.OnBuilds) != len(as.OnBuilds) {
				t.Errorf("%s: stage %d: %d ONBUILD instructions became %d", name, i, len(bs.OnBuilds), len(as.OnBuilds))
				continue
			}
			for j, ob := range bs.OnBuilds {
				if shape(ob) != shape(as.OnBuilds[j]) {
					t.Errorf("%s: stage %d: ONBUILD at line %d changed", name, i, ob.Start)
				}
			}
		}
		checkOnePerStage(t, name, res.Output, "redundant-instruction alone")

		// Every rule, with the default options, as cmdfix -w runs.
		res, err = rewrite.Process(name, src, rewrite.Options{})
		if err != nil {
			t.Errorf("%s: all rules: %v", name, err)
			continue
		}
		checkOnePerStage(t, name, res.Output, "all rules")
		for _, fd := range res.Findings {
			if fd.Rule != rules.EntrypointCmd.Name {
				continue
			}
			kinds[entrypointCmdKind(fd.Message)]++
			var at *dockerfile.Instruction
			for _, x := range before.Instructions {
				if x.Start == fd.Line {
					at = x
				}
			}
			if fd.Fix != nil || at == nil || (at.Keyword != "cmd" && at.Keyword != "entrypoint") {
				t.Errorf("%s:%d: entrypoint-cmd finding is not a report about a CMD or ENTRYPOINT: %s", name, fd.Line, fd.Message)
			}
		}
	}
	if removed == 0 {
		t.Errorf("no redundant instruction removed in %d files: the test checks nothing", len(files))
	}
	t.Logf("%d files (%d BuildKit cannot parse): removed %d redundant instructions in %d files", len(files), parseErrors, removed, changedFiles)
	var names []string
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		t.Logf("entrypoint-cmd %-28s %d", k, kinds[k])
	}
}

func shapeOrNil(in *dockerfile.Instruction) string {
	if in == nil {
		return "nothing"
	}
	return shape(in)
}

// shape is what BuildKit made of an instruction, without positions.
func shape(in *dockerfile.Instruction) string {
	if in == nil {
		return ""
	}
	return fmt.Sprintf("%s %q json=%v %q %+v", in.Node.Value, in.Flags(), in.JSON(), in.Node.Dump(), in.Node.Heredocs)
}

// entrypointCmdKind names the kind of an entrypoint-cmd finding from its
// message, for the corpus counts.
func entrypointCmdKind(msg string) string {
	switch {
	case strings.HasPrefix(msg, "CMD with no arguments"), strings.HasPrefix(msg, "ENTRYPOINT with no arguments"):
		return "bare"
	case strings.Contains(msg, "shell-form ENTRYPOINT"):
		return "shell-entrypoint-ignores-cmd"
	case strings.HasPrefix(msg, "this ENTRYPOINT discards"):
		return "entrypoint-discards-cmd"
	case strings.HasPrefix(msg, "CMD [] "), strings.HasPrefix(msg, "ENTRYPOINT [] "):
		return "empty-clears-inherited"
	case strings.Contains(msg, "shell-form CMD"):
		return "shell-cmd-to-exec-entrypoint"
	}
	return "other"
}

// TestRedundantInstructionGolden runs the cases in golden/redundant-instruction.
func TestRedundantInstructionGolden(t *testing.T) {
	rewritetest.Run(t, filepath.Join(corpus.Root(), "golden", "redundant-instruction"), rules.All)
}

// bom is the UTF-8 byte-order mark, which BuildKit ignores.
var bom = []byte("\xef\xbb\xbf")
