package rewrite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStageHelpersFollowBuildKit checks Stage.Cmd and Stage.Entrypoint
// against the dispatch results measured with BuildKit (api-notes.md,
// section B). Each case names the source line of the instruction in effect
// in the last stage (0: none in the file) and, for CMD, whether it is known
// (false: it comes from the external base image).
func TestStageHelpersFollowBuildKit(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		cmdLine   int
		cmdKnown  bool
		epLine    int
	}{
		{"B.4 inherited CMD from an image", "FROM fake/cmd\nRUN true\n", 0, false, 0},
		{"B.4 ENTRYPOINT resets the inherited CMD", "FROM fake/entry\nENTRYPOINT [\"/app\"]\n", 0, true, 2},
		{"B.4 CMD before ENTRYPOINT is kept", "FROM fake/entry\nCMD [\"--flag\"]\nENTRYPOINT [\"/app\"]\n", 2, true, 3},
		{"B.2 last CMD wins", "FROM scratch\nCMD first\nENTRYPOINT [\"/e\"]\nCMD third\n", 4, true, 3},
		{"B.5 a stage-inherited CMD is reset too", "FROM scratch AS base\nCMD [\"base\"]\nFROM base AS child\nENTRYPOINT [\"/app\"]\n", 0, true, 4},
		{"B.5 stage inherits both", "FROM scratch AS base\nENTRYPOINT [\"/app\"]\nCMD [\"base\"]\nFROM base\nRUN true\n", 3, true, 2},
		{"B.8 own ONBUILD CMD does not count", "FROM scratch\nCMD [\"real\"]\nONBUILD CMD echo later\n", 2, true, 0},
		{"B.8 trigger CMD runs in the child", "FROM scratch AS base\nCMD [\"base\"]\nONBUILD CMD [\"from-trigger\"]\nFROM base AS child\nRUN true\n", 3, true, 0},
		{"B.8 trigger CMD survives the child's ENTRYPOINT", "FROM scratch AS base\nONBUILD CMD [\"trig\"]\nFROM base AS child\nENTRYPOINT [\"/app\"]\n", 2, true, 4},
		{"B.8 child CMD beats the trigger", "FROM scratch AS base\nONBUILD CMD [\"trig\"]\nFROM base AS child\nCMD [\"child\"]\n", 4, true, 0},
		{"B.9 grandchild", "FROM scratch AS base\nCMD base-cmd\nFROM base AS dev\nCMD dev-cmd\nFROM dev\nRUN true\n", 4, true, 0},
		{"stage names are case-insensitive", "FROM scratch AS Base\nCMD [\"b\"]\nFROM BASE\nRUN true\n", 2, true, 0},
		{"chain through a stage named like an image", "FROM later\nRUN true\nFROM scratch AS later\nCMD [\"x\"]\nFROM later AS again\nFROM again\n", 4, true, 0},
		{"ENTRYPOINT [] is in effect", "FROM scratch AS base\nENTRYPOINT [\"/app\"]\nFROM base\nENTRYPOINT []\n", 0, true, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("Dockerfile", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			st := f.Stages[len(f.Stages)-1]
			cmd, known := st.Cmd()
			if line(cmd) != tc.cmdLine || known != tc.cmdKnown {
				t.Errorf("Cmd() = line %d, known %v; want line %d, known %v", line(cmd), known, tc.cmdLine, tc.cmdKnown)
			}
			if ep := st.Entrypoint(); line(ep) != tc.epLine {
				t.Errorf("Entrypoint() = line %d; want %d", line(ep), tc.epLine)
			}
		})
	}
}

func line(in *Instruction) int {
	if in == nil {
		return 0
	}
	return in.Start
}

// TestMessagesUseInputLines runs entrypoint-cmd after redundant-instruction
// removed a line above, as the driver does: the lines the message names must
// be those of the input.
func TestMessagesUseInputLines(t *testing.T) {
	src := "FROM alpine\nCMD [\"old\"]\nENTRYPOINT [\"/app\"]\nCMD serve --port 80\n"
	res, err := process("Dockerfile", []byte(src), Options{NoFormat: true}, []*Rule{redundantInstruction, entrypointCmd})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, fd := range res.Findings {
		if fd.Rule == entrypointCmd.Name {
			msgs = append(msgs, fd.Message)
		}
	}
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "the ENTRYPOINT at line 3 receives") {
		t.Fatalf("entrypoint-cmd findings %q, want one naming the ENTRYPOINT at line 3", msgs)
	}
}

func TestUsesPositional(t *testing.T) {
	for script, want := range map[string]bool{
		`exec node "$@"`:                 true,
		`exec "$0" "$@"`:                 true,
		`run $1`:                         true,
		`run ${1:-default}`:              true,
		`echo $# args`:                   true,
		`echo "$*"`:                      true,
		`python app.py`:                  false,
		`echo $HOME $PORT`:               false,
		`echo '$@ is not expanded' $$`:   false,
		`awk '{print $1}' /etc/hosts`:    false,
		`if then fi $1 (unparseable`:     true, // falls back to a plain search
		`for x in a b; do echo $x; done`: false,
	} {
		if got := usesPositional(script); got != want {
			t.Errorf("usesPositional(%q) = %v, want %v", script, got, want)
		}
	}
}

func TestPosixShell(t *testing.T) {
	for words, want := range map[string]bool{
		"/bin/sh -c":               true,
		"/bin/bash -o pipefail -c": true,
		"/bin/busybox sh -c":       true,
		"zsh -c":                   true,
		"cmd /S /C":                false,
		"powershell -Command":      false,
		"pwsh -c":                  false,
		"/bin/bash":                false,
		"/usr/bin/python3 -c":      false,
	} {
		if got := posixShell(strings.Fields(words)); got != want {
			t.Errorf("posixShell(%q) = %v, want %v", words, got, want)
		}
	}
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

// TestRuleDocExamples runs the examples in docs/rules for
// redundant-instruction and entrypoint-cmd: each "before" block, processed
// with that rule alone, must give the "after" block (the input when there is
// none) and exactly the "findings" block, so the documented messages are the
// emitted ones.
func TestRuleDocExamples(t *testing.T) {
	for _, r := range []*Rule{redundantInstruction, entrypointCmd} {
		path := filepath.Join("..", "docs", "rules", r.Name+".md")
		doc, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		examples := docExamples(t, path, string(doc))
		if len(examples) == 0 {
			t.Fatalf("%s: no examples", path)
		}
		for i, ex := range examples {
			res, err := process("Dockerfile", []byte(ex["before"]), Options{}, []*Rule{r})
			if err != nil {
				t.Errorf("%s example %d: %v", path, i+1, err)
				continue
			}
			want, ok := ex["after"]
			if !ok {
				want = ex["before"]
			}
			if string(res.Output) != want {
				t.Errorf("%s example %d: output differs:\n%s", path, i+1, UnifiedDiff("doc", "cmdfix", []byte(want), res.Output))
			}
			var got strings.Builder
			for _, fd := range res.Findings {
				got.WriteString("Dockerfile:" + goldenFinding(fd) + "\n")
			}
			if got.String() != ex["findings"] {
				t.Errorf("%s example %d: findings differ:\n%s", path, i+1, UnifiedDiff("doc", "cmdfix", []byte(ex["findings"]), []byte(got.String())))
			}
		}
	}
}

// docExamples reads the code blocks marked "<!-- example: before -->",
// "after" and "findings"; each "before" starts a new example.
func docExamples(t *testing.T, path, doc string) []map[string]string {
	var out []map[string]string
	lines := strings.SplitAfter(doc, "\n")
	for i := 0; i < len(lines); i++ {
		part, ok := strings.CutPrefix(strings.TrimSpace(lines[i]), "<!-- example: ")
		if !ok {
			continue
		}
		part = strings.TrimSuffix(part, " -->")
		if i+1 >= len(lines) || !strings.HasPrefix(lines[i+1], "```") {
			t.Fatalf("%s:%d: example marker not followed by a code block", path, i+1)
		}
		var body strings.Builder
		j := i + 2
		for ; j < len(lines) && !strings.HasPrefix(lines[j], "```"); j++ {
			body.WriteString(lines[j])
		}
		if part == "before" {
			out = append(out, map[string]string{})
		}
		if len(out) == 0 {
			t.Fatalf("%s:%d: %q before any \"before\"", path, i+1, part)
		}
		out[len(out)-1][part] = body.String()
		i = j
	}
	return out
}
