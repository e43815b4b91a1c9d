package safety

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/shell"
	"mvdan.cc/sh/v3/syntax"
)

// What each stage's image will run, as the net compares it: the process a
// container starts (ENTRYPOINT and CMD in effect, inherited through FROM
// stage and FROM ${ARG}, the parent's ONBUILD triggers, and the base
// image as the table knows it), the health check, and the final SHELL.
// A step that claims to keep behaviour must leave all three unchanged for
// every stage.
//
// Two forms count as the same: shell text run by the default /bin/sh -c
// that is one simple command of literal words (shell.ExecArgv) runs what
// the exec form of those words runs, when nothing in front of it
// (an ENTRYPOINT) receives it instead; and a CMD-SHELL health check run
// by the image's default final shell likewise. A shell-form command whose
// program is named by a bracketed list (CMD ['a']) runs nothing that can
// exist: any fix may replace it.

// stageImage is one stage's image, normalised.
type stageImage struct {
	name   string // for messages
	run    string
	health string
	shell  string
}

// broken marks a process that cannot start (a program named like `['a',`).
const broken = "<a command that cannot run>"

// imagesOf returns the image of every stage of f.
func imagesOf(f *dockerfile.File) []stageImage {
	out := make([]stageImage, 0, len(f.Stages))
	for _, s := range f.Stages {
		if sh := s.Shell; sh != nil && !sh.JSON() {
			// BuildKit refuses a SHELL not written as a JSON array: the
			// stage never builds, so no image is there to keep.
			out = append(out, stageImage{name: dockerfile.StageName(s), run: broken, health: broken, shell: broken})
			continue
		}
		out = append(out, stageImage{
			name:   dockerfile.StageName(s),
			run:    runOf(f, s),
			health: healthOf(f, s),
			shell:  shellOf(s.Shell),
		})
	}
	return out
}

// runOf is the process the image of stage s starts.
func runOf(f *dockerfile.File, s *dockerfile.Stage) string {
	ep := f.EntrypointOf(s)
	var epPart []string
	passes := true // the ENTRYPOINT in front runs its command as given
	switch {
	case ep.InFile != nil:
		epPart, passes = commandOf(f, ep.InFile), false
	case ep.Known && ep.Info.Entrypoint != images.NoEntrypoint:
		epPart = []string{"<ENTRYPOINT " + ep.Info.EntrypointText + " of the base image>"}
		passes = ep.Info.Entrypoint == images.PassesCommand
		// A base cmdfix does not know is taken to have no ENTRYPOINT, as
		// the exec-form rule's message says it assumes.
	}
	var cmdPart []string
	cmd, known := s.Cmd()
	switch {
	case cmd != nil:
		cmdPart = commandOf(f, cmd)
		if passes {
			if argv, ok := sameAsExec(f, cmd); ok {
				cmdPart = argv
			}
		}
	case !known:
		cmdPart = []string{"<CMD of the base image>"}
	}
	if len(cmdPart) == 0 && ep.InFile != nil {
		if argv, ok := sameAsExec(f, ep.InFile); ok {
			epPart = argv
		}
	}
	run := append(epPart, cmdPart...)
	if slices.Contains(run, broken) && (passes || len(cmdPart) == 0) {
		// Nothing that receives the broken command can run it.
		return broken
	}
	return strings.Join(run, "\x00")
}

// healthOf is the health check of the image of stage s.
func healthOf(f *dockerfile.File, s *dockerfile.Stage) string {
	hc := s.Healthcheck()
	if hc == nil {
		return "<the base image's>"
	}
	flags := strings.Join(hc.Flags(), " ")
	args := hc.Args()
	switch {
	case len(args) == 0:
		return "<none>"
	case strings.EqualFold(args[0], "none"):
		return "NONE"
	case hc.JSON() || len(args) != 2:
		return flags + " CMD\x00" + strings.Join(args[1:], "\x00")
	}
	// CMD-SHELL: the daemon runs it with this image's final shell.
	text := args[1]
	if d := f.Dialect(hc); (d.SplitsWords() || d == shell.Cmd) && namesNoProgram(text) {
		return broken
	}
	if dockerfile.DefaultShell(s.Shell, s.Windows) && !f.MaybeWindows(s) {
		if argv, _, err := shell.ExecArgv(text); err == nil {
			return flags + " CMD\x00" + strings.Join(argv, "\x00")
		}
	}
	return flags + " CMD-SHELL\x00" + canonical(text, f.Dialect(hc))
}

// shellOf is a stage's final SHELL.
func shellOf(sh *dockerfile.Instruction) string {
	if sh == nil {
		return "<default>"
	}
	return strings.Join(sh.Args(), "\x00")
}

// commandOf is an exec-form instruction's argv, or the shell it runs a
// shell-form one with, followed by its text (in the shell's canonical
// form, so that blanks the shell ignores do not count).
func commandOf(f *dockerfile.File, in *dockerfile.Instruction) []string {
	args := in.Args()
	if in.JSON() || len(args) != 1 {
		return args
	}
	return append(in.ShellWords(), canonical(args[0], f.Dialect(in)))
}

// canonical prints shell text as mvdan.cc/sh does for dialect d, which
// reads every run of blanks between words as one; text in any other
// dialect stays as it is.
func canonical(text string, d shell.Dialect) string {
	// A line break or blanks at the end end the command line in every
	// shell.
	text = strings.TrimRight(text, " \t\r\n")
	var lang syntax.LangVariant
	switch d {
	case shell.POSIX, shell.Bash:
		lang = syntax.LangBash
	case shell.Korn:
		lang = syntax.LangMirBSDKorn
	case shell.Zsh:
		lang = syntax.LangZsh
	default:
		return text
	}
	if p, ok := shell.Print(text, lang); ok {
		return strings.TrimRight(p, "\n")
	}
	return text
}

// sameAsExec returns the exec-form argv that runs what shell-form in runs,
// when the default /bin/sh -c runs it; broken when it names no program
// that can exist, under any shell that reads it as a command line.
func sameAsExec(f *dockerfile.File, in *dockerfile.Instruction) ([]string, bool) {
	args := in.Args()
	if in.JSON() || len(args) != 1 {
		return nil, false
	}
	if d := f.Dialect(in); (d.SplitsWords() || d == shell.Cmd) && namesNoProgram(args[0]) {
		return []string{broken}, true
	}
	if !dockerfile.DefaultShell(in.Shell, in.Stage.Windows) || f.MaybeWindows(in.Stage) {
		return nil, false
	}
	if argv, _, err := shell.ExecArgv(args[0]); err == nil {
		return argv, true
	}
	return nil, false
}

// namesNoProgram reports shell text whose program is named by a bracketed
// list, as a pseudo-JSON array is: `['python', 'app.py']` runs a program
// called "[python," which no image has. The test command `[ x ]` and
// `[[` are not such lists.
func namesNoProgram(text string) bool {
	file, err := shell.Parse(text, syntax.LangBash)
	if err != nil || len(file.Stmts) == 0 {
		return false
	}
	call, ok := file.Stmts[0].Cmd.(*syntax.CallExpr)
	if !ok || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return false
	}
	w := call.Args[0]
	lit, ok := w.Parts[0].(*syntax.Lit)
	if !ok || !strings.HasPrefix(lit.Value, "[") {
		return false
	}
	return !(len(w.Parts) == 1 && (lit.Value == "[" || lit.Value == "[["))
}

// sameImages compares the images of every stage before and after a step.
func sameImages(before, after []stageImage) error {
	if len(before) != len(after) {
		return fmt.Errorf("%d build stages became %d", len(before), len(after))
	}
	for i, b := range before {
		a := after[i]
		switch {
		case b.run != a.run && b.run != broken:
			return fmt.Errorf("stage %s would run %s instead of %s", b.name, show(a.run), show(b.run))
		case b.health != a.health && b.health != broken:
			return fmt.Errorf("the health check of stage %s would be %s instead of %s", b.name, show(a.health), show(b.health))
		case b.shell != a.shell && b.shell != broken:
			return fmt.Errorf("stage %s would end with SHELL %s instead of %s", b.name, show(a.shell), show(b.shell))
		}
	}
	return nil
}

// show prints a normalised command for messages.
func show(s string) string {
	if s == "" {
		return "nothing"
	}
	return fmt.Sprintf("%q", strings.Split(s, "\x00"))
}
