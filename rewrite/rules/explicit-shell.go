package rules

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// ExplicitShell writes a shell-form CMD, ENTRYPOINT or HEALTHCHECK CMD in
// exec form with the shell that runs it named: CMD ["/bin/sh", "-c", "…"].
// It runs only when asked for (Options.ExplicitShell, --explicit-shell),
// for commands that need a shell, which exec-form leaves alone.
//
// What Docker stores (dockerfile2llb): for a shell-form CMD or ENTRYPOINT,
// withShell makes Config.Cmd / Config.Entrypoint the image's SHELL (or
// /bin/sh -c) followed by the text, and ArgsEscaped is set for CMD in
// both forms; the exec form naming the same shell stores the identical
// array, and the history entry (CMD %q of that array) is the same. So the
// config is identical where the SHELL in effect is known: a SHELL in the
// file. Without one, the base image's SHELL applies, which cmdfix cannot
// see: unsafe. A HEALTHCHECK stores Test ["CMD-SHELL", text] for the
// shell form, which the daemon runs under the container's SHELL, and
// ["CMD", argv...] for the exec form: the same process, but a different
// config, so that fix is unsafe too. Windows stages are left alone
// (cmd.exe reads its command line, not an argv).
var ExplicitShell = &rule.Rule{
	Name: "explicit-shell",
	Doc: `with --explicit-shell, name the shell of a shell-form CMD, ENTRYPOINT or HEALTHCHECK in exec form

BuildKit recommends exec form (JSONArgsRecommended, hadolint DL3025); a
command that needs a shell can say so: CMD ["/bin/sh", "-c", "..."], which
Docker stores exactly as it stores the shell form when the SHELL in effect
is the one named. Only with --explicit-shell (or explicit-shell = true in
the settings).`,
	URL:      pageURL + "explicit-shell.md",
	Safety:   rule.Safe,
	Hadolint: []string{"DL3025"},
	BuildKit: []string{linter.RuleJSONArgsRecommended.Name},
	Run:      runExplicitShell,
}

func runExplicitShell(p *rule.Pass) {
	f := p.File
	for _, s := range f.Stages {
		if f.MaybeWindows(s) {
			continue
		}
		for _, in := range s.Instructions {
			if in.JSON() || in.HasHeredoc() {
				continue
			}
			text, ok := in.CommandText()
			if !ok || text == "" || (in.Keyword != "healthcheck" && len(in.Flags()) > 0) {
				continue
			}
			var head string
			if in.Keyword == "healthcheck" {
				head = strings.Join(in.Flags(), " ")
				if head != "" {
					head += " "
				}
				head += "CMD "
			}
			if strings.HasPrefix(strings.TrimSpace(text), "[") {
				continue // looks like an array: json-array's business
			}
			argv := append(append([]string{}, in.ShellWords()...), text)
			arr, ok := dockerfile.JSONArray(argv)
			if !ok {
				continue
			}
			l := f.Line(in.Start)
			fs := fields(l)
			written := string(l[fs[0].lo:fs[0].hi])
			e, ok := f.ReplaceInstruction(in, written+" "+head+arr)
			if !ok {
				continue
			}
			kw := strings.ToUpper(in.Keyword)
			safety, why := rule.Safe, "the SHELL at line "+fmt.Sprint(f.InputLine(shellLine(in)))+" is the one named"
			switch {
			case in.Keyword == "healthcheck":
				safety, why = rule.Unsafe, "the health check runs the same, but the image stores CMD instead of CMD-SHELL"
			case in.Shell == nil:
				safety, why = rule.Unsafe, "assumes the base image sets no SHELL of its own"
			}
			p.Report(in, rule.Info, fmt.Sprintf("%s in shell form runs under %s: exec form can name that shell", kw, strings.Join(in.ShellWords(), " ")),
				&rule.Fix{Message: "write " + kw + " " + head + arr + " (" + why + ")", Safety: safety, Edits: []dockerfile.Edit{e}})
		}
	}
}

func shellLine(in *dockerfile.Instruction) int {
	if in.Shell == nil {
		return 0
	}
	return in.Shell.Start
}
