package rewrite

import (
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
