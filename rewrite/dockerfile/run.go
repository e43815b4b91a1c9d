package dockerfile

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/images"
)

// What `docker run IMAGE` executes for the image a stage builds: the
// ENTRYPOINT and CMD in the stage's final config (BuildKit's dispatcher,
// see stage.go), each with where it comes from, combined as the container
// runtime combines them: argv = ENTRYPOINT ++ CMD, and `docker run IMAGE
// ARGS` puts ARGS in the place of the CMD.

// OriginKind says where a part of a stage's run command comes from.
type OriginKind uint8

const (
	// FromStage is an instruction of the stage itself.
	FromStage OriginKind = iota
	// FromTrigger is an ONBUILD trigger of the parent stage, which runs at
	// the start of the stage.
	FromTrigger
	// FromParent is an instruction an in-file ancestor stage dispatched (its
	// own, or an ONBUILD trigger it ran), inherited with its config.
	FromParent
	// FromImage is the external base image's config, as cmdfix's image
	// table (package images) knows it.
	FromImage
	// FromUnknown is the external base image's config, which the table does
	// not know.
	FromUnknown
)

// Origin is where a part of a run command comes from.
type Origin struct {
	Kind OriginKind
	// In is the instruction (FromStage, FromTrigger, FromParent).
	In *Instruction
	// Stage is the stage that dispatched In: the stage itself for
	// FromStage and FromTrigger, the ancestor for FromParent.
	Stage *Stage
	// Image is the external base image as written (FromImage, FromUnknown);
	// LookedUp is the reference the table was asked about, when the ARG
	// defaults chose it ("" when it is Image).
	Image, LookedUp string
}

// String says where the part comes from, for messages: "this stage, line
// 4", "parent stage `base`, line 2", "ONBUILD trigger of parent stage
// `base`, line 3", "base image nginx:1.27 (cmdfix's image table)",
// "base image my/app, which cmdfix's image table does not know".
func (o Origin) String() string {
	switch o.Kind {
	case FromStage:
		return fmt.Sprintf("this stage, line %d", o.In.Start)
	case FromTrigger:
		return fmt.Sprintf("ONBUILD trigger of parent stage %s, line %d", StageName(o.In.Stage), o.In.Start)
	case FromParent:
		if o.In.OnBuild {
			return fmt.Sprintf("parent stage %s (ONBUILD trigger of stage %s, line %d)", StageName(o.Stage), StageName(o.In.Stage), o.In.Start)
		}
		return fmt.Sprintf("parent stage %s, line %d", StageName(o.Stage), o.In.Start)
	case FromImage:
		return "base image " + o.image() + " (cmdfix's image table)"
	}
	if o.Image == "" {
		return "no base image: the FROM names none"
	}
	return "base image " + o.image() + ", which cmdfix's image table does not know"
}

func (o Origin) image() string {
	if o.LookedUp != "" {
		return o.Image + " = " + o.LookedUp + " by its ARG defaults"
	}
	return o.Image
}

// PartState says what is known about the ENTRYPOINT or the CMD of a config.
type PartState uint8

const (
	// PartNone: the config has none (nothing in the file sets one and the
	// base image has none).
	PartNone PartState = iota
	// PartSet: Argv holds it.
	PartSet
	// PartCleared: an exec-form ENTRYPOINT [] or CMD [] (in the file, or
	// the base image's CMD []) clears it.
	PartCleared
	// PartReset (CMD only): an ENTRYPOINT in the file reset the CMD the
	// stage inherited, and the stage set none of its own.
	PartReset
	// PartUnknown: it comes from an external base image that cmdfix's
	// table does not know (or whose CMD the table does not record).
	PartUnknown
)

// Part is the ENTRYPOINT or the CMD of a stage's final config.
type Part struct {
	State PartState
	// Argv is the value in the config (PartSet): a shell-form instruction
	// is wrapped in the SHELL in effect, or /bin/sh -c (cmd /S /C in a
	// Windows stage), with its text as one final argument.
	Argv []string
	// ShellForm reports a shell-form instruction.
	ShellForm bool
	// Origin is where the part comes from. For PartReset it is where the
	// ENTRYPOINT that reset the CMD comes from.
	Origin Origin
}

// ArgsEffect says what `docker run IMAGE ARGS` does with ARGS.
type ArgsEffect uint8

const (
	// ArgsReplaceCmd: ARGS take the place of the CMD; they follow the
	// ENTRYPOINT, or are the whole command when there is none.
	ArgsReplaceCmd ArgsEffect = iota
	// ArgsToShell: the ENTRYPOINT is in shell form, so ARGS (like the CMD)
	// become $0, $1, ... of its shell, which its text ignores unless it
	// reads them.
	ArgsToShell
	// ArgsWindowsLine: a shell-form ENTRYPOINT in a Windows stage. Windows
	// gives a process one command line, not an argv: ARGS (like the CMD)
	// are appended to the line that cmd /S /C (or the SHELL) reads, so they
	// may become part of the command.
	ArgsWindowsLine
)

// Run is what `docker run IMAGE` executes for the image a stage builds.
type Run struct {
	Stage           *Stage
	Entrypoint, Cmd Part
	// Known reports that both parts are known; Argv is then the command,
	// ENTRYPOINT ++ CMD (empty: Docker refuses to start a container with
	// no command).
	Known bool
	Argv  []string
	// Args is what `docker run IMAGE ARGS` does with ARGS: its command is
	// the ENTRYPOINT's Argv followed by ARGS.
	Args ArgsEffect
	// ShellAssumed reports a shell-form part wrapped in the default shell
	// of a stage whose external base image cmdfix does not know: that
	// image's config may name another shell (SHELL in its Dockerfile).
	ShellAssumed bool
	// MaybeWindows reports a stage read as Linux whose base an ARG without
	// a default chooses, in a file that reads like a Windows one (see
	// File.MaybeWindows): on Windows, cmd /S /C would wrap its shell forms.
	MaybeWindows bool
}

// Run returns what `docker run IMAGE` executes for the image stage s
// builds: the ENTRYPOINT and CMD in effect (the stage's own, ONBUILD
// triggers of its parent, an in-file ancestor's, or the external base
// image's as images.Lookup knows it), following BuildKit's dispatcher: the
// last of each kind wins, and an ENTRYPOINT resets the inherited CMD unless
// the stage set its own CMD (see Stage.Cmd).
func (f *File) Run(s *Stage) Run {
	r := Run{Stage: s}
	root := s.Root()
	base := root.Base
	info, known, lookedUp := f.lookupBase(base)
	imageOrigin := Origin{Kind: FromUnknown, Image: base, LookedUp: lookedUp}
	if known {
		imageOrigin.Kind = FromImage
	}

	// ENTRYPOINT: the nearest stage in the chain that dispatches one.
	r.Entrypoint.State = PartUnknown
	r.Entrypoint.Origin = imageOrigin
	if ep, st := dispatched(s, "entrypoint"); ep != nil {
		r.Entrypoint = f.partOf(ep, st, s)
	} else if known {
		r.Entrypoint.State = PartNone
		if info.EntrypointText != "" {
			var argv []string
			if err := json.Unmarshal([]byte(info.EntrypointText), &argv); err == nil {
				r.Entrypoint.State, r.Entrypoint.Argv = PartSet, argv
			} else {
				r.Entrypoint.State = PartUnknown
			}
		}
	}

	// CMD: the nearest stage that dispatches one, unless a stage in between
	// (or the same one, without a CMD of its own) dispatches an ENTRYPOINT,
	// which resets the inherited CMD.
	r.Cmd.State = PartUnknown
	r.Cmd.Origin = imageOrigin
	for st := s; st != nil; st = st.Parent {
		if in := st.OwnOrTriggered("cmd"); in != nil {
			r.Cmd = f.partOf(in, st, s)
			break
		}
		if ep := st.OwnOrTriggered("entrypoint"); ep != nil {
			r.Cmd = Part{State: PartReset, Origin: origin(ep, st, s)}
			break
		}
		if st.Parent == nil && known {
			switch {
			case info.Cmd != nil && len(info.Cmd) == 0:
				r.Cmd.State = PartCleared
			case info.Cmd != nil:
				r.Cmd.State, r.Cmd.Argv = PartSet, info.Cmd
			case strings.EqualFold(base, "scratch") || !WindowsImage(base) && !strings.Contains(base, "$"):
				// The table records no CMD: the image has none. (For
				// Windows variants and ARG-chosen tags it may just not
				// know it.)
				r.Cmd.State = PartNone
			}
		}
	}

	r.Known = r.Entrypoint.State != PartUnknown && r.Cmd.State != PartUnknown
	if r.Known {
		r.Argv = append(append([]string{}, r.Entrypoint.Argv...), r.Cmd.Argv...)
	}
	if r.Entrypoint.State == PartSet && r.Entrypoint.ShellForm {
		r.Args = ArgsToShell
		if s.Windows {
			r.Args = ArgsWindowsLine
		}
	}
	r.MaybeWindows = !s.Windows && f.MaybeWindows(s)
	if !known && !strings.EqualFold(base, "scratch") {
		for _, p := range []Part{r.Entrypoint, r.Cmd} {
			if p.ShellForm && p.Origin.In.Shell == nil {
				r.ShellAssumed = true
			}
		}
	}
	return r
}

// lookupBase looks an external base image up in the image table; a
// reference an ARG chooses is looked up with the ARGs' defaults too, and
// lookedUp is then that reference.
func (f *File) lookupBase(base string) (info images.Info, known bool, lookedUp string) {
	if strings.EqualFold(base, "scratch") {
		return images.Info{}, true, ""
	}
	info, known = images.Lookup(base)
	if !known && strings.Contains(base, "$") {
		if def := f.ExpandArgDefaults(base); def != base && !strings.Contains(def, "$") {
			if info, known = images.Lookup(def); known {
				return info, true, def
			}
		}
	}
	return info, known, ""
}

// origin says where instruction in, dispatched by stage st, comes from for
// stage s.
func origin(in *Instruction, st, s *Stage) Origin {
	o := Origin{In: in, Stage: st}
	switch {
	case st != s:
		o.Kind = FromParent
	case in.OnBuild:
		o.Kind = FromTrigger
	default:
		o.Kind = FromStage
	}
	return o
}

// partOf returns the config value that CMD or ENTRYPOINT in, dispatched
// by st, sets for stage s.
func (f *File) partOf(in *Instruction, st, s *Stage) Part {
	p := Part{Origin: origin(in, st, s)}
	if in.JSON() {
		p.Argv = in.Args()
		p.State = PartSet
		if len(p.Argv) == 0 {
			p.State = PartCleared
		}
		return p
	}
	p.State, p.ShellForm = PartSet, true
	p.Argv = append(append([]string{}, in.ShellWords()...), strings.Join(in.Args(), " "))
	return p
}
