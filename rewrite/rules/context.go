package rules

import (
	"fmt"
	"path"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/rule"
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
	switch c.Status {
	case buildcontext.Unknown, buildcontext.Excluded:
		return fmt.Sprintf("assuming `%s` starts with #! or is a binary: %s", clip.N(prog, 60), c.File.Reason)
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
			v.msg += " (" + a + ")"
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
