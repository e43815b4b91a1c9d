package rewrite

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func init() { register(30, execFormRule) }

var execFormRule = &Rule{
	Name: "exec-form",
	Doc: `write shell-form CMD, ENTRYPOINT and HEALTHCHECK in exec form when that provably runs the same command

Shell form runs the command under /bin/sh -c; with dash (Debian, Ubuntu)
the shell stays PID 1 and docker stop signals never reach the program.
The rule converts only a single simple command of literal words, run by
the default /bin/sh, where no ENTRYPOINT that looks at its arguments (or,
for an ENTRYPOINT, no CMD) is affected; every other shell-form instruction
is reported with the reason it stays. With --unsafe, commands that need a
shell keep an explicit /bin/sh -c and exec their last program.`,
	Fixes:    Safe,
	Hadolint: []string{"DL3025"},
	BuildKit: []string{"JSONArgsRecommended"},
	Run:      runExecForm,
}

func runExecForm(p *Pass) {
	for _, top := range p.File.Instructions {
		in := top
		if top.Trigger != nil {
			in = top.Trigger
		}
		v := judgeExecForm(p.File, in)
		if v == nil {
			continue
		}
		sev := Info
		if v.fix != nil {
			sev = Warning
		}
		p.Report(in, sev, v.msg, v.fix)
	}
}

// Outcomes of judging a shell-form instruction, for reports.
const (
	outcomeConverted = "converted"
	outcomeUnsafe    = "converted with --unsafe"
	outcomeWrapped   = "explicit /bin/sh -c with exec, with --unsafe"
	outcomeLeft      = "left in shell form"
)

// execVerdict is what the rule decides about one shell-form instruction.
type execVerdict struct {
	outcome string
	kind    string // groups the reason in reports
	msg     string
	fix     *Fix
	argv    []string // the exec-form argv written by a conversion
	text    string   // the shell text judged
}

func left(kind, format string, args ...any) *execVerdict {
	return &execVerdict{outcome: outcomeLeft, kind: kind, msg: fmt.Sprintf(format, args...)}
}

// judgeExecForm decides about one instruction; nil means it is not a
// shell-form CMD, ENTRYPOINT or HEALTHCHECK CMD this rule speaks about.
func judgeExecForm(f *File, in *Instruction) *execVerdict {
	if in.Stage == nil || in.JSON() {
		return nil
	}
	kw := strings.ToUpper(in.Keyword)
	args := in.Args()
	var text string
	switch in.Keyword {
	case "cmd", "entrypoint":
		if len(args) > 0 {
			text = args[0]
		}
	case "healthcheck":
		if len(args) != 2 || !strings.EqualFold(args[0], "cmd") {
			return nil // HEALTHCHECK NONE
		}
		text = args[1]
		kw = "HEALTHCHECK CMD"
	default:
		return nil
	}
	if _, ok := readPseudoArray(text); ok {
		return nil // json-array speaks about it
	}
	v := judgeShellForm(f, in, kw, text)
	if v != nil {
		v.text = text
	}
	return v
}

func judgeShellForm(f *File, in *Instruction, kw, text string) *execVerdict {
	if in.OnBuild {
		return left("ONBUILD", "stays in shell form: ONBUILD runs it in images built FROM this one, whose SHELL and other instructions cmdfix cannot see")
	}
	if in.Keyword != "healthcheck" && len(in.Flags()) > 0 {
		return left("BuildKit reads a --flag", "stays in shell form: BuildKit reads `%s` as an option of %s and rejects it", clip(in.Flags()[0]), kw)
	}
	if strings.TrimSpace(text) == "" {
		// /bin/sh -c "" has no program to run in exec form; entrypoint-cmd
		// explains what it does.
		return nil
	}
	if sh := in.Shell; sh != nil {
		where := ""
		if sh.Stage != in.Stage {
			where = " in stage " + stageName(sh.Stage)
		}
		return left("SHELL in effect", "stays in shell form: the SHELL at line %d%s (%s) runs it, not /bin/sh -c", f.InputLine(sh.Start), where, shellInstructionText(sh))
	}
	if in.Stage.Windows {
		return left("Windows stage", "stays in shell form: in a Windows stage (%s) cmd /S /C runs it, whose quoting cmdfix does not convert", windowsReason(f, in.Stage))
	}
	if base := in.Stage.ExternalBase(); strings.Contains(strings.ToLower(base), "windows") {
		return left("Windows stage", "stays in shell form: base image `%s` looks like a Windows image, where cmd /S /C would run it", clipN(base, 60))
	}
	if maybeWindows(f, in.Stage, func() bool { return windowsHints(f.src) }) {
		// The formatter's judgement too: an image named by an ARG without
		// a default, in a file that reads like a Windows one.
		return left("Windows stage", "stays in shell form: base image `%s` is chosen by a build argument, and this file has Windows paths or commands, so cmd /S /C may run it", clipN(in.Stage.ExternalBase(), 60))
	}

	argv, comment, rej := execArgv(text)
	if rej != nil {
		return needsShell(f, in, text, rej)
	}
	v := &execVerdict{outcome: outcomeConverted, kind: "simple literal command", argv: argv}
	prog := "`" + clip(argv[0]) + "`"
	today := "shell form starts " + prog + " from /bin/sh -c, which with dash (Debian, Ubuntu) keeps it from receiving `docker stop` signals"
	if w, _ := literalWords(text); w.Words[0] == "exec" {
		today = "shell form starts /bin/sh -c only to exec " + prog
	}
	safety := Safe
	switch in.Keyword {
	case "healthcheck":
		v.msg = "shell form runs " + prog + " through /bin/sh -c; exec form runs it directly, without needing a shell in the image"
	case "entrypoint":
		if cmd := cmdAfterEntrypoint(f, in); cmd != nil {
			safety, v.outcome, v.kind = Unsafe, outcomeUnsafe, "CMD in effect would reach ENTRYPOINT"
			v.msg = fmt.Sprintf("shell-form ENTRYPOINT ignores the %s; exec form would pass it to %s as arguments", describeInstruction(f, cmd), prog)
		} else {
			v.msg = today + "; exec form runs it directly, and `docker run IMAGE ARGS` now passes ARGS to it (shell form ignored them)"
		}
	case "cmd":
		ep := entrypointFor(f, in.Stage)
		switch {
		case ep.inFile != nil:
			safety, v.outcome, v.kind = Unsafe, outcomeUnsafe, "ENTRYPOINT in the file receives CMD"
			v.msg = fmt.Sprintf("CMD is the argument list of the %s, which receives `/bin/sh -c …` today; exec form would pass it %s instead", describeInstruction(f, ep.inFile), argvText(argv))
		case ep.known && ep.info.Entrypoint == InspectsArgs:
			safety, v.outcome, v.kind = Unsafe, outcomeUnsafe, "base image ENTRYPOINT inspects CMD"
			v.msg = fmt.Sprintf("CMD is the argument list of the ENTRYPOINT %s of base image %s, which inspects its arguments and receives `/bin/sh -c …` today; exec form would pass it %s instead",
				ep.info.EntrypointText, ep.shown(), argvText(argv))
		case ep.known && ep.info.Entrypoint == PassesCommand:
			v.kind = "base image ENTRYPOINT passes the command on"
			v.msg = fmt.Sprintf("%s; exec form runs it directly (the ENTRYPOINT %s of base image %s runs whatever command it is given)", today, ep.info.EntrypointText, ep.shown())
		case !ep.known:
			v.kind = "base image not in the table"
			v.msg = fmt.Sprintf("%s; exec form runs it directly (assuming base image %s, which cmdfix does not know, has no ENTRYPOINT that inspects CMD)", today, ep.shown())
		default:
			v.msg = today + "; exec form runs it directly"
		}
	}
	j, _ := JSONArray(argv)
	fix, why := execFormFix(f, in, argv, comment)
	if fix == nil {
		return left("cannot rewrite", "stays in shell form: cmdfix cannot rewrite it as %s: %s", j, why)
	}
	fix.Safety = safety
	fix.Message = "write " + kw + " " + clip(j)
	v.fix = fix
	return v
}

// needsShell explains a command that is not a simple literal command and,
// where exec on its last command keeps control flow, offers the unsafe fix
// that keeps /bin/sh -c explicitly and execs the last program.
func needsShell(f *File, in *Instruction, text string, rej *rejection) *execVerdict {
	v := left(rej.kind, "stays in shell form: %s", rej.msg)
	if in.Keyword == "healthcheck" {
		return v // a health check is short-lived: exec buys nothing
	}
	wrapped, prog, wrej := execLast(text)
	if wrej != nil {
		return v
	}
	if wrapped == text {
		v.msg += fmt.Sprintf("; it already execs `%s`, so that program receives signals", clip(prog))
		return v
	}
	argv := []string{"/bin/sh", "-c", wrapped}
	fix, _ := execFormFix(f, in, argv, "")
	if fix == nil {
		return v
	}
	fix.Safety = Unsafe
	fix.Message = "exec `" + clip(prog) + "` from an explicit /bin/sh -c"
	v.outcome, v.fix = outcomeWrapped, fix
	v.msg = fmt.Sprintf("%s, so it keeps /bin/sh -c; the unsafe fix writes that shell explicitly and execs `%s` so that it receives signals", rej.msg, clip(prog))
	return v
}

// execFormFix builds the edit that writes in with argv as its exec-form
// array, the trailing shell comment (if any) hoisted above.
func execFormFix(f *File, in *Instruction, argv []string, comment string) (*Fix, string) {
	return arrayInstructionFix(f, in, execFormHead, argv, comment, "BuildKit would read the result differently")
}

// execFormHead is the text before a CMD's or ENTRYPOINT's arguments (the
// keyword), and a HEALTHCHECK's with its options.
func execFormHead(in *Instruction) (string, bool) {
	if in.Keyword == "healthcheck" {
		return rewriteHead(in)
	}
	return in.Node.Value, true
}

// arrayInstructionFix builds the edit that writes in (inside its ONBUILD
// when it is a trigger) as the text head returns followed by argv as a
// JSON array, hoisting comment (if any) above it. It returns nil and why
// when that cannot be done; mismatch is the rule's words for a result
// BuildKit would not read as in's keyword and options with argv.
func arrayInstructionFix(f *File, in *Instruction, head func(*Instruction) (string, bool), argv []string, comment, mismatch string) (*Fix, string) {
	j, ok := JSONArray(argv)
	if !ok {
		return nil, "an argument is not valid UTF-8"
	}
	h, ok := head(in)
	if !ok {
		return nil, "its options could not be kept exactly"
	}
	text := h + " " + j
	top := in
	if in.OnBuild {
		top = f.Instructions[in.Index]
		text = top.Node.Value + " " + text
	}
	if !rewritesTo(f, in, text, argv) {
		return nil, mismatch
	}
	var hoist []string
	if comment != "" {
		hoist = append(hoist, comment)
	}
	e, ok := f.ReplaceInstruction(top, text, hoist...)
	if !ok {
		return nil, "it has heredoc bodies"
	}
	return &Fix{Edits: []Edit{e}}, ""
}

// rewriteHead returns what precedes the shell-form argument of in as
// written (the keyword, options and, for HEALTHCHECK, the CMD word), with
// runs of blanks outside quotes collapsed to one space.
func rewriteHead(in *Instruction) (string, bool) {
	args := in.Args()
	if len(args) == 0 {
		return "", false
	}
	arg := args[len(args)-1]
	orig := strings.TrimRightFunc(in.Node.Original, unicode.IsSpace)
	if !strings.HasSuffix(orig, arg) {
		return "", false
	}
	head := strings.TrimRightFunc(orig[:len(orig)-len(arg)], unicode.IsSpace)
	if head == "" {
		return "", false
	}
	var b strings.Builder
	var quote rune
	blank := false
	for _, r := range head {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == ' ' || r == '\t':
			blank = true
			continue
		}
		if blank {
			b.WriteByte(' ')
			blank = false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// rewritesTo reports whether BuildKit reads text (an instruction, or an
// ONBUILD with one) as in's keyword with in's options and args in exec form.
func rewritesTo(f *File, in *Instruction, text string, args []string) bool {
	src := text + "\n"
	if f.Escape == '`' {
		src = "# escape=`\n\n" + src
	}
	res, err := parser.Parse(strings.NewReader(src))
	if err != nil || len(res.AST.Children) != 1 {
		return false
	}
	n := res.AST.Children[0]
	if in.OnBuild {
		if !strings.EqualFold(n.Value, "onbuild") || n.Next == nil || len(n.Next.Children) != 1 {
			return false
		}
		n = n.Next.Children[0]
	}
	want := args
	if in.Keyword == "healthcheck" {
		want = append([]string{in.Args()[0]}, args...)
	}
	var got []string
	for a := n.Next; a != nil; a = a.Next {
		got = append(got, a.Value)
	}
	return strings.EqualFold(n.Value, in.Keyword) && n.Attributes["json"] &&
		slices.Equal(n.Flags, in.Node.Flags) && slices.Equal(got, want)
}

// entrypointInEffect is the ENTRYPOINT a stage's CMD is passed to.
type entrypointInEffect struct {
	inFile *Instruction // a non-empty ENTRYPOINT in the file, nil if none
	base   string       // the external base image otherwise
	known  bool         // base is in the image table (or scratch)
	info   ImageInfo
	// byDefault is the image an ARG in base names by default, when that
	// is what info describes.
	byDefault string
}

// shown names the base image for messages.
func (ep entrypointInEffect) shown() string {
	s := "`" + clipN(ep.base, 60) + "`"
	if ep.byDefault != "" {
		s += " (`" + clipN(ep.byDefault, 60) + "` by default)"
	}
	return s
}

// entrypointFor finds the ENTRYPOINT in effect in stage s's final config:
// one in the file (an empty exec-form ENTRYPOINT [] means none), or the
// external base image's. A base named by an ARG is looked up with the
// ARG's default too, but only to be more careful: a build can pass
// another value, so only an entrypoint that inspects CMD counts.
func entrypointFor(f *File, s *Stage) entrypointInEffect {
	if ep := s.Entrypoint(); ep != nil {
		if ep.JSON() && len(ep.Args()) == 0 {
			return entrypointInEffect{known: true} // ENTRYPOINT [] clears it
		}
		return entrypointInEffect{inFile: ep}
	}
	base := s.ExternalBase()
	info, ok := LookupImage(base)
	if !ok && strings.Contains(base, "$") {
		if def := baseWithArgDefaults(f, base); def != base {
			if info, ok := LookupImage(def); ok && info.Entrypoint == InspectsArgs {
				return entrypointInEffect{base: base, byDefault: def, known: true, info: info}
			}
		}
	}
	return entrypointInEffect{base: base, known: ok, info: info}
}

// cmdAfterEntrypoint returns a CMD that reaches ENTRYPOINT ep: one in its
// stage (an earlier CMD in the stage survives the ENTRYPOINT's reset), one
// an ONBUILD trigger of the parent runs, one the stage registers for images
// built on it, or one in a stage built on it that keeps ep. nil when the
// ENTRYPOINT runs with no CMD from this file.
func cmdAfterEntrypoint(f *File, ep *Instruction) *Instruction {
	s := ep.Stage
	if c := s.ownOrTriggered("cmd"); c != nil {
		return c
	}
	var walk func(*Stage) *Instruction
	walk = func(st *Stage) *Instruction {
		for _, ob := range st.OnBuilds {
			if ob.Trigger != nil && ob.Trigger.Keyword == "cmd" {
				return ob.Trigger
			}
		}
		for _, c := range f.Children(st) {
			if c.ownOrTriggered("entrypoint") != nil {
				continue // a new ENTRYPOINT replaces ep there
			}
			if cmd := c.ownOrTriggered("cmd"); cmd != nil {
				return cmd
			}
			if cmd := walk(c); cmd != nil {
				return cmd
			}
		}
		return nil
	}
	return walk(s)
}

// describe names an instruction for messages: keyword, line, stage when
// it matters, and its arguments.
func describeInstruction(f *File, in *Instruction) string {
	kw := strings.ToUpper(in.Keyword)
	if in.OnBuild {
		kw = "ONBUILD " + kw
	}
	s := fmt.Sprintf("%s at line %d", kw, f.InputLine(in.Start))
	if in.Stage != nil && in.Stage.Name != "" {
		s += " (stage " + stageName(in.Stage) + ")"
	}
	var arg string
	if in.JSON() {
		arg, _ = JSONArray(in.Args())
	} else {
		arg = strings.Join(in.Args(), " ")
	}
	return s + " `" + clip(arg) + "`"
}

// argvText shows an exec-form argv for messages.
func argvText(argv []string) string {
	j, _ := JSONArray(argv)
	return "`" + clipN(j, 60) + "`"
}

// stageName names a stage for messages.
func stageName(s *Stage) string {
	if s.Name != "" {
		return "`" + s.Name + "`"
	}
	return fmt.Sprintf("%d (FROM %s)", s.Index, clip(s.Base))
}

// windowsReason says why a stage is a Windows stage.
func windowsReason(f *File, s *Stage) string {
	base := baseWithArgDefaults(f, s.Base)
	switch {
	case f.Escape == '`':
		return "the escape character is a backtick"
	case isWindowsPlatform(s.From.Node.Flags):
		return "FROM names a windows platform"
	case isWindowsImage(s.Base):
		return "base image `" + clipN(s.Base, 60) + "` is a Windows image"
	case isWindowsImage(base):
		return "base image `" + clipN(s.Base, 60) + "` is, with its ARG defaults, the Windows image `" + clipN(base, 60) + "`"
	case s.Parent != nil:
		return "built on Windows stage " + stageName(s.Parent)
	}
	return "Windows base"
}
