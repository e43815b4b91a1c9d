package dockerfile

import "testing"

func TestClassifyLines(t *testing.T) {
	src := "# c\nFROM a\nRUN a \\\n  # inner\n\n  b \\\n  c\nRUN <<EOF\nbody\nEOF\n"
	f, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []LineKind{LineOther, LineFirst, LineFirst, LineInnerComment, LineInnerBlank, LineContinued, LineContinued, LineFirst, LineHeredoc, LineHeredoc}
	for i, k := range want {
		if f.Kind(i+1) != k {
			t.Errorf("line %d: kind %d, want %d", i+1, f.Kind(i+1), k)
		}
	}
	if run := f.Instructions[1]; run.TextEnd != 7 || len(run.InnerComments(f)) != 1 {
		t.Errorf("RUN: TextEnd %d, inner comments %v", run.TextEnd, run.InnerComments(f))
	}
}

func TestStages(t *testing.T) {
	src := "ARG V=1\nFROM golang AS build\nCMD a\nFROM build AS test\nSHELL [\"/bin/bash\", \"-c\"]\nCMD b\nONBUILD CMD c\nFROM test\nCMD d\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD e\n"
	f, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Stages) != 4 {
		t.Fatalf("%d stages", len(f.Stages))
	}
	build, test, last, win := f.Stages[0], f.Stages[1], f.Stages[2], f.Stages[3]
	if build.Name != "build" || test.Parent != build || last.Parent != test || win.Parent != nil {
		t.Errorf("parents wrong")
	}
	if f.Instructions[0].Stage != nil {
		t.Errorf("global ARG has a stage")
	}
	if len(test.Cmds) != 1 || len(test.OnBuilds) != 1 || test.OnBuilds[0].Trigger.Keyword != "cmd" || !test.OnBuilds[0].Trigger.OnBuild {
		t.Errorf("test stage: cmds %d onbuilds %d", len(test.Cmds), len(test.OnBuilds))
	}
	if last.Cmds[0].Shell == nil || build.Cmds[0].Shell != nil {
		t.Errorf("SHELL not inherited by the child stage, or leaked to the parent")
	}
	if !win.Windows || build.Windows {
		t.Errorf("windows detection wrong")
	}
	if got := last.Ancestors(); len(got) != 2 || got[0] != test {
		t.Errorf("ancestors %v", got)
	}
}
