package rules

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/shell"
	"mvdan.cc/sh/v3/syntax"
)

// EntrypointCmd explains where ENTRYPOINT and CMD do not combine the way
// they read. It follows BuildKit's dispatcher (api-notes.md, section B):
// a shell-form ENTRYPOINT is /bin/sh -c TEXT, so CMD only becomes $0, $1...
// of that shell; an ENTRYPOINT discards the CMD inherited from the parent
// unless the stage set its own CMD before it; a shell-form CMD reaches an
// exec-form ENTRYPOINT as /bin/sh, -c, TEXT; a bare CMD or ENTRYPOINT is
// /bin/sh -c "". None of these can be changed without changing what the
// image does, so the rule only reports; whether a shell-form CMD can become
// exec form is the exec-form rule's decision.
//
// Each stage is checked with what is in effect at its end; a finding is
// reported at an instruction of that stage, so an inherited combination is
// reported once, where it is written.
var EntrypointCmd = &rule.Rule{
	Name: "entrypoint-cmd",
	Doc: `report ENTRYPOINT and CMD combinations that do not do what they look like

Finds a shell-form ENTRYPOINT that ignores the CMD, an ENTRYPOINT that
discards the CMD inherited from the parent stage or base image, a bare CMD
or ENTRYPOINT (which runs /bin/sh -c ""), CMD [] or ENTRYPOINT [] that
clears something inherited, and a shell-form CMD given to an exec-form
ENTRYPOINT. It changes nothing.`,
	URL:    pageURL + "entrypoint-cmd.md",
	Safety: rule.NoFix,
	Run:    runEntrypointCmd,
}

func runEntrypointCmd(p *rule.Pass) {
	for _, s := range p.File.Stages {
		c := &epCmdCheck{p: p, s: s}
		c.ep = s.Entrypoint()
		c.cmd, _ = s.Cmd()
		c.base, c.baseKnown = baseInfo(p.File, s)
		c.baseName = s.ExternalBase()
		c.bare()
		c.shellEntrypoint()
		c.discardedCmd()
		c.emptyCmd()
		c.emptyEntrypoint()
		c.shellCmd()
	}
}

// epCmdCheck holds what is in effect at the end of one stage.
type epCmdCheck struct {
	p *rule.Pass
	s *dockerfile.Stage
	// ep and cmd are the ENTRYPOINT and CMD in effect that the file
	// writes, nil when they come from the external base image or nowhere.
	ep, cmd   *dockerfile.Instruction
	base      images.Info // the external base image, when baseKnown
	baseKnown bool
	baseName  string
}

// own reports whether in is one of the stage's own instructions (not
// inherited, not a trigger of the parent stage).
func (c *epCmdCheck) own(in *dockerfile.Instruction) bool {
	return in != nil && in.Stage == c.s && !in.OnBuild
}

// report reports msg at at, unless a pragma for this rule is above any
// instruction the finding is about.
func (c *epCmdCheck) report(at *dockerfile.Instruction, sev rule.Severity, msg string, involved ...*dockerfile.Instruction) {
	for _, in := range involved {
		if in != nil && c.p.Silenced(in) {
			return
		}
	}
	c.p.Report(at, sev, msg, nil)
}

// bare reports a CMD or ENTRYPOINT with no arguments: BuildKit runs it as
// a shell with an empty script, which is not the same as CMD [].
func (c *epCmdCheck) bare() {
	if cmd := c.cmd; c.own(cmd) && isBare(cmd) {
		run := shellText(cmd) + ` ""`
		switch ep := c.ep; {
		case ep != nil && ep.JSON() && !isEmptyExec(ep):
			c.report(cmd, rule.Warning, fmt.Sprintf("CMD with no arguments passes %s to the ENTRYPOINT at line %d as its arguments; write CMD [] if the ENTRYPOINT was meant to run with none", run, c.line(ep)), ep)
		case ep != nil && !ep.JSON():
			c.report(cmd, rule.Warning, fmt.Sprintf("CMD with no arguments sets the command to %s, which the shell-form ENTRYPOINT at line %d ignores; write CMD [] if the inherited command was meant to be cleared", run, c.line(ep)), ep)
		case ep == nil && c.baseHasEntrypoint():
			c.report(cmd, rule.Warning, fmt.Sprintf("CMD with no arguments passes %s to the ENTRYPOINT %s of base image %s as its arguments; write CMD [] if the ENTRYPOINT was meant to run with none", run, c.base.EntrypointText, c.baseName))
		default:
			c.report(cmd, rule.Warning, fmt.Sprintf("CMD with no arguments runs %s, an empty script, so the container exits at once; write CMD [] if the inherited command was meant to be cleared", run))
		}
	}
	if ep := c.ep; c.own(ep) && isBare(ep) {
		c.report(ep, rule.Warning, fmt.Sprintf(`ENTRYPOINT with no arguments runs %s "", an empty script that ignores any CMD, so the container exits at once; write ENTRYPOINT [] if the inherited entrypoint was meant to be cleared`, shellText(ep)))
	}
}

// shellEntrypoint reports a shell-form ENTRYPOINT with a CMD in effect:
// the shell runs the ENTRYPOINT text and the CMD words only become its
// positional parameters, starting at $0.
func (c *epCmdCheck) shellEntrypoint() {
	ep, cmd := c.ep, c.cmd
	if ep == nil || ep.JSON() || isBare(ep) || cmd == nil || isBare(cmd) || isEmptyExec(cmd) ||
		!(c.own(ep) || c.own(cmd)) || !shell.DialectOf(ep.ShellWords()).SplitsWords() {
		return
	}
	sh := shellText(ep)
	var msg string
	switch {
	case readsZero(ep.Args()[0]):
		// `exec "$0" "$@"` and the like take the CMD's first word from $0:
		// the whole CMD arrives.
		return
	case usesPositional(ep.Args()[0]) && c.own(ep):
		msg = fmt.Sprintf(`this shell-form ENTRYPOINT runs %s, so the CMD at line %d arrives as $0, $1, ...: its first word becomes $0 and is missing from "$@"; an exec-form ENTRYPOINT would receive all of it, if that was meant`, sh, c.line(cmd))
	case usesPositional(ep.Args()[0]):
		msg = fmt.Sprintf(`the shell-form ENTRYPOINT at line %d runs %s, so this CMD arrives as $0, $1, ...: its first word becomes $0 and is missing from "$@"; an exec-form ENTRYPOINT would receive all of it, if that was meant`, c.line(ep), sh)
	case c.own(ep):
		msg = fmt.Sprintf("this shell-form ENTRYPOINT runs %s and ignores the CMD at line %d (and any docker run arguments); an exec-form ENTRYPOINT would receive them, if that was meant", sh, c.line(cmd))
	default:
		msg = fmt.Sprintf("this CMD is ignored, because the shell-form ENTRYPOINT at line %d runs %s and passes no arguments on; an exec-form ENTRYPOINT would receive the CMD, if that was meant", c.line(ep), sh)
	}
	at := ep
	if !c.own(ep) {
		at = cmd
	}
	c.report(at, rule.Warning, msg, ep, cmd)
}

// discardedCmd reports an exec-form ENTRYPOINT in a stage that sets no CMD
// while the parent stage or a known base image has one: BuildKit resets
// the inherited CMD, so the ENTRYPOINT runs without it. A base image's CMD
// is usually a shell, a REPL or the server itself, which a new ENTRYPOINT
// replaces by design, so it is reported only when the ENTRYPOINT evidently
// runs a command it is given (see runsItsArguments); a CMD written in the
// file is always reported.
func (c *epCmdCheck) discardedCmd() {
	ep := c.ep
	if !c.own(ep) || !ep.JSON() || isEmptyExec(ep) || c.s.OwnOrTriggered("cmd") != nil {
		return
	}
	lost, in, ok := c.inheritedCmd()
	if !ok {
		return
	}
	sev := rule.Info // a base image's CMD
	if in != nil {
		sev = rule.Warning // a CMD written in this file
	}
	switch {
	case in == nil && runsItsArguments(ep.Args()):
		if msg := c.baseCmdAdvice(ep, lost); msg != "" {
			c.report(ep, sev, msg)
		}
	case runsItsArguments(ep.Args()):
		c.report(ep, sev, fmt.Sprintf("this ENTRYPOINT discards %s, because the stage sets no CMD of its own, so %s runs with no command to start; repeat that CMD after the ENTRYPOINT if it was meant to be kept", lost, ep.Args()[0]), in)
	case in != nil:
		c.report(ep, rule.Info, fmt.Sprintf("this ENTRYPOINT discards %s, because the stage sets no CMD of its own, so it runs with no arguments; repeat that CMD after the ENTRYPOINT if it was meant to be kept", lost), in)
	}
}

// runsItsArguments reports whether an exec-form ENTRYPOINT evidently runs
// the command it is given: a command runner (see isRunner) or an
// entrypoint script by the docker-library naming convention.
func runsItsArguments(args []string) bool {
	return isRunner(args) || len(args) > 0 && strings.Contains(strings.ToLower(path.Base(args[0])), "entrypoint")
}

// isRunner reports an exec-form ENTRYPOINT that runs its arguments as a
// command and nothing else: an init or privilege-dropping runner (tini,
// dumb-init, gosu...), or an argument list ending in "--".
func isRunner(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if args[len(args)-1] == "--" {
		return true
	}
	switch strings.TrimSuffix(strings.ToLower(path.Base(args[0])), "-static") {
	case "tini", "dumb-init", "gosu", "su-exec", "catatonit", "chpst", "setpriv", "s6-setuidgid":
		return true
	}
	return false
}

// emptyCmd reports CMD [] that clears a CMD inherited from the parent
// stage or a known base image.
func (c *epCmdCheck) emptyCmd() {
	cmd := c.cmd
	if !c.own(cmd) || !isEmptyExec(cmd) || len(c.s.Entrypoints) > 0 {
		return // with an ENTRYPOINT of its own the stage resets the inherited CMD anyway
	}
	lost, in, ok := c.inheritedCmd()
	if !ok {
		return
	}
	result := "the image has no default command"
	switch ep := c.ep; {
	case ep != nil && !isEmptyExec(ep):
		result = fmt.Sprintf("the ENTRYPOINT at line %d runs with no arguments", c.line(ep))
	case ep == nil && c.baseHasEntrypoint() && in == nil:
		result = fmt.Sprintf("its ENTRYPOINT %s runs with no arguments", c.base.EntrypointText)
	case ep == nil && c.baseHasEntrypoint():
		result = fmt.Sprintf("the ENTRYPOINT %s of base image %s runs with no arguments", c.base.EntrypointText, c.baseName)
	}
	c.report(cmd, rule.Info, fmt.Sprintf("CMD [] clears %s, so %s; remove it if the inherited command was meant to stay", lost, result), in)
}

// emptyEntrypoint reports ENTRYPOINT [] that clears an inherited
// ENTRYPOINT, and the inherited CMD it discards with it.
func (c *epCmdCheck) emptyEntrypoint() {
	ep := c.ep
	if !c.own(ep) || !isEmptyExec(ep) {
		return
	}
	cleared, clearedIn, hasEP := c.inheritedEntrypoint()
	var lost string
	var lostIn *dockerfile.Instruction
	discards := false
	if c.s.OwnOrTriggered("cmd") == nil {
		lost, lostIn, discards = c.inheritedCmd()
	}
	switch {
	case hasEP && discards:
		if clearedIn == nil && lostIn == nil { // both the base image's
			j, _ := dockerfile.JSONArray(c.base.Cmd)
			lost = "its CMD " + j
		}
		c.report(ep, rule.Warning, fmt.Sprintf("ENTRYPOINT [] clears %s and, because the stage sets no CMD of its own, also discards %s, so the image has no default command; add a CMD after it if one was meant", cleared, lost), clearedIn, lostIn)
	case hasEP && c.cmd != nil && !isEmptyExec(c.cmd):
		c.report(ep, rule.Info, fmt.Sprintf("ENTRYPOINT [] clears %s, so the CMD at line %d runs as the command by itself; remove ENTRYPOINT [] if the inherited entrypoint was meant to run it", cleared, c.line(c.cmd)), clearedIn, c.cmd)
	case discards:
		c.report(ep, rule.Warning, fmt.Sprintf("ENTRYPOINT [] discards %s, because the stage sets no CMD of its own, so the image has no default command; add a CMD after it if one was meant", lost), lostIn)
	}
}

// shellCmd reports a shell-form CMD that an exec-form ENTRYPOINT receives:
// its arguments are the shell's words and the command text, not the
// command's own words.
func (c *epCmdCheck) shellCmd() {
	cmd, ep := c.cmd, c.ep
	if cmd == nil || cmd.JSON() || isBare(cmd) {
		return
	}
	words := shellText(cmd)
	switch {
	case ep != nil && ep.JSON() && !isEmptyExec(ep):
		if !c.own(cmd) && !c.own(ep) || isRunner(ep.Args()) {
			return // a runner such as tini or dumb-init runs the shell as its command, as written
		}
		if c.own(cmd) {
			c.report(cmd, rule.Warning, fmt.Sprintf("the ENTRYPOINT at line %d receives this shell-form CMD as the arguments %s plus the command text, not as the command's own words; an exec-form CMD passes the words, if that was meant", c.line(ep), words), ep)
		} else {
			c.report(ep, rule.Warning, fmt.Sprintf("this ENTRYPOINT receives the shell-form CMD at line %d as the arguments %s plus the command text, not as the command's own words; an exec-form CMD passes the words, if that was meant", c.line(cmd), words), cmd)
		}
	case ep == nil && c.own(cmd) && c.baseKnown && c.base.Entrypoint == images.InspectsArgs:
		// An entrypoint that only passes its command on runs the shell
		// just the same; one that inspects $1 sees the shell instead.
		c.report(cmd, rule.Warning, fmt.Sprintf("the ENTRYPOINT %s of base image %s receives this shell-form CMD as the arguments %s plus the command text, so its first argument is %s, not the command; an exec-form CMD passes the command's own words, if that was meant", c.base.EntrypointText, c.baseName, words, cmd.ShellWords()[0]))
	}
}

// inheritedCmd returns the CMD the stage starts from, after the parent's
// ONBUILD triggers: a description for messages, the instruction when it is
// in the file, and whether there is one (false when there is none, or it
// comes from an unknown base image).
func (c *epCmdCheck) inheritedCmd() (string, *dockerfile.Instruction, bool) {
	s := c.s
	var trigEP *dockerfile.Instruction
	for _, t := range s.Triggers() {
		switch t.Keyword {
		case "cmd":
			if !isEmptyExec(t) {
				return c.ref(t), t, true
			}
			return "", nil, false
		case "entrypoint":
			trigEP = t
		}
	}
	if trigEP != nil {
		return "", nil, false // the trigger's ENTRYPOINT already reset it
	}
	if s.Parent != nil {
		pc, known := s.Parent.Cmd()
		if known {
			if pc == nil || isEmptyExec(pc) {
				return "", nil, false
			}
			return c.inheritedRef(pc), pc, true
		}
	}
	if !c.baseKnown || len(c.base.Cmd) == 0 {
		return "", nil, false
	}
	j, _ := dockerfile.JSONArray(c.base.Cmd)
	return fmt.Sprintf("the CMD %s of base image %s", j, c.baseName), nil, true
}

// inheritedEntrypoint returns the ENTRYPOINT the stage starts from, like
// inheritedCmd.
func (c *epCmdCheck) inheritedEntrypoint() (string, *dockerfile.Instruction, bool) {
	s := c.s
	var from *dockerfile.Instruction
	for _, t := range s.Triggers() {
		if t.Keyword == "entrypoint" {
			from = t
		}
	}
	if from == nil && s.Parent != nil {
		from = s.Parent.Entrypoint()
	}
	if from != nil {
		if isEmptyExec(from) {
			return "", nil, false
		}
		return c.inheritedRef(from), from, true
	}
	if !c.baseSetsEntrypoint() {
		return "", nil, false
	}
	return fmt.Sprintf("the ENTRYPOINT %s of base image %s", c.base.EntrypointText, c.baseName), nil, true
}

// baseSetsEntrypoint reports whether the stage's external base image is
// known to set an ENTRYPOINT.
func (c *epCmdCheck) baseSetsEntrypoint() bool {
	return c.baseKnown && c.base.Entrypoint != images.NoEntrypoint && c.base.EntrypointText != ""
}

// baseHasEntrypoint reports whether the base image's ENTRYPOINT is the one
// in effect: no instruction in the file replaces it.
func (c *epCmdCheck) baseHasEntrypoint() bool { return c.ep == nil && c.baseSetsEntrypoint() }

// line returns the input line of an instruction, for messages.
func (c *epCmdCheck) line(in *dockerfile.Instruction) int { return c.p.File.InputLine(in.Start) }

// ref names an instruction for a message.
func (c *epCmdCheck) ref(in *dockerfile.Instruction) string {
	if in.OnBuild {
		return fmt.Sprintf("the ONBUILD %s at line %d", strings.ToUpper(in.Keyword), c.line(in))
	}
	return fmt.Sprintf("the %s at line %d", strings.ToUpper(in.Keyword), c.line(in))
}

// inheritedRef names an instruction of an ancestor stage.
func (c *epCmdCheck) inheritedRef(in *dockerfile.Instruction) string {
	if in.Stage != nil && in.Stage.Name != "" && !in.OnBuild {
		return fmt.Sprintf("%s inherited from stage %q", c.ref(in), in.Stage.Name)
	}
	return c.ref(in)
}

// isBare reports a CMD or ENTRYPOINT with no arguments at all, which
// BuildKit runs as a shell with an empty script.
func isBare(in *dockerfile.Instruction) bool { return !in.JSON() && len(in.Args()) == 0 }

// isEmptyExec reports CMD [] or ENTRYPOINT [], which clear the setting.
func isEmptyExec(in *dockerfile.Instruction) bool { return in.JSON() && len(in.Args()) == 0 }

// shellText is shellWords for a message.
func shellText(in *dockerfile.Instruction) string { return strings.Join(in.ShellWords(), " ") }

var positionalRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\$(\{#?)?[@*#0-9]`)
})

// readsZero reports whether a shell script reads $0 as well as "$@" or
// $*, so that it receives every word of the CMD (exec "$0" "$@").
func readsZero(script string) bool {
	f, err := shell.Parse(script, syntax.LangBash)
	if err != nil {
		return false
	}
	zero, all := false, false
	syntax.Walk(f, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil {
			switch pe.Param.Value {
			case "0":
				zero = true
			case "@", "*":
				all = true
			}
		}
		return true
	})
	return zero && all
}

// usesPositional reports whether a shell script reads its positional
// parameters ($0, $1, "$@", $*, $#).
func usesPositional(script string) bool {
	f, err := shell.Parse(script, syntax.LangBash)
	if err != nil {
		return positionalRE().MatchString(script)
	}
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if pe, ok := n.(*syntax.ParamExp); ok && pe.Param != nil {
			switch v := pe.Param.Value; {
			case v == "@" || v == "*" || v == "#":
				found = true
			case v != "" && v[0] >= '0' && v[0] <= '9':
				found = true
			}
		}
		return !found
	})
	return found
}
