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

var JSONArray = &rule.Rule{
	Name: "json-array",
	Doc: `repair exec-form arrays that are not valid JSON

CMD ['python', 'app.py'], CMD ["a", 'b'], CMD ["a", "b",] and
ENTRYPOINT ["app"] # comment are not JSON, so Docker treats them as shell
form and runs the whole text as a shell command, which cannot have worked.
For CMD, ENTRYPOINT, RUN, SHELL and HEALTHCHECK CMD whose text is a
bracketed list of quoted strings, the rule writes the array the author
spelled (a trailing comment moves to its own line above); anything else
that looks like an array is reported and left alone.`,
	URL:      pageURL + "json-array.md",
	Safety:   rule.Safe,
	Hadolint: []string{"DL3025"},
	BuildKit: []string{"JSONArgsRecommended"},
	Run:      runJSONArray,
}

func runJSONArray(p *rule.Pass) {
	f := p.File
	for _, top := range f.Instructions {
		in := top
		if top.Trigger != nil {
			in = top.Trigger
		}
		text, ok := arrayCandidateText(in)
		if !ok {
			continue
		}
		pa, ok := readPseudoArray(text)
		if !ok {
			continue
		}
		kw := strings.ToUpper(in.Keyword)
		shown := "`" + clip.Text(text) + "`"
		if pa.problem != "" {
			p.Report(in, rule.Warning, fmt.Sprintf("%s looks like an exec-form array but %s, so %s; cmdfix cannot tell which array was meant and leaves it",
				shown, pa.problem, runsAsShell(in.Keyword)), nil)
			continue
		}
		if len(pa.defects) == 0 {
			continue // valid JSON that BuildKit still read as shell form: not ours to guess about
		}
		if sh, _ := f.RunningShell(in); sh != nil && in.Keyword != "shell" && !failsOnList(sh) {
			p.Report(in, rule.Warning, fmt.Sprintf("%s is not a JSON array (%s); with the SHELL at line %d (%s) in effect cmdfix cannot tell that it fails, so it leaves it",
				shown, strings.Join(pa.defects, ", "), f.InputLine(sh.Start), shellInstructionText(sh)), nil)
			continue
		}
		if why := shell.BracketTestReason(text); why != "" {
			p.Report(in, rule.Warning, fmt.Sprintf("%s looks like an exec-form array, but %s; if an array was meant, write it as JSON", shown, why), nil)
			continue
		}
		consequence := runsAsShell(in.Keyword)
		if in.Keyword != "shell" {
			consequence += ", which cannot have worked as written"
		}
		safety := rule.Safe
		if ep := argumentReader(f, in); ep != "" {
			// An ENTRYPOINT gets the text as arguments and may run fine
			// with them; passing it the array changes what it receives.
			safety = rule.Unsafe
			consequence = ep + " receives `/bin/sh -c …` as its arguments today"
		}
		msg := fmt.Sprintf("%s is not a JSON array (%s), so %s; the fix writes the array it spells",
			shown, strings.Join(pa.defects, ", "), consequence)
		if pa.comment != "" {
			msg += ", with the comment on its own line above"
		}
		fix, why := arrayFix(f, in, pa.args, pa.comment)
		if fix == nil {
			p.Report(in, rule.Warning, fmt.Sprintf("%s is not a JSON array (%s), so %s; cmdfix cannot rewrite it: %s", shown, strings.Join(pa.defects, ", "), runsAsShell(in.Keyword), why), nil)
			continue
		}
		fix.Safety = safety
		fix.Message = "write " + kw + " as a JSON array"
		p.Report(in, rule.Warning, msg, fix)
	}
}

// argumentReader names the ENTRYPOINT that receives a CMD's text as its
// arguments, when one may look at them: any non-empty ENTRYPOINT in the
// file, or a base image's that inspects its arguments. "" otherwise.
func argumentReader(f *dockerfile.File, in *dockerfile.Instruction) string {
	if in.Keyword != "cmd" || in.Stage == nil {
		return ""
	}
	ep := f.EntrypointOf(in.Stage)
	switch {
	case ep.InFile != nil:
		return "the " + describeInstruction(f, ep.InFile)
	case ep.Known && ep.Info.Entrypoint == images.InspectsArgs:
		return fmt.Sprintf("the ENTRYPOINT %s of base image %s", ep.Info.EntrypointText, shownBase(ep))
	}
	return ""
}

// arrayCandidateText returns the shell-form text of an instruction that
// takes an exec-form array: CMD, ENTRYPOINT, RUN, SHELL, HEALTHCHECK CMD.
func arrayCandidateText(in *dockerfile.Instruction) (string, bool) {
	if in.JSON() {
		return "", false
	}
	if args := in.Args(); (in.Keyword == "run" || in.Keyword == "shell") && len(args) == 1 {
		return args[0], true
	}
	if text, ok := in.CommandText(); ok && text != "" {
		return text, true
	}
	return "", false
}

// runsAsShell says what happens to a non-JSON argument of keyword.
func runsAsShell(keyword string) string {
	switch keyword {
	case "shell":
		return "BuildKit refuses it (SHELL takes only a JSON array)"
	case "run":
		return "the build runs the whole text as a shell command"
	case "healthcheck":
		return "the health check runs the whole text as a shell command"
	}
	return "Docker runs the whole text as a shell command"
}

// failsOnList reports whether a SHELL instruction runs a shell that, like
// sh or cmd.exe, reads a bracketed list of strings as a command and fails.
// PowerShell reads it as an array; a program not told to read a command
// (-c, /C) takes the text as a file name.
func failsOnList(sh *dockerfile.Instruction) bool {
	if !sh.JSON() {
		return false
	}
	d := shell.DialectOf(sh.Args())
	return d.SplitsWords() || d == shell.Cmd
}

// shellText shows a SHELL instruction's argument for messages.
func shellInstructionText(sh *dockerfile.Instruction) string {
	if sh.JSON() {
		j, _ := dockerfile.JSONArray(sh.Args())
		return "`" + clip.Text(j) + "`"
	}
	return "`" + clip.Text(strings.Join(sh.Args(), " ")) + "`"
}

// arrayFix builds the edit that writes instruction in with args as its
// exec-form array, hoisting comment (if any) above it. It returns nil and
// why when the instruction cannot be rewritten without changing something
// else about it.
func arrayFix(f *dockerfile.File, in *dockerfile.Instruction, args []string, comment string) (*rule.Fix, string) {
	fix, why := arrayInstructionFix(f, in, rewriteHead, args, comment, "the rewritten instruction would not keep its options")
	if fix != nil {
		fix.Safety = rule.Safe
	}
	return fix, why
}
