package rewrite

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// stageKinds returns a stage's own CMD, ENTRYPOINT and HEALTHCHECK lists.
func stageKinds(s *Stage) map[string][]*Instruction {
	return map[string][]*Instruction{"cmd": s.Cmds, "entrypoint": s.Entrypoints, "healthcheck": s.Healthchecks}
}

// keptOnPurpose reports whether the dead instruction list[i] is left in
// place by design: a pragma keeps it, or BuildKit rejects it.
func keptOnPurpose(f *File, list []*Instruction, i int) bool {
	const rule = "redundant-instruction"
	return fileSkips(f)[rule] || ignoredAt(f, list[i])[rule] ||
		(i+1 < len(list) && ignoredAt(f, list[i+1])[rule]) || buildKitRejects(list[i]) != ""
}

// checkOnePerStage fails for every stage of out with more than one CMD,
// ENTRYPOINT or HEALTHCHECK that is not kept on purpose.
func checkOnePerStage(t *testing.T, name string, out *File, how string) {
	t.Helper()
	for _, s := range out.Stages {
		for kw, list := range stageKinds(s) {
			for i := range list[:max(len(list)-1, 0)] {
				if !keptOnPurpose(out, list, i) {
					t.Errorf("%s (%s): stage %d still has %d %s instructions (line %d of the output)", name, how, s.Index, len(list), strings.ToUpper(kw), list[i].Start)
				}
			}
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
	files := corpusFiles(t)
	only := []*Rule{redundantInstruction}
	removed, changedFiles, parseErrors := 0, 0, 0
	kinds := map[string]int{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path)
		body, _ := strings.CutPrefix(string(src), string(bom))
		before, err := Parse(name, []byte(body))
		if err != nil {
			parseErrors++
			continue
		}

		// The rule alone, without formatting: the final instructions of
		// every stage must be untouched.
		res, err := process(name, src, Options{NoFormat: true}, only)
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
		after, err := Parse(name, []byte(outBody))
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
				b, a := Last(bk[kw]), Last(ak[kw])
				if (b == nil) != (a == nil) || b != nil && !sameShape(shapeOf(b.Node), shapeOf(a.Node), exact) {
					t.Errorf("%s: stage %d: final %s changed from %v to %v", name, i, strings.ToUpper(kw), shapeOrNil(b), shapeOrNil(a))
				}
			}
			if len(bs.OnBuilds) != len(as.OnBuilds) {
				t.Errorf("%s: stage %d: %d ONBUILD instructions became %d", name, i, len(bs.OnBuilds), len(as.OnBuilds))
				continue
			}
			for j, ob := range bs.OnBuilds {
				if !sameShape(shapeOf(ob.Node), shapeOf(as.OnBuilds[j].Node), exact) {
					t.Errorf("%s: stage %d: ONBUILD at line %d changed", name, i, ob.Start)
				}
			}
		}
		checkOnePerStage(t, name, after, "redundant-instruction alone")

		// Every rule, with the default options, as cmdfix -w runs.
		res, err = Process(name, src, Options{})
		if err != nil {
			t.Errorf("%s: all rules: %v", name, err)
			continue
		}
		outBody, _ = strings.CutPrefix(string(res.Output), string(bom))
		all, err := Parse(name, []byte(outBody))
		if err != nil {
			t.Errorf("%s: all rules: output does not parse: %v", name, err)
			continue
		}
		checkOnePerStage(t, name, all, "all rules")
		for _, fd := range res.Findings {
			if fd.Rule != entrypointCmd.Name {
				continue
			}
			kinds[entrypointCmdKind(fd.Message)]++
			var at *Instruction
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

func shapeOrNil(in *Instruction) string {
	if in == nil {
		return "nothing"
	}
	return shapeOf(in.Node).String()
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

func TestBuildKitRejects(t *testing.T) {
	for text, want := range map[string]string{
		"CMD run":                        "",
		"CMD --help":                     "unknown flag --help",
		"ENTRYPOINT --x=1 run":           "unknown flag --x=1",
		"HEALTHCHECK NONE":               "",
		"HEALTHCHECK --interval=5s NONE": "", // BuildKit reads no flags for NONE
		"HEALTHCHECK NONE now":           "HEALTHCHECK NONE takes no arguments",
		"HEALTHCHECK CMD":                "missing command after HEALTHCHECK CMD",
		"HEALTHCHECK cmd true":           "",
		"HEALTHCHECK PING host":          "unknown HEALTHCHECK type PING",
		"HEALTHCHECK --interval=30s --timeout=3s --start-period=0s --start-interval=1s --retries=3 CMD true": "",
		"HEALTHCHECK --interval=1us CMD true":       "bad duration --interval=1us",
		"HEALTHCHECK --interval=0 CMD true":         "",
		"HEALTHCHECK --retries=-1 CMD true":         "bad number --retries=-1",
		"HEALTHCHECK --retries CMD true":            "missing a value on flag --retries",
		"HEALTHCHECK --retries=1 --retries=2 CMD x": "duplicate flag --retries",
		"HEALTHCHECK --color=red CMD true":          "unknown flag --color",
	} {
		f, err := Parse("Dockerfile", []byte("FROM a\n"+text+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if got := buildKitRejects(f.Instructions[1]); got != want {
			t.Errorf("%s: %q, want %q", text, got, want)
		}
	}
}
