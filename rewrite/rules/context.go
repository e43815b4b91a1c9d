package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/shell"
	"mvdan.cc/sh/v3/syntax"
)

// What the build context says about the programs the image runs: the rules
// that need it (exec-form, entrypoint-script, entrypoint-cmd) ask here.

// defaultPath is the PATH Docker's Linux images run with when neither the
// image nor the Dockerfile sets one.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// ctxProgram is what the build context tells about the program an
// instruction runs.
type ctxProgram struct {
	// Status is buildcontext's: Found (File is the context file),
	// Excluded, NotFromContext or Unknown.
	Status buildcontext.Status
	File   buildcontext.File
	// ImagePath is the absolute path in the image the program was looked
	// up at (after WORKDIR and PATH).
	ImagePath string
	// Notes are the assumptions made on the way.
	Notes []string
}

// programInStage looks up prog (argv[0] of an exec-form command, or of the
// simple command shell form runs) in the files stage s builds from the
// context: an absolute path as is, a relative path with a "/" against the
// WORKDIR, a bare name in each folder of PATH. ok is false when prog has a
// variable or is empty.
func programInStage(p *rule.Pass, s *dockerfile.Stage, prog string) (ctxProgram, bool) {
	if prog == "" || strings.Contains(prog, "$") || s == nil {
		return ctxProgram{}, false
	}
	fl := p.File.StageFiles(s)
	base := buildcontext.NewImage(p.Context, fl.Ops)
	im := lookupFunc(func(ip string) (buildcontext.File, buildcontext.Status) {
		f, st := base.Lookup(ip)
		if st == buildcontext.Unknown && p.Context == nil && f.Line == 0 {
			// no COPY or ADD puts anything there: without a context,
			// Lookup cannot tell, but nothing suggests the context
			st = buildcontext.NotFromContext
		}
		return f, st
	})
	var notes []string
	if fl.Unexpanded {
		notes = append(notes, "a COPY or ADD with a variable cmdfix could not expand may put another file there")
	}
	if strings.Contains(prog, "/") {
		ip := prog
		if !path.IsAbs(ip) {
			ip = path.Join(fl.Workdir, ip)
		}
		f, st := im.Lookup(ip)
		return ctxProgram{Status: st, File: f, ImagePath: path.Clean(ip), Notes: append(notes, f.Notes...)}, true
	}
	dirs := fl.Path
	if dirs == "" {
		if c, ok := p.File.BaseConfig(s); ok {
			for _, kv := range c.Env {
				if v, ok := strings.CutPrefix(kv, "PATH="); ok {
					dirs = v
				}
			}
		}
	}
	if dirs == "" {
		dirs = defaultPath
	}
	var first *ctxProgram
	for _, d := range strings.Split(dirs, ":") {
		if !path.IsAbs(d) {
			continue
		}
		ip := path.Join(d, prog)
		f, st := im.Lookup(ip)
		if st == buildcontext.NotFromContext {
			continue
		}
		cp := ctxProgram{Status: st, File: f, ImagePath: ip, Notes: append(notes, f.Notes...)}
		if st == buildcontext.Found && d != strings.Split(dirs, ":")[0] {
			cp.Notes = append(cp.Notes, fmt.Sprintf("assuming no earlier folder of PATH holds a %s of the base image", prog))
		}
		first = &cp
		break
	}
	if first == nil {
		return ctxProgram{Status: buildcontext.NotFromContext, ImagePath: prog}, true
	}
	return *first, true
}

// scriptWithoutShebang reports a program that comes from a context file
// the kernel cannot execute: text without a "#!" line.
func (c ctxProgram) scriptWithoutShebang() bool {
	return c.Status == buildcontext.Found && c.File.Kind().Kind == buildcontext.KindScriptNoShebang
}

// origin says where the program comes from, for messages: "`/start.sh`
// comes from start.sh in the build context".
func (c ctxProgram) origin(prog string) string {
	s := "`" + clip.N(prog, 60) + "`"
	if prog != c.ImagePath {
		s += " (" + clip.N(c.ImagePath, 60) + " in the image)"
	}
	return s + " comes from " + clip.N(c.File.Rel, 60) + " in the build context"
}

// assumption states what a message assumes about a program the context
// could not tell about ("" when there is nothing to state: the program
// does not come from the context).
func (c ctxProgram) assumption(prog string) string {
	switch {
	case c.Status == buildcontext.Unknown, c.Status == buildcontext.Excluded:
		return fmt.Sprintf("assuming `%s` starts with #! or is a binary: %s", clip.N(prog, 60), c.File.Reason)
	case c.Status == buildcontext.NotFromContext && path.Ext(prog) == ".sh" && c.File.Reason != "":
		// a script made by a RUN or taken from the base image: cmdfix
		// cannot read it, and scripts are where a #! line goes missing
		return fmt.Sprintf("assuming `%s` starts with #!: %s", clip.N(prog, 60), c.File.Reason)
	}
	return ""
}

// judgeWithContext revises exec-form's verdict on a simple command with
// what the build context says about the program it runs: a context file
// without "#!" only runs because /bin/sh falls back to reading it as a
// script after execve fails with ENOEXEC, so exec form would fail to
// start; a program the context cannot tell about keeps the verdict, with
// the assumption stated.
func judgeWithContext(p *rule.Pass, in *dockerfile.Instruction, v *execVerdict) *execVerdict {
	if v == nil || len(v.argv) == 0 || in.Stage == nil {
		return v
	}
	prog := v.argv[0]
	cp, ok := programInStage(p, in.Stage, prog)
	if !ok {
		return v
	}
	if !cp.scriptWithoutShebang() {
		if a := cp.assumption(prog); a != "" {
			if strings.HasSuffix(v.msg, ")") { // one parenthesis for every assumption
				v.msg = v.msg[:len(v.msg)-1] + "; " + a + ")"
			} else {
				v.msg += " (" + a + ")"
			}
		}
		return v
	}
	why := cp.origin(prog) + ", which has no #! line: /bin/sh runs it as a script today, exec form would fail with exec format error"
	nv := left("script without #! in the build context", "stays in shell form: %s", why)
	nv.text = v.text
	if v.outcome != outcomeConverted {
		return nv
	}
	argv := append([]string{"/bin/sh", cp.ImagePath}, v.argv[1:]...)
	fix, _ := execFormFix(p.File, in, argv, "")
	if fix == nil {
		return nv
	}
	kw := strings.ToUpper(in.Keyword)
	if in.Keyword == "healthcheck" {
		kw = "HEALTHCHECK CMD"
	}
	j, _ := dockerfile.JSONArray(argv)
	fix.Safety = rule.Unsafe
	fix.Message = "write " + kw + " " + clip.Text(j)
	nv.outcome, nv.fix, nv.argv = outcomeUnsafe, fix, argv
	nv.msg += fmt.Sprintf("; the unsafe fix writes %s, the command /bin/sh runs after execve refuses the script", argvText(argv))
	if in.Keyword != "healthcheck" {
		nv.msg += ", and makes that shell PID 1 in place of /bin/sh -c"
	}
	return nv
}

type lookupFunc func(string) (buildcontext.File, buildcontext.Status)

func (l lookupFunc) Lookup(p string) (buildcontext.File, buildcontext.Status) { return l(p) }

// baseInfo is what is known about the external image s's chain starts
// from: its resolved config when the driver resolved it, else the table.
func baseInfo(f *dockerfile.File, s *dockerfile.Stage) (images.Info, bool) {
	if c, ok := f.BaseConfig(s); ok {
		ref := c.Ref
		if ref == "" {
			ref = f.ExpandArgDefaults(s.ExternalBase())
		}
		return images.Classify(ref, c), true
	}
	return images.Lookup(s.ExternalBase())
}

// entrypointScript finds the script an exec-form ENTRYPOINT's argv runs,
// past init and privilege-dropping wrappers (tini --, gosu USER) and a
// shell that reads it (["sh", "/entrypoint.sh"]). shellPath is that shell,
// "" when the script is run directly. ok is false when argv names no such
// program.
func entrypointScript(argv []string) (prog, shellPath string, ok bool) {
	i := 0
	for i < len(argv) {
		name := path.Base(argv[i])
		if n, ok := wrappers[strings.TrimSuffix(name, "-static")]; ok {
			i++
			for i < len(argv) && strings.HasPrefix(argv[i], "-") {
				if argv[i] == "--" {
					i++
					break
				}
				i++
			}
			i += n
			continue
		}
		if scriptShells[name] && i+1 < len(argv) && !strings.HasPrefix(argv[i+1], "-") {
			shellPath = argv[i]
			i++
		}
		break
	}
	if i >= len(argv) {
		return "", "", false
	}
	return argv[i], shellPath, true
}

// entryScript is the context script an exec-form ENTRYPOINT runs, as
// readEntrypointScript read it.
type entryScript struct {
	prog, shellPath string
	file            buildcontext.File
	data            []byte // as read, with a #! line for shellPath added in front
	offset          int    // 1 when that line was added
}

// readEntrypointScript reads the context script ep runs in stage s; the
// reason says why when it cannot (not from the context, unreadable, too
// large). A script a named shell reads gets that shell's "#!" line in
// front, so that it is parsed in its dialect.
func readEntrypointScript(p *rule.Pass, s *dockerfile.Stage, ep *dockerfile.Instruction) (entryScript, string) {
	prog, sh, ok := entrypointScript(ep.Args())
	if !ok {
		return entryScript{}, "the ENTRYPOINT names no script"
	}
	cp, ok := programInStage(p, s, prog)
	if !ok {
		return entryScript{}, fmt.Sprintf("cmdfix cannot look up `%s`", clip.N(prog, 60))
	}
	if cp.Status != buildcontext.Found {
		if cp.File.Reason != "" {
			return entryScript{}, cp.File.Reason
		}
		return entryScript{}, fmt.Sprintf("`%s` is not taken from the build context", clip.N(prog, 60))
	}
	data, reason := cp.File.Script()
	if reason != "" {
		return entryScript{}, reason
	}
	es := entryScript{prog: prog, shellPath: sh, file: cp.File, data: data}
	if sh != "" {
		es.data = append([]byte("#!"+sh+"\n"), data...)
		es.offset = 1
	}
	return es, ""
}

// argsUse says how a script uses "$@": "command" when it runs its
// arguments as a command (exec "$@", exec gosu app "$@", "$@" &), with the
// script line; "arguments" when it passes them to a program it names
// (exec sshd -D "$@"); "" when it does neither, or cannot be parsed.
func (es entryScript) argsUse() (use string, line int) {
	_, lang, ok, _ := shell.ShebangVariant(es.data)
	if !ok {
		return "", 0
	}
	f, err := shell.Parse(string(es.data), lang)
	if err != nil {
		return "", 0
	}
	syntax.Walk(f, func(n syntax.Node) bool {
		ce, ok := n.(*syntax.CallExpr)
		if !ok || use == "command" {
			return use != "command"
		}
		words := make([]string, len(ce.Args))
		for i, w := range ce.Args {
			var sb strings.Builder
			syntax.NewPrinter().Print(&sb, w)
			words[i] = sb.String()
		}
		first := 0
		for first < len(words) {
			name := path.Base(strings.Trim(words[first], `"'`))
			if name == "exec" {
				first++
				continue
			}
			if n, ok := wrappers[strings.TrimSuffix(name, "-static")]; ok {
				first++
				for first < len(words) && strings.HasPrefix(words[first], "-") {
					first++
					if words[first-1] == "--" {
						break
					}
				}
				first += n
				continue
			}
			break
		}
		for i := first; i < len(words); i++ {
			if isAllArgs(words[i]) {
				l := int(ce.Pos().Line()) - es.offset
				if i == first {
					use, line = "command", l
					return false
				}
				if use == "" {
					use, line = "arguments", l
				}
			}
		}
		return true
	})
	return use, line
}

// isAllArgs reports a word that is all the arguments, "$@" or ${@}.
func isAllArgs(w string) bool {
	switch w {
	case `"$@"`, `$@`, `"${@}"`, `${@}`, `"$*"`, `$*`:
		return true
	}
	return false
}

// baseCmdAdvice is entrypoint-cmd's message for an exec-form ENTRYPOINT
// that discards the base image's CMD (lost names it), "" when there is
// nothing to say. Repeating that CMD is right only for an ENTRYPOINT that
// runs its arguments as a command; a base image's CMD is usually a shell
// (alpine's /bin/sh), which an entrypoint script that passes its arguments
// to its own program would hand to that program.
func (c *epCmdCheck) baseCmdAdvice(ep *dockerfile.Instruction, lost string) string {
	prog := ep.Args()[0]
	head := fmt.Sprintf("this ENTRYPOINT discards %s, because the stage sets no CMD of its own", lost)
	repeat := "repeat that CMD after the ENTRYPOINT if it was meant to be kept"
	script, _, named := entrypointScript(ep.Args())
	if !named {
		// a runner with nothing after it (["/sbin/tini", "--"]): it runs
		// its arguments and nothing else
		return fmt.Sprintf("%s, so %s runs with no command to start; %s", head, prog, repeat)
	}
	es, reason := readEntrypointScript(c.p, c.s, ep)
	if reason != "" {
		if isRunner(ep.Args()) && !strings.Contains(strings.ToLower(path.Base(script)), "entrypoint") {
			return fmt.Sprintf("%s, so %s runs with no command to start; %s", head, prog, repeat)
		}
		return fmt.Sprintf(`%s; repeat that CMD after the ENTRYPOINT only if %s runs its arguments as a command (exec "$@"), not if it passes them to its own program, which would then receive %s (cmdfix could not read the script: %s)`,
			head, "`"+clip.N(script, 60)+"`", clipCmd(c.base.Cmd), reason)
	}
	where := "`" + clip.N(es.prog, 60) + "` (" + clip.N(es.file.Rel, 60) + " in the build context)"
	switch use, line := es.argsUse(); use {
	case "command":
		return fmt.Sprintf(`%s, so %s runs with no command to start: it runs its arguments as a command at line %d of the script; %s`, head, where, line, repeat)
	case "arguments":
		return "" // it passes them to its own program: the base CMD was never meant for it
	}
	return "" // it ignores its arguments: entrypoint-script reports that
}

// clipCmd shows a CMD for messages.
func clipCmd(cmd []string) string {
	j, _ := dockerfile.JSONArray(cmd)
	return "`" + clip.N(j, 60) + "`"
}
