package dockerfile

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
)

// TestRun checks File.Run against BuildKit's dispatch results
// (api-notes.md, section B) and Docker's run semantics. Each case gives
// the combined argv ("?" when not known), then the ENTRYPOINT and the CMD
// as "STATE ARGV | ORIGIN", and what ARGS do.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name, src  string
		argv       string
		entrypoint string
		cmd        string
		args       ArgsEffect
	}{
		{"ENTRYPOINT and CMD", "FROM scratch\nENTRYPOINT [\"/app\"]\nCMD [\"--port\", \"80\"]\n",
			`["/app","--port","80"]`, `set ["/app"] | this stage, line 2`, `set ["--port","80"] | this stage, line 3`, ArgsReplaceCmd},
		{"shell-form CMD", "FROM scratch\nCMD python app.py\n",
			`["/bin/sh","-c","python app.py"]`, `none | base image scratch (cmdfix's image table)`, `set ["/bin/sh","-c","python app.py"] | this stage, line 2`, ArgsReplaceCmd},
		{"shell-form ENTRYPOINT ignores CMD (B.6)", "FROM scratch\nENTRYPOINT python app.py\nCMD [\"--debug\"]\n",
			`["/bin/sh","-c","python app.py","--debug"]`, `set ["/bin/sh","-c","python app.py"] | this stage, line 2`, `set ["--debug"] | this stage, line 3`, ArgsToShell},
		{"SHELL wraps shell forms (B.7)", "FROM scratch\nSHELL [\"/bin/bash\", \"-c\"]\nCMD echo hi\n",
			`["/bin/bash","-c","echo hi"]`, `none | base image scratch (cmdfix's image table)`, `set ["/bin/bash","-c","echo hi"] | this stage, line 3`, ArgsReplaceCmd},
		{"inherited CMD from a parent stage", "FROM scratch AS base\nCMD [\"serve\"]\nFROM base\nRUN true\n",
			`["serve"]`, `none | base image scratch (cmdfix's image table)`, "set [\"serve\"] | parent stage `base`, line 2", ArgsReplaceCmd},
		{"ENTRYPOINT resets the parent's CMD (B.5)", "FROM scratch AS base\nCMD [\"base\"]\nFROM base AS child\nENTRYPOINT [\"/app\"]\n",
			`["/app"]`, `set ["/app"] | this stage, line 4`, `reset | this stage, line 4`, ArgsReplaceCmd},
		{"CMD before ENTRYPOINT is kept (B.4)", "FROM nginx\nCMD [\"--flag\"]\nENTRYPOINT [\"/app\"]\n",
			`["/app","--flag"]`, `set ["/app"] | this stage, line 3`, `set ["--flag"] | this stage, line 2`, ArgsReplaceCmd},
		{"ENTRYPOINT resets the base image's CMD (B.4)", "FROM nginx:1.27\nENTRYPOINT [\"/app\"]\n",
			`["/app"]`, `set ["/app"] | this stage, line 2`, `reset | this stage, line 2`, ArgsReplaceCmd},
		{"known base image", "FROM nginx:1.27\nRUN true\n",
			`["/docker-entrypoint.sh","nginx","-g","daemon off;"]`, `set ["/docker-entrypoint.sh"] | base image nginx:1.27 (cmdfix's image table)`, `set ["nginx","-g","daemon off;"] | base image nginx:1.27 (cmdfix's image table)`, ArgsReplaceCmd},
		{"known base image with a CMD of the file (B.6)", "FROM postgres:16\nCMD postgres -c fsync=off\n",
			`["docker-entrypoint.sh","/bin/sh","-c","postgres -c fsync=off"]`, `set ["docker-entrypoint.sh"] | base image postgres:16 (cmdfix's image table)`, `set ["/bin/sh","-c","postgres -c fsync=off"] | this stage, line 2`, ArgsReplaceCmd},
		{"known base image without ENTRYPOINT", "FROM python:3.12-slim\n",
			`["python3"]`, `none | base image python:3.12-slim (cmdfix's image table)`, `set ["python3"] | base image python:3.12-slim (cmdfix's image table)`, ArgsReplaceCmd},
		{"unknown base image", "FROM example.com/team/app:1\nCMD [\"run\"]\n",
			`?`, `unknown | base image example.com/team/app:1, which cmdfix's image table does not know`, `set ["run"] | this stage, line 2`, ArgsReplaceCmd},
		{"unknown base image, nothing in the file", "FROM example.com/team/app:1\n",
			`?`, `unknown | base image example.com/team/app:1, which cmdfix's image table does not know`, `unknown | base image example.com/team/app:1, which cmdfix's image table does not know`, ArgsReplaceCmd},
		{"base image by ARG default", "ARG BASE=nginx:1.27\nFROM ${BASE}\n",
			`["/docker-entrypoint.sh","nginx","-g","daemon off;"]`, `set ["/docker-entrypoint.sh"] | base image ${BASE} = nginx:1.27 by its ARG defaults (cmdfix's image table)`, `set ["nginx","-g","daemon off;"] | base image ${BASE} = nginx:1.27 by its ARG defaults (cmdfix's image table)`, ArgsReplaceCmd},
		{"CMD [] clears (B.3)", "FROM python:3.12\nCMD []\n",
			`[]`, `none | base image python:3.12 (cmdfix's image table)`, `cleared | this stage, line 2`, ArgsReplaceCmd},
		{"ENTRYPOINT [] clears and resets", "FROM nginx\nENTRYPOINT []\n",
			`[]`, `cleared | this stage, line 2`, `reset | this stage, line 2`, ArgsReplaceCmd},
		{"ENTRYPOINT [] then CMD", "FROM nginx\nENTRYPOINT []\nCMD [\"nginx\", \"-T\"]\n",
			`["nginx","-T"]`, `cleared | this stage, line 2`, `set ["nginx","-T"] | this stage, line 3`, ArgsReplaceCmd},
		{"trigger CMD runs in the child (B.8)", "FROM scratch AS base\nCMD [\"base\"]\nONBUILD CMD [\"from-trigger\"]\nFROM base AS child\nRUN true\n",
			`["from-trigger"]`, `none | base image scratch (cmdfix's image table)`, "set [\"from-trigger\"] | ONBUILD trigger of parent stage `base`, line 3", ArgsReplaceCmd},
		{"trigger CMD survives the child's ENTRYPOINT (B.8)", "FROM scratch AS base\nONBUILD CMD [\"trig\"]\nFROM base AS child\nENTRYPOINT [\"/app\"]\n",
			`["/app","trig"]`, `set ["/app"] | this stage, line 4`, "set [\"trig\"] | ONBUILD trigger of parent stage `base`, line 2", ArgsReplaceCmd},
		{"trigger run by a grandparent", "FROM scratch AS a\nONBUILD ENTRYPOINT [\"/e\"]\nFROM a AS b\nFROM b\n",
			`["/e"]`, "set [\"/e\"] | parent stage `b` (ONBUILD trigger of stage `a`, line 2)", "reset | parent stage `b` (ONBUILD trigger of stage `a`, line 2)", ArgsReplaceCmd},
		{"own ONBUILD does not count (B.8)", "FROM scratch\nCMD [\"real\"]\nONBUILD CMD echo later\n",
			`["real"]`, `none | base image scratch (cmdfix's image table)`, `set ["real"] | this stage, line 2`, ArgsReplaceCmd},
		{"FROM without an image", "FROM\nCMD [\"x\"]\n",
			`?`, `unknown | no base image: the FROM names none`, `set ["x"] | this stage, line 2`, ArgsReplaceCmd},
		{"Windows stage", "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nENTRYPOINT ping\nCMD [\"localhost\"]\n",
			`["cmd","/S","/C","ping","localhost"]`, `set ["cmd","/S","/C","ping"] | this stage, line 2`, `set ["localhost"] | this stage, line 3`, ArgsWindowsLine},
		{"Windows image CMD not known", "FROM golang:1.22-windowsservercore\nRUN go version\n",
			`?`, `none | base image golang:1.22-windowsservercore (cmdfix's image table)`, `unknown | base image golang:1.22-windowsservercore (cmdfix's image table)`, ArgsReplaceCmd},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse("Dockerfile", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			r := f.Run(f.Stages[len(f.Stages)-1])
			argv := "?"
			if r.Known {
				argv = jsonText(r.Argv)
			}
			if argv != tc.argv {
				t.Errorf("argv %s, want %s", argv, tc.argv)
			}
			if got := partText(r.Entrypoint); got != tc.entrypoint {
				t.Errorf("ENTRYPOINT %s\n                 want %s", got, tc.entrypoint)
			}
			if got := partText(r.Cmd); got != tc.cmd {
				t.Errorf("CMD %s\n          want %s", got, tc.cmd)
			}
			if r.Args != tc.args {
				t.Errorf("ARGS effect %d, want %d", r.Args, tc.args)
			}
		})
	}
}

// TestRunShellAssumed checks the caveat on a shell form wrapped in the
// default shell over a base image cmdfix does not know.
func TestRunShellAssumed(t *testing.T) {
	for src, want := range map[string]bool{
		"FROM example.com/app\nCMD run\n":                             true,
		"FROM example.com/app\nSHELL [\"/bin/sh\",\"-c\"]\nCMD run\n": false,
		"FROM example.com/app\nCMD [\"run\"]\n":                       false,
		"FROM scratch\nCMD run\n":                                     false,
		"FROM alpine\nCMD run\n":                                      false,
	} {
		f, err := Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Run(f.Stages[0]).ShellAssumed; got != want {
			t.Errorf("%q: ShellAssumed %v, want %v", src, got, want)
		}
	}
}

// TestRunMaybeWindows checks the caveat on a stage whose base an ARG
// without a default chooses, in a file that reads like a Windows one.
func TestRunMaybeWindows(t *testing.T) {
	for src, want := range map[string]bool{
		"ARG BASE\nFROM $BASE\nRUN setx PATH C:\\tools\nCMD app.exe\n":      true,
		"ARG BASE\nFROM $BASE\nCMD app\n":                                   false,
		"FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCMD app.exe\n": false, // a Windows stage, not a maybe
	} {
		f, err := Parse("Dockerfile", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Run(f.Stages[0]).MaybeWindows; got != want {
			t.Errorf("%q: MaybeWindows %v, want %v", src, got, want)
		}
	}
}

func partText(p Part) string {
	state := map[PartState]string{PartNone: "none", PartSet: "set", PartCleared: "cleared", PartReset: "reset", PartUnknown: "unknown"}[p.State]
	if p.State == PartSet {
		state += " " + jsonText(p.Argv)
	}
	return state + " | " + p.Origin.String()
}

func jsonText(v []string) string {
	if v == nil {
		v = []string{}
	}
	b, _ := json.Marshal(v)
	return strings.ReplaceAll(string(b), `\u0026`, "&")
}

// TestRunCorpus runs File.Run on every stage of the corpus and checks it
// against the Stage helpers the rules use (Stage.Entrypoint, Stage.Cmd),
// so that --show-run and the rules never disagree about which instruction
// is in effect, and that the argv is the ENTRYPOINT followed by the CMD.
func TestRunCorpus(t *testing.T) {
	var stages, known atomic.Int64
	corpus.ForEach(t, func(name string, src []byte) {
		f, err := Parse(name, bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF")))
		if err != nil {
			return
		}
		for _, s := range f.Stages {
			r := f.Run(s)
			stages.Add(1)
			where := fmt.Sprintf("%s: stage %d", name, s.Index)
			if ep := s.Entrypoint(); ep != nil {
				if r.Entrypoint.Origin.In != ep {
					t.Errorf("%s: ENTRYPOINT from %s, Stage.Entrypoint says line %d", where, r.Entrypoint.Origin, ep.Start)
				}
			} else if k := r.Entrypoint.Origin.Kind; k != FromImage && k != FromUnknown {
				t.Errorf("%s: ENTRYPOINT from %s, but none in the file", where, r.Entrypoint.Origin)
			}
			switch cmd, inFile := s.Cmd(); {
			case cmd != nil:
				if r.Cmd.Origin.In != cmd {
					t.Errorf("%s: CMD from %s, Stage.Cmd says line %d", where, r.Cmd.Origin, cmd.Start)
				}
			case inFile:
				if r.Cmd.State != PartReset {
					t.Errorf("%s: CMD %d from %s, Stage.Cmd says reset", where, r.Cmd.State, r.Cmd.Origin)
				}
			default:
				if k := r.Cmd.Origin.Kind; k != FromImage && k != FromUnknown {
					t.Errorf("%s: CMD from %s, but none in the file", where, r.Cmd.Origin)
				}
			}
			if r.Known {
				known.Add(1)
				if len(r.Argv) != len(r.Entrypoint.Argv)+len(r.Cmd.Argv) {
					t.Errorf("%s: argv %q is not ENTRYPOINT %q + CMD %q", where, r.Argv, r.Entrypoint.Argv, r.Cmd.Argv)
				}
			}
		}
	})
	t.Logf("%d stages, %d with a known command", stages.Load(), known.Load())
}
