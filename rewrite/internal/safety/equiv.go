package safety

import (
	"fmt"
	"net"
	"path"
	"slices"
	"strconv"
	"strings"

	bkshell "github.com/moby/buildkit/frontend/dockerfile/shell"
)

// An equivalence is what one rule's fix may change in the instructions it
// replaces and still leave BuildKit's build the same. The net checks each
// fix of a rule named in equivalences against it: every instruction the
// fix replaced must become one instruction equivalent to it, in order, and
// the fix may add comment lines but not drop or change any. Each
// equivalence is read from BuildKit's own code, cited below, and allows
// nothing more; rules not named here are checked as before (their
// replacements must parse to what they declare).
type equivalence func(fs *Facts, line int, a, b *shape) bool

var equivalences = map[string]equivalence{
	// The parser looks keywords up lower-cased (parser.newNodeFromLine),
	// parseBuildStageName compares AS with EqualFold, parseHealthcheck
	// upper-cases the type: keywords, AS and HEALTHCHECK's type may
	// change case.
	"keyword-case": func(_ *Facts, _ int, a, b *shape) bool { return sameShape(a, b, wordCase) },
	// The parser skips empty lines between continuation lines: the
	// instruction parses exactly the same without them.
	"empty-continuation": func(_ *Facts, _ int, a, b *shape) bool { return sameShape(a, b, exact) },
	"stage-name-case":    sameStageNameCase,
	"expose-proto-case":  sameExposeProtoCase,
	"expose-format":      sameExposePorts,
	"redundant-target-platform": func(fs *Facts, line int, a, b *shape) bool {
		return a.keyword == "from" && sameShape(withoutTargetPlatform(fs, a), b, exact)
	},
	"legacy-key-value":       sameKeyValues,
	"workdir-relative":       sameWorkdir,
	"explicit-shell":         sameExplicitShell,
	"definition-description": func(_ *Facts, _ int, a, b *shape) bool { return sameShape(a, b, exact) },
}

// checkEquivalence checks the fix e of rule against its equivalence: the
// instructions of before's lines e.Start..e.End against those its text
// parses to (items).
func checkEquivalence(bf *Facts, e ruleEdit, items []item) error {
	eq, ok := equivalences[e.rule]
	if !ok {
		return nil
	}
	var old, neu []item
	var oldComments, newComments []string
	for _, it := range bf.items {
		if it.line < e.Start || it.line > e.End {
			continue
		}
		if it.kind == itemInstruction {
			old = append(old, it)
		} else {
			oldComments = append(oldComments, it.text)
		}
	}
	for _, it := range items {
		if it.kind == itemInstruction {
			neu = append(neu, it)
		} else {
			newComments = append(newComments, it.text)
		}
	}
	if len(old) != len(neu) {
		return fmt.Errorf("lines %d-%d: %d instructions became %d", e.Start, e.End, len(old), len(neu))
	}
	for i := range old {
		if !eq(bf, old[i].line, old[i].shape, neu[i].shape) {
			return fmt.Errorf("%s at line %d became %s, which BuildKit does not build the same way", old[i].shape, old[i].line, neu[i].shape)
		}
	}
	// Comments may be added (a fix may separate a description), never lost.
	j := 0
	for _, c := range newComments {
		if j < len(oldComments) && c == oldComments[j] {
			j++
		}
	}
	if j < len(oldComments) {
		return fmt.Errorf("lines %d-%d: comment %q was lost", e.Start, e.End, oldComments[j])
	}
	return nil
}

// stageBefore reports whether a stage named like name (in any case) is
// defined by a FROM before line.
func (fs *Facts) stageBefore(name string, line int) bool {
	for _, it := range fs.items {
		if it.line >= line {
			break
		}
		if s := it.shape; it.kind == itemInstruction && s.keyword == "from" && len(s.args) == 3 && strings.EqualFold(s.args[1], "as") && strings.EqualFold(s.args[2], name) {
			return true
		}
	}
	return false
}

// sameStageNameCase: BuildKit lower-cases stage names
// (instructions.parseBuildStageName) and looks every reference up
// lower-cased (dispatchStates.findStateByName: FROM, COPY --from,
// RUN --mount=from=). A stage name may change case; a reference may
// change case where it names a stage defined above it. ONBUILD triggers
// run in another build, where names mean other things: no change there.
func sameStageNameCase(fs *Facts, line int, a, b *shape) bool {
	if a.trigger != nil || sameShape(a, b, exact) {
		return sameShape(a, b, exact)
	}
	if a.keyword != b.keyword || a.json != b.json || len(a.args) != len(b.args) || len(a.flags) != len(b.flags) || !slices.Equal(a.heredocs, b.heredocs) {
		return false
	}
	isRef := func(x, y string) bool {
		return x == y || (strings.EqualFold(x, y) && y == strings.ToLower(y) && !strings.Contains(x, "$") && fs.stageBefore(x, line))
	}
	for i := range a.args {
		switch {
		case a.args[i] == b.args[i]:
		case a.keyword == "from" && i == 2 && strings.EqualFold(a.args[1], "as") && strings.EqualFold(a.args[2], b.args[2]) && b.args[2] == strings.ToLower(b.args[2]):
		case a.keyword == "from" && i == 0 && isRef(a.args[0], b.args[0]):
		default:
			return false
		}
	}
	for i := range a.flags {
		x, y := a.flags[i], b.flags[i]
		switch {
		case x == y:
		case (a.keyword == "copy" || a.keyword == "add") && strings.HasPrefix(x, "--from=") && strings.HasPrefix(y, "--from=") && isRef(x[7:], y[7:]):
		case a.keyword == "run" && strings.HasPrefix(x, "--mount=") && strings.HasPrefix(y, "--mount="):
			xs, ys := strings.Split(x[8:], ","), strings.Split(y[8:], ",")
			if len(xs) != len(ys) {
				return false
			}
			for j := range xs {
				kx, vx, _ := strings.Cut(xs[j], "=")
				ky, vy, _ := strings.Cut(ys[j], "=")
				if xs[j] != ys[j] && !(kx == ky && strings.EqualFold(kx, "from") && isRef(vx, vy)) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// sameExposeProtoCase: dispatchExpose stores each port as
// "PORT/"+strings.ToLower(proto) (portSpecs.parsePort): the protocol may
// change to lower case.
func sameExposeProtoCase(_ *Facts, _ int, a, b *shape) bool {
	if a.keyword != "expose" || a.trigger != nil || !sameShape(&shape{keyword: a.keyword, flags: a.flags, json: a.json, args: lowerProtos(a.args)}, &shape{keyword: b.keyword, flags: b.flags, json: b.json, args: b.args}, exact) {
		return sameShape(a, b, exact)
	}
	return true
}

func lowerProtos(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if p, proto, ok := strings.Cut(a, "/"); ok && !strings.Contains(a, "$") {
			a = p + "/" + strings.ToLower(proto)
		}
		out[i] = a
	}
	return out
}

// sameExposePorts: portSpecs.parsePort validates an IP and a host port in
// an EXPOSE word and then keeps only the container port and protocol. A
// word may lose them where BuildKit accepts them: the IP parses, the host
// port range parses and agrees with the container port's.
func sameExposePorts(_ *Facts, _ int, a, b *shape) bool {
	if a.keyword != "expose" || b.keyword != "expose" || a.trigger != nil || a.json || b.json || len(a.args) != len(b.args) || !slices.Equal(a.flags, b.flags) {
		return false
	}
	for i := range a.args {
		if a.args[i] != b.args[i] && exposeContainerPart(a.args[i]) != b.args[i] {
			return false
		}
	}
	return true
}

// exposeContainerPart returns the container port and protocol of an
// EXPOSE word with an IP or host port that BuildKit accepts and ignores,
// or "" when the word has none, or BuildKit would reject it, or it
// depends on an ARG.
func exposeContainerPart(w string) string {
	if strings.ContainsAny(w, "$\\`'\"") {
		return ""
	}
	parts := strings.Split(w, ":")
	if len(parts) == 1 {
		return ""
	}
	n := len(parts)
	ip, host, cont := strings.Join(parts[:n-2], ":"), parts[n-2], parts[n-1]
	port, proto, _ := strings.Cut(cont, "/")
	switch strings.ToLower(proto) {
	case "", "tcp", "udp", "sctp":
	default:
		return ""
	}
	if strings.HasPrefix(ip, "[") {
		h, _, err := net.SplitHostPort(ip + ":")
		if err != nil {
			return ""
		}
		ip = h
	}
	if ip != "" && net.ParseIP(ip) == nil {
		return ""
	}
	cs, ce, ok := portRange(port)
	if !ok {
		return ""
	}
	if host != "" {
		hs, he, ok := portRange(host)
		if !ok || (ce-cs != he-hs && ce != cs) {
			return ""
		}
	}
	return cont
}

func portRange(s string) (int, int, bool) {
	if s == "" {
		return 0, 0, false
	}
	lo, hi, isRange := strings.Cut(s, "-")
	a, err := strconv.ParseInt(lo, 10, 0)
	if err != nil || a < 0 || a > 65535 {
		return 0, 0, false
	}
	if !isRange || lo == hi {
		return int(a), int(a), true
	}
	b, err := strconv.ParseInt(hi, 10, 0)
	if err != nil || b < 0 || b > 65535 || b < a {
		return 0, 0, false
	}
	return int(a), int(b), true
}

// withoutTargetPlatform returns a FROM without --platform=$TARGETPLATFORM.
// A FROM without --platform builds for the target platform
// (dispatchContext.buildDispatchStates uses platformOpt.targetPlatform),
// which is what $TARGETPLATFORM expands to, unless a global ARG
// TARGETPLATFORM gives it a default of the file's own.
func withoutTargetPlatform(fs *Facts, a *shape) *shape {
	for _, it := range fs.items {
		if it.kind != itemInstruction {
			continue
		}
		if it.shape.keyword == "from" {
			break
		}
		if it.shape.keyword == "arg" {
			for _, w := range it.shape.args {
				// Without a default, the ARG keeps the value BuildKit gives it
				// (buildMetaArgs); with one, the file's own value applies.
				if k, _, hasDefault := strings.Cut(w, "="); k == "TARGETPLATFORM" && hasDefault {
					return a
				}
			}
		}
	}
	c := *a
	c.flags = slices.DeleteFunc(slices.Clone(a.flags), func(f string) bool {
		return f == "--platform=$TARGETPLATFORM" || f == "--platform=${TARGETPLATFORM}"
	})
	return &c
}

// sameKeyValues: ENV and LABEL store pairs; in both the legacy "key value"
// form and the "key=value" form, instructions.parseKvps keeps the raw key
// and value and the dispatcher expands each with BuildKit's shell lexer
// (ProcessWord). A pair may be rewritten where key and value read the same
// through that lexer, with every variable set and with none set.
func sameKeyValues(fs *Facts, _ int, a, b *shape) bool {
	if (a.keyword != "env" && a.keyword != "label") || a.keyword != b.keyword || a.trigger != nil || !slices.Equal(a.flags, b.flags) {
		return false
	}
	pa, pb := pairs(a.args), pairs(b.args)
	if len(pa) != len(pb) || len(pa) == 0 {
		return false
	}
	lex := bkshell.NewLex(rune(fs.dirs.escape))
	for i := range pa {
		for _, env := range []bkshell.EnvGetter{everyVar{}, noVar{}} {
			ka, err1 := processWord(lex, pa[i][0], env)
			kb, err2 := processWord(lex, pb[i][0], env)
			va, err3 := processWord(lex, pa[i][1], env)
			vb, err4 := processWord(lex, pb[i][1], env)
			if err1 != nil || err2 != nil || err3 != nil || err4 != nil || ka != kb || va != vb {
				return false
			}
		}
	}
	return true
}

// pairs reads the node chain of ENV or LABEL, which parseNameVal writes
// as key, value, separator triples.
func pairs(args []string) [][2]string {
	if len(args)%3 != 0 {
		return nil
	}
	var out [][2]string
	for i := 0; i < len(args); i += 3 {
		out = append(out, [2]string{args[i], args[i+1]})
	}
	return out
}

func processWord(lex *bkshell.Lex, w string, env bkshell.EnvGetter) (string, error) {
	s, _, err := lex.ProcessWord(w, env)
	return s, err
}

// everyVar sets every variable, to a value naming it.
type everyVar struct{}

func (everyVar) Get(k string) (string, bool) { return "\x00" + k + "\x00", true }
func (everyVar) Keys() []string              { return nil }

type noVar struct{}

func (noVar) Get(string) (string, bool) { return "", false }
func (noVar) Keys() []string            { return nil }

// sameWorkdir: dispatchWorkdir joins a relative path to the working
// folder in effect (system.NormalizeWorkdir); in a stage FROM scratch,
// before any WORKDIR, that is "/" (scratch's config has none). A relative
// WORKDIR there may become the absolute path it resolves to.
func sameWorkdir(fs *Facts, line int, a, b *shape) bool {
	if a.keyword != "workdir" || b.keyword != "workdir" || a.trigger != nil || len(a.args) != 1 || len(b.args) != 1 || !slices.Equal(a.flags, b.flags) {
		return false
	}
	if a.args[0] == b.args[0] {
		return true
	}
	var from *shape
	for _, it := range fs.items {
		if it.line >= line {
			break
		}
		if it.kind != itemInstruction {
			continue
		}
		switch it.shape.keyword {
		case "from":
			from = it.shape
		case "workdir":
			if from != nil {
				from = nil // a WORKDIR before: not scratch's "/" any more
			}
		}
	}
	if from == nil || len(from.args) == 0 || !strings.EqualFold(from.args[0], "scratch") || len(from.flags) > 0 {
		return false
	}
	p := a.args[0]
	return !strings.ContainsAny(p, "$\\`'\"") && !path.IsAbs(p) && b.args[0] == path.Join("/", p)
}

// sameExplicitShell: dispatchCmd and dispatchEntrypoint store a shell form
// as the SHELL in effect followed by the text (withShell), which is what
// the exec form naming that shell stores; HEALTHCHECK stores ["CMD-SHELL",
// text], which the daemon runs under the image's SHELL, and ["CMD", argv...]
// for the exec form: the same process, a different config (so the rule's
// fix for it is unsafe).
func sameExplicitShell(_ *Facts, _ int, a, b *shape) bool {
	if a.trigger != nil || a.json || !b.json || a.keyword != b.keyword || !slices.Equal(a.flags, b.flags) || a.argv == nil {
		return false
	}
	switch a.keyword {
	case "cmd", "entrypoint":
		return len(a.args) == 1 && slices.Equal(b.args, append(slices.Clone(a.argv), a.args[0]))
	case "healthcheck":
		return len(a.args) == 2 && strings.EqualFold(a.args[0], "cmd") && len(b.args) > 0 && b.args[0] == "CMD" &&
			slices.Equal(b.args[1:], append(slices.Clone(a.argv), a.args[1]))
	}
	return false
}

// sameStage compares a stage of the input with the same stage of the
// result, allowing what the fixes that touch FROM may change: the case of
// the stage's name and of a reference to an earlier stage, and a
// --platform=$TARGETPLATFORM removed.
func sameStage(first *Facts, a, b *shape) bool {
	c := withoutTargetPlatform(first, a)
	for _, x := range []*shape{a, c} {
		lx := *x
		lx.args = slices.Clone(x.args)
		if len(lx.args) == 3 && strings.EqualFold(lx.args[1], "as") {
			lx.args[1] = b.args[min(1, len(b.args)-1)]
		}
		if sameStageNameCase(first, a.line, &lx, b) {
			return true
		}
	}
	return false
}
