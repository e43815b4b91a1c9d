package dockerfile

import "testing"

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
