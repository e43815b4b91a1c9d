package rules

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/shell"
)

var ExecForm = &rule.Rule{
	Name: "exec-form",
	Doc: `write shell-form CMD, ENTRYPOINT and HEALTHCHECK in exec form when that provably runs the same command

Shell form runs the command under /bin/sh -c; with dash (Debian, Ubuntu)
the shell stays PID 1 and docker stop signals never reach the program.
The rule converts only a single simple command of literal words, run by
the default /bin/sh, where no ENTRYPOINT that looks at its arguments (or,
for an ENTRYPOINT, no CMD) is affected; every other shell-form instruction
is reported with the reason it stays. With --unsafe, commands that need a
shell keep an explicit /bin/sh -c and exec their last program.`,
	URL:      pageURL + "exec-form.md",
	Safety:   rule.Safe,
	Hadolint: []string{"DL3025"},
	BuildKit: []string{"JSONArgsRecommended"},
	Run:      runExecForm,
}

func runExecForm(p *rule.Pass) {
	for _, top := range p.File.Instructions {
		in := top
		if top.Trigger != nil {
			in = top.Trigger
		}
		v := judgeWithContext(p, in, judgeExecForm(p.File, in))
		if v == nil {
			continue
		}
		sev := rule.Info
		if v.fix != nil {
			sev = rule.Warning
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
	fix     *rule.Fix
	argv    []string // the exec-form argv written by a conversion
	text    string   // the shell text judged
}

func left(kind, format string, args ...any) *execVerdict {
	return &execVerdict{outcome: outcomeLeft, kind: kind, msg: fmt.Sprintf(format, args...)}
}

// judgeExecForm decides about one instruction; nil means it is not a
// shell-form CMD, ENTRYPOINT or HEALTHCHECK CMD this rule speaks about.
func judgeExecForm(f *dockerfile.File, in *dockerfile.Instruction) *execVerdict {
	if in.Stage == nil || in.JSON() {
		return nil
	}
	text, ok := in.CommandText()
	if !ok {
		return nil // another instruction, HEALTHCHECK NONE
	}
	kw := strings.ToUpper(in.Keyword)
	if in.Keyword == "healthcheck" {
		kw = "HEALTHCHECK CMD"
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

func judgeShellForm(f *dockerfile.File, in *dockerfile.Instruction, kw, text string) *execVerdict {
	if in.OnBuild {
		return left("ONBUILD", "stays in shell form: ONBUILD runs it in images built FROM this one, whose SHELL and other instructions cmdfix cannot see")
	}
	if in.Keyword != "healthcheck" && len(in.Flags()) > 0 {
		return left("BuildKit reads a --flag", "stays in shell form: BuildKit reads `%s` as an option of %s and rejects it", clip.Text(in.Flags()[0]), kw)
	}
	if strings.TrimSpace(text) == "" {
		// /bin/sh -c "" has no program to run in exec form; entrypoint-cmd
		// explains what it does.
		return nil
	}
	if sh, st := f.RunningShell(in); sh != nil && in.Keyword == "healthcheck" {
		return left("SHELL in effect", "stays in shell form: the daemon runs a shell-form HEALTHCHECK with the image's final shell, and the image of stage %s ends with the SHELL at line %d%s (%s), so /bin/sh -c never read it", dockerfile.StageName(st), f.InputLine(sh.Start), shellWhere(sh, st), shellInstructionText(sh))
	} else if sh != nil {
		return left("SHELL in effect", "stays in shell form: the SHELL at line %d%s (%s) runs it instead of /bin/sh -c", f.InputLine(sh.Start), shellWhere(sh, st), shellInstructionText(sh))
	}
	if in.Stage.Windows {
		return left("Windows stage", "stays in shell form: in a Windows stage (%s) cmd /S /C runs it, whose quoting cmdfix does not convert", f.WindowsReason(in.Stage))
	}
	if f.MaybeWindows(in.Stage) {
		// The formatter's judgement too: an image named by an ARG without
		// a default, in a file that reads like a Windows one.
		return left("Windows stage", "stays in shell form: base image `%s` is chosen by a build argument, and this file has Windows paths or commands, so cmd /S /C may run it", clip.N(in.Stage.ExternalBase(), 60))
	}

	if p := windowsPath(text); p != "" && !baseKnown(f, in.Stage) {
		return left("Windows path, unknown base", "stays in shell form: the command names the Windows path `%s` and base image `%s` is not one cmdfix knows: if it is a Windows image, cmd /S /C runs it, whose quoting cmdfix does not convert", clip.Text(p), clip.N(in.Stage.ExternalBase(), 60))
	}
	argv, comment, err := shell.ExecArgv(text)
	if err != nil {
		return needsShell(f, in, text, err.(*shell.Rejection))
	}
	v := &execVerdict{outcome: outcomeConverted, kind: "simple literal command", argv: argv}
	prog := "`" + clip.Text(argv[0]) + "`"
	today := "shell form starts " + prog + " from /bin/sh -c, which with dash (Debian, Ubuntu) keeps it from receiving `docker stop` signals"
	if w, _ := shell.Words(text); w.Words[0] == "exec" {
		today = "shell form starts /bin/sh -c only to exec " + prog
	}
	safety := rule.Safe
	switch in.Keyword {
	case "healthcheck":
		v.msg = "shell form runs " + prog + " through /bin/sh -c; exec form runs it directly, without needing a shell in the image"
	case "entrypoint":
		if cmd := f.CmdReaching(in); cmd != nil {
			safety, v.outcome, v.kind = rule.Unsafe, outcomeUnsafe, "CMD in effect would reach ENTRYPOINT"
			v.msg = fmt.Sprintf("shell-form ENTRYPOINT ignores the %s; exec form would pass it to %s as arguments", describeInstruction(f, cmd), prog)
		} else {
			v.msg = today + "; exec form runs it directly, and `docker run IMAGE ARGS` now passes ARGS to it (shell form ignored them)"
		}
	case "cmd":
		ep := f.EntrypointOf(in.Stage)
		switch {
		case ep.InFile != nil:
			safety, v.outcome, v.kind = rule.Unsafe, outcomeUnsafe, "ENTRYPOINT in the file receives CMD"
			v.msg = fmt.Sprintf("CMD is the argument list of the %s, which receives `/bin/sh -c …` today; exec form would pass it %s instead", describeInstruction(f, ep.InFile), argvText(argv))
		case ep.Known && ep.Info.Entrypoint == images.InspectsArgs:
			safety, v.outcome, v.kind = rule.Unsafe, outcomeUnsafe, "base image ENTRYPOINT inspects CMD"
			inspects := "inspects its arguments"
			if row, ok := images.Lookup(f.ExpandArgDefaults(ep.Base)); ep.Resolved && (!ok || row.EntrypointText != ep.Info.EntrypointText) {
				// Resolved from the registry, but not in the table: unsure.
				inspects = "may inspect its arguments (cmdfix does not know that entrypoint)"
			}
			v.msg = fmt.Sprintf("CMD is the argument list of the ENTRYPOINT %s of base image %s, which %s and receives `/bin/sh -c …` today; exec form would pass it %s instead",
				ep.Info.EntrypointText, shownBase(ep), inspects, argvText(argv))
		case ep.Known && ep.Info.Entrypoint == images.PassesCommand:
			v.kind = "base image ENTRYPOINT passes the command on"
			v.msg = fmt.Sprintf("%s; exec form runs it directly (the ENTRYPOINT %s of base image %s runs whatever command it is given)", today, ep.Info.EntrypointText, shownBase(ep))
		case !ep.Known:
			v.kind = "base image not in the table"
			v.msg = fmt.Sprintf("%s; exec form runs it directly (assuming base image %s, which cmdfix does not know, has no ENTRYPOINT that inspects CMD)", today, shownBase(ep))
		default:
			v.msg = today + "; exec form runs it directly"
		}
	}
	j, _ := dockerfile.JSONArray(argv)
	fix, why := execFormFix(f, in, argv, comment)
	if fix == nil {
		return left("cannot rewrite", "stays in shell form: cmdfix cannot rewrite it as %s: %s", j, why)
	}
	fix.Safety = safety
	fix.Message = "write " + kw + " " + clip.Text(j)
	v.fix = fix
	return v
}

// needsShell explains a command that is not a simple literal command and,
// where exec on its last command keeps control flow, offers the unsafe fix
// that keeps /bin/sh -c explicitly and execs the last program.
func needsShell(f *dockerfile.File, in *dockerfile.Instruction, text string, rej *shell.Rejection) *execVerdict {
	v := left(rej.Kind, "stays in shell form: %s", rej.Msg)
	if in.Keyword == "healthcheck" {
		return v // a health check is short-lived: exec buys nothing
	}
	wrapped, prog, wrej := shell.ExecLast(text)
	if wrej != nil {
		if r := wrej.(*shell.Rejection); r.Kind == shell.RejectExecLast {
			v.msg += "; --unsafe does not put exec before the last command either: " + r.Msg
		}
		return v
	}
	if wrapped == text {
		v.msg += fmt.Sprintf("; it already execs `%s`, so that program receives signals", clip.Text(prog))
		return v
	}
	argv := []string{"/bin/sh", "-c", wrapped}
	fix, _ := execFormFix(f, in, argv, "")
	if fix == nil {
		return v
	}
	fix.Safety = rule.Unsafe
	fix.Message = "exec `" + clip.Text(prog) + "` from an explicit /bin/sh -c"
	v.outcome, v.fix = outcomeWrapped, fix
	v.msg = fmt.Sprintf("%s, so it keeps /bin/sh -c; the unsafe fix writes that shell explicitly and execs `%s` so that it receives signals", rej.Msg, clip.Text(prog))
	return v
}

// execFormFix builds the edit that writes in with argv as its exec-form
// array, the trailing shell comment (if any) hoisted above.
func execFormFix(f *dockerfile.File, in *dockerfile.Instruction, argv []string, comment string) (*rule.Fix, string) {
	return arrayInstructionFix(f, in, execFormHead, argv, comment, "BuildKit would read the result differently")
}

// execFormHead is the text before a CMD's or ENTRYPOINT's arguments (the
// keyword), and a HEALTHCHECK's with its options.
func execFormHead(in *dockerfile.Instruction) (string, bool) {
	if in.Keyword == "healthcheck" {
		return rewriteHead(in)
	}
	return in.Node.Value, true
}

// shellWhere says, for messages, in which stage SHELL sh was written when
// that is not stage s.
func shellWhere(sh *dockerfile.Instruction, s *dockerfile.Stage) string {
	switch {
	case sh.OnBuild:
		return " (an ONBUILD trigger of stage " + dockerfile.StageName(sh.Stage) + ")"
	case sh.Stage != s:
		return " in stage " + dockerfile.StageName(sh.Stage)
	}
	return ""
}

// windowsPath returns the first drive-letter path in text (C:\ or C:/),
// or "".
func windowsPath(text string) string {
	for i := 0; i+2 < len(text); i++ {
		c := text[i] | 0x20
		if 'a' <= c && c <= 'z' && text[i+1] == ':' && (text[i+2] == '\\' || text[i+2] == '/') && (i == 0 || !isWordByte(text[i-1])) {
			end := strings.IndexAny(text[i:], " \t\"'")
			if end < 0 {
				end = len(text) - i
			}
			return text[i : i+end]
		}
	}
	return ""
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'z'
}

// baseKnown reports whether the external image stage s is built from is
// in the image table (after ARG defaults) or is scratch.
func baseKnown(f *dockerfile.File, s *dockerfile.Stage) bool {
	_, ok := images.Lookup(f.ExpandArgDefaults(s.ExternalBase()))
	return ok
}
