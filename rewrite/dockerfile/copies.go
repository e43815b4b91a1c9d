package dockerfile

import (
	"path"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	bkshell "github.com/moby/buildkit/frontend/dockerfile/shell"
)

// Files is what the Dockerfile says about the files of the image a stage
// builds: the COPY, ADD and RUN instructions that put or change them (for
// buildcontext.NewImage), and the WORKDIR and PATH in effect at its end,
// which is where its CMD, ENTRYPOINT and HEALTHCHECK run.
type Files struct {
	Ops     []buildcontext.Op
	Workdir string // "/" when none is set
	// Path is the PATH in effect: the last ENV PATH, else the resolved base
	// config's, else "" (the runtime's default).
	Path string
	// Unexpanded reports a COPY or ADD with a variable cmdfix could not
	// expand: it was left out of Ops.
	Unexpanded bool
}

// StageFiles reads the instructions of s and the in-file stages it is built
// on, with BuildKit's own instruction parser, expanding ARG and ENV values
// (global ARG defaults, the stage's ARG defaults and ENV; a resolved base
// config's ENV and WORKDIR when SetImages gave one) as BuildKit does for
// COPY and ADD.
func (f *File) StageFiles(s *Stage) Files {
	var fl Files
	env := map[string]string{}
	workdir := "/"
	if c, ok := f.BaseConfig(s); ok {
		for _, kv := range c.Env {
			if k, v, ok := strings.Cut(kv, "="); ok {
				env[k] = v
			}
		}
		if c.WorkingDir != "" {
			workdir = c.WorkingDir
		}
	}
	global := map[string]string{}
	for _, in := range f.Instructions {
		if in.Keyword == "from" {
			break
		}
		if a, ok := parseInstruction(in).(*instructions.ArgCommand); ok {
			for _, kv := range a.Args {
				if kv.Value != nil {
					global[kv.Key] = expandWord(f.Escape, *kv.Value, env, global)
				}
			}
		}
	}
	stages := orderRootFirst(s)
	args := map[string]string{}
	for _, st := range stages {
		for _, in := range st.Instructions {
			switch in.Keyword {
			case "copy", "add", "workdir", "env", "arg", "run":
			default:
				continue
			}
			v := parseInstruction(in)
			exp := func(w string) (string, error) { return expandWord(f.Escape, w, env, args), nil }
			switch c := v.(type) {
			case *instructions.ArgCommand:
				for _, kv := range c.Args {
					switch {
					case kv.Value != nil:
						args[kv.Key] = expandWord(f.Escape, *kv.Value, env, args)
					default:
						if g, ok := global[kv.Key]; ok {
							args[kv.Key] = g
						}
					}
				}
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					env[kv.Key] = expandWord(f.Escape, kv.Value, env, args)
				}
			case *instructions.WorkdirCommand:
				w, _ := exp(c.Path)
				if !path.IsAbs(w) {
					w = path.Join(workdir, w)
				}
				workdir = path.Clean(w)
			case *instructions.RunCommand:
				fl.Ops = append(fl.Ops, buildcontext.Op{Line: f.InputLine(in.Start), Kind: buildcontext.Run})
			case *instructions.CopyCommand:
				if hasVar(c.SourcePaths, c.DestPath, c.From) {
					if c.Expand(exp) != nil || hasVar(c.SourcePaths, c.DestPath, c.From) {
						fl.Unexpanded = true
						continue
					}
				}
				fl.Ops = append(fl.Ops, buildcontext.Op{Line: f.InputLine(in.Start), Kind: buildcontext.Copy,
					Sources: c.SourcePaths, Heredocs: heredocNames(c.SourceContents), Dest: c.DestPath,
					Workdir: workdir, From: c.From, Excludes: c.ExcludePatterns, Parents: c.Parents, Chmod: c.Chmod})
			case *instructions.AddCommand:
				if hasVar(c.SourcePaths, c.DestPath, "") {
					if c.Expand(exp) != nil || hasVar(c.SourcePaths, c.DestPath, "") {
						fl.Unexpanded = true
						continue
					}
				}
				fl.Ops = append(fl.Ops, buildcontext.Op{Line: f.InputLine(in.Start), Kind: buildcontext.Add,
					Sources: c.SourcePaths, Heredocs: heredocNames(c.SourceContents), Dest: c.DestPath,
					Workdir: workdir, Excludes: c.ExcludePatterns, Chmod: c.Chmod})
			}
		}
	}
	fl.Workdir = workdir
	fl.Path = env["PATH"]
	return fl
}

// orderRootFirst returns s's in-file chain from its root stage down to s.
func orderRootFirst(s *Stage) []*Stage {
	var out []*Stage
	for st := s; st != nil; st = st.Parent {
		out = append([]*Stage{st}, out...)
	}
	return out
}

// parseInstruction runs BuildKit's instruction parser on in; nil when it
// rejects it (BuildKit would fail the build there).
func parseInstruction(in *Instruction) (v any) {
	defer func() {
		if recover() != nil {
			v = nil
		}
	}()
	v, err := instructions.ParseInstruction(in.Node)
	if err != nil {
		return nil
	}
	return v
}

// expandWord expands variables in w as BuildKit's COPY and ADD do: ENV
// values over ARG values; unset ones are empty.
func expandWord(escape byte, w string, env, args map[string]string) string {
	if !strings.Contains(w, "$") {
		return w
	}
	vars := make([]string, 0, len(env)+len(args))
	for k, v := range args {
		if _, ok := env[k]; !ok {
			vars = append(vars, k+"="+v)
		}
	}
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	out, _, err := bkshell.NewLex(rune(escape)).ProcessWord(w, bkshell.EnvsFromSlice(vars))
	if err != nil {
		return w
	}
	return out
}

func hasVar(srcs []string, more ...string) bool {
	for _, s := range append(append([]string{}, srcs...), more...) {
		if strings.Contains(s, "$") {
			return true
		}
	}
	return false
}

func heredocNames(cs []instructions.SourceContent) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Path)
	}
	return out
}
