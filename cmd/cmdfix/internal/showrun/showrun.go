// Package showrun renders what `docker run IMAGE` executes for each stage
// of a Dockerfile (dockerfile.File.Run): as text and JSON for
// `cmdfix --show-run`, and as Markdown for the language server's hover,
// so that both give the same answer.
package showrun

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// Version is the version of the JSON form.
const Version = 1

// Report is the JSON form of --show-run (docs/show-run.schema.json).
type Report struct {
	Version int    `json:"version"`
	Tool    Tool   `json:"tool"`
	Files   []File `json:"files"`
}

// Tool names the program that wrote the report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// File is one input: its stages, or the error that stopped it.
type File struct {
	File   string  `json:"file"`
	Stages []Stage `json:"stages,omitempty"`
	Error  string  `json:"error,omitempty"`
}

// Stage is what `docker run IMAGE` executes for the image one stage
// builds.
type Stage struct {
	Index   int    `json:"index"`
	Name    string `json:"name,omitempty"`
	Line    int    `json:"line"`
	From    string `json:"from"`
	Windows bool   `json:"windows"`
	// Run is the argv of `docker run IMAGE`, null when a part is not
	// known; empty when there is no command (Docker refuses to start).
	Run []string `json:"run"`
	// RunWithArgs is the argv `docker run IMAGE ARGS` executes before ARGS
	// (the ENTRYPOINT), null when it is not known.
	RunWithArgs []string `json:"run_with_args"`
	// Args says what ARGS do: "replace-cmd", "shell-parameters" (a
	// shell-form ENTRYPOINT: they become $0, $1, ... of its shell) or
	// "windows-command-line" (appended to the command line of a shell-form
	// ENTRYPOINT in a Windows stage).
	Args       string   `json:"args"`
	Entrypoint Part     `json:"entrypoint"`
	Cmd        Part     `json:"cmd"`
	Notes      []string `json:"notes,omitempty"`
}

// Part is the ENTRYPOINT or the CMD in effect.
type Part struct {
	// State is "set", "none", "cleared" (ENTRYPOINT [] or CMD []), "reset"
	// (CMD only: an ENTRYPOINT reset the inherited one) or "unknown".
	State     string   `json:"state"`
	Argv      []string `json:"argv,omitempty"`
	ShellForm bool     `json:"shell_form,omitempty"`
	Origin    Origin   `json:"origin"`
}

// Origin is where a part comes from.
type Origin struct {
	// Kind is "stage", "onbuild-trigger" (of the parent stage),
	// "parent-stage", "base-image" (as cmdfix's image table knows it) or
	// "unknown" (a base image the table does not know).
	Kind string `json:"kind"`
	// Stage names the stage that dispatched the instruction (its name, or
	// its index); Line is the instruction's line.
	Stage string `json:"stage,omitempty"`
	Line  int    `json:"line,omitempty"`
	// Image is the external base image as written; LookedUp is the
	// reference its ARG defaults give, when that is what was looked up.
	Image    string `json:"image,omitempty"`
	LookedUp string `json:"looked_up,omitempty"`
	// Text says it in words, as the text form does.
	Text string `json:"text"`
}

// Of returns the answer for stage s of f.
func Of(f *dockerfile.File, s *dockerfile.Stage) Stage {
	r := f.Run(s)
	out := Stage{
		Index: s.Index, Name: s.Name, Line: s.From.Start, From: s.Base, Windows: s.Windows,
		Args:       argsNames[r.Args],
		Entrypoint: part(r.Entrypoint),
		Cmd:        part(r.Cmd),
	}
	if r.Known {
		out.Run = append([]string{}, r.Argv...)
	}
	if r.Entrypoint.State != dockerfile.PartUnknown {
		out.RunWithArgs = append([]string{}, r.Entrypoint.Argv...)
	}
	if r.Known && len(r.Argv) == 0 {
		out.Notes = append(out.Notes, "docker run IMAGE fails (no command specified): give the command as ARGS")
	}
	if r.Args != dockerfile.ArgsReplaceCmd && len(r.Cmd.Argv) > 0 {
		if r.Args == dockerfile.ArgsWindowsLine {
			out.Notes = append(out.Notes, "the shell-form ENTRYPOINT gets the CMD appended to its command line")
		} else {
			out.Notes = append(out.Notes, "the shell-form ENTRYPOINT ignores the CMD: it becomes $0, $1, ... of the shell")
		}
	}
	if r.ShellAssumed {
		out.Notes = append(out.Notes, "the shell form is wrapped in the default shell; base image "+s.ExternalBase()+" may name another (SHELL)")
	}
	if r.MaybeWindows {
		out.Notes = append(out.Notes, "the base an ARG chooses may be a Windows image, where cmd /S /C would wrap the shell forms")
	}
	return out
}

var argsNames = map[dockerfile.ArgsEffect]string{
	dockerfile.ArgsReplaceCmd:  "replace-cmd",
	dockerfile.ArgsToShell:     "shell-parameters",
	dockerfile.ArgsWindowsLine: "windows-command-line",
}

var stateNames = map[dockerfile.PartState]string{
	dockerfile.PartNone:    "none",
	dockerfile.PartSet:     "set",
	dockerfile.PartCleared: "cleared",
	dockerfile.PartReset:   "reset",
	dockerfile.PartUnknown: "unknown",
}

var originNames = map[dockerfile.OriginKind]string{
	dockerfile.FromStage:   "stage",
	dockerfile.FromTrigger: "onbuild-trigger",
	dockerfile.FromParent:  "parent-stage",
	dockerfile.FromImage:   "base-image",
	dockerfile.FromUnknown: "unknown",
}

func part(p dockerfile.Part) Part {
	o := p.Origin
	out := Part{
		State: stateNames[p.State], ShellForm: p.ShellForm,
		Origin: Origin{Kind: originNames[o.Kind], Image: o.Image, LookedUp: o.LookedUp, Text: o.String()},
	}
	if p.State == dockerfile.PartSet {
		out.Argv = append([]string{}, p.Argv...)
	}
	if o.In != nil {
		out.Origin.Line = o.In.Start
		st := o.Stage
		if o.Kind == dockerfile.FromTrigger {
			st = o.In.Stage
		}
		out.Origin.Stage = stageLabel(st)
	}
	return out
}

// stageLabel names a stage by its name, or else its index.
func stageLabel(s *dockerfile.Stage) string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprint(s.Index)
}

// Header names the stage: "stage app (FROM base)", "stage 0 (FROM
// nginx:1.27)".
func (s Stage) Header() string {
	return fmt.Sprintf("stage %s (FROM %s)", s.label(), s.From)
}

func (s Stage) label() string {
	if s.Name != "" {
		return s.Name
	}
	return fmt.Sprint(s.Index)
}

// RunText is the argv of `docker run IMAGE` as an exec-form array, with
// a placeholder for a part that is not known.
func (s Stage) RunText() string {
	var words []string
	words = append(words, s.Entrypoint.words("ENTRYPOINT")...)
	words = append(words, s.Cmd.words("CMD")...)
	return "[" + strings.Join(words, ", ") + "]"
}

// ArgsText is the argv of `docker run IMAGE ARGS`, ARGS as a placeholder.
func (s Stage) ArgsText() string {
	words := append(s.Entrypoint.words("ENTRYPOINT"), "ARGS...")
	return "[" + strings.Join(words, ", ") + "]"
}

// ArgsNote says what ARGS do.
func (s Stage) ArgsNote() string {
	switch s.Args {
	case "shell-parameters":
		return "a shell-form ENTRYPOINT ignores ARGS: they become $0, $1, ... of the shell"
	case "windows-command-line":
		return "ARGS are appended to the command line the shell-form ENTRYPOINT's shell runs (Windows)"
	}
	if s.Entrypoint.State == "set" {
		return "ARGS replace the CMD"
	}
	if s.Entrypoint.State == "unknown" {
		return "ARGS replace the CMD, after the base image's ENTRYPOINT if it has one"
	}
	return "ARGS replace the CMD: they are the command"
}

// words returns the part's argv as JSON strings, or a placeholder for
// one the base image sets that is not known.
func (p Part) words(kind string) []string {
	if p.State == "unknown" {
		return []string{"<base image " + kind + "?>"}
	}
	var out []string
	for _, a := range p.Argv {
		s, ok := dockerfile.JSONArray([]string{a})
		if !ok {
			s = fmt.Sprintf("[%q]", a)
		}
		out = append(out, s[1:len(s)-1])
	}
	return out
}

// ValueText is the part's value: an exec-form array, "none" (also when
// an ENTRYPOINT reset it), "[] (cleared)" or "unknown".
func (p Part) ValueText() string {
	switch p.State {
	case "set":
		s := "[" + strings.Join(p.words(""), ", ") + "]"
		if p.ShellForm {
			s += " (shell form)"
		}
		return s
	case "cleared":
		return "[] (cleared)"
	case "reset":
		return "none"
	}
	return p.State
}

// OriginText says where the part comes from.
func (p Part) OriginText() string {
	if p.State == "reset" {
		return "reset by the ENTRYPOINT (" + p.Origin.Text + ")"
	}
	return p.Origin.Text
}

// WriteText writes the text form for one file: per stage, a header line
// NAME:LINE: stage ..., then what docker run IMAGE and docker run IMAGE
// ARGS execute, and the ENTRYPOINT and CMD with their origins.
func WriteText(w io.Writer, name string, stages []Stage) error {
	for i, s := range stages {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		if i > 0 {
			fmt.Fprintln(tw)
		}
		fmt.Fprintf(tw, "%s:%d: %s\n", name, s.Line, s.Header())
		fmt.Fprintf(tw, "  docker run IMAGE\t%s\n", s.RunText())
		fmt.Fprintf(tw, "  docker run IMAGE ARGS\t%s\t%s\n", s.ArgsText(), s.ArgsNote())
		fmt.Fprintf(tw, "  ENTRYPOINT\t%s\t%s\n", s.Entrypoint.ValueText(), s.Entrypoint.OriginText())
		fmt.Fprintf(tw, "  CMD\t%s\t%s\n", s.Cmd.ValueText(), s.Cmd.OriginText())
		for _, n := range s.Notes {
			fmt.Fprintf(tw, "  note: %s\n", n)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// Markdown renders one stage's answer for a hover.
func Markdown(s Stage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**docker run IMAGE** (%s) executes\n\n", s.Header())
	fmt.Fprintf(&b, "```\n%s\n```\n\n", s.RunText())
	fmt.Fprintf(&b, "**docker run IMAGE ARGS** executes %s: %s.\n\n", code(s.ArgsText()), s.ArgsNote())
	fmt.Fprintf(&b, "- ENTRYPOINT %s: %s\n", s.Entrypoint.valueMarkdown(), s.Entrypoint.OriginText())
	fmt.Fprintf(&b, "- CMD %s: %s\n", s.Cmd.valueMarkdown(), s.Cmd.OriginText())
	for _, n := range s.Notes {
		fmt.Fprintf(&b, "\n_Note:_ %s\n", n)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// valueMarkdown is ValueText with the value as a code span.
func (p Part) valueMarkdown() string {
	v := p.ValueText()
	if p.ShellForm {
		return code(strings.TrimSuffix(v, " (shell form)")) + " (shell form)"
	}
	return code(v)
}

// code writes s as a Markdown code span, with enough backticks around it.
func code(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}
