package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/images/resolve"
)

// What --resolve-images does: each base image's config is read from its
// registry (rewrite/images/resolve, with its disk cache) once per run, and
// given to the engine. A failure is one line on standard error naming the
// image, and the built-in table answers for it; an image the table knows
// whose config disagrees with the table's row is reported once too, so
// that the table can be checked against the registries.

// resolveFunc reads one image config: (*resolve.Resolver).ResolvePlatform,
// or a test's stand-in.
type resolveFunc func(ctx context.Context, ref, platform string) (resolve.Config, error)

// imageResolver is the run's resolver: it remembers which images it has
// spoken about, so that each failure and each disagreement is told once.
type imageResolver struct {
	resolve resolveFunc
	mu      sync.Mutex
	told    map[string]bool
	answers map[string]*answer
}

// answer is one image's config, resolved once for the run.
type answer struct {
	once sync.Once
	c    resolve.Config
	err  error
}

func newImageResolver(f resolveFunc) *imageResolver {
	return &imageResolver{resolve: f, told: map[string]bool{}, answers: map[string]*answer{}}
}

// get resolves an image once per run, however many files name it.
func (r *imageResolver) get(ctx context.Context, ref, platform string) (resolve.Config, error) {
	key := ref + "\x00" + platform
	r.mu.Lock()
	a := r.answers[key]
	if a == nil {
		a = &answer{}
		r.answers[key] = a
	}
	r.mu.Unlock()
	a.once.Do(func() { a.c, a.err = r.resolve(ctx, ref, platform) })
	return a.c, a.err
}

// forJob returns the images.Resolver the engine uses for one file: the
// messages it has to give land in notes, which the runner prints with the
// file's other output.
func (r *imageResolver) forJob(notes *jobNotes) images.Resolver {
	return jobResolver{r: r, notes: notes}
}

// jobNotes gathers the lines a job prints on standard error before its
// findings. The engine resolves a file's images in parallel.
type jobNotes struct {
	mu    sync.Mutex
	lines []string
}

func (n *jobNotes) add(s string) {
	n.mu.Lock()
	n.lines = append(n.lines, s)
	n.mu.Unlock()
}

func (n *jobNotes) take() []string {
	if n == nil {
		return nil
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	out := n.lines
	n.lines = nil
	return out
}

type jobResolver struct {
	r     *imageResolver
	notes *jobNotes
}

func (j jobResolver) Resolve(ctx context.Context, ref, platform string) (images.Config, error) {
	c, err := j.r.get(ctx, ref, platform)
	key := ref + "\x00" + platform
	j.r.mu.Lock()
	first := !j.r.told[key]
	j.r.told[key] = true
	j.r.mu.Unlock()
	if err != nil {
		if first {
			j.notes.add(fmt.Sprintf("cmdfix: cannot resolve base %s; using the built-in table", err))
		}
		return images.Config{}, err
	}
	if first {
		for _, d := range tableDisagreements(ref, c) {
			j.notes.add(fmt.Sprintf("cmdfix: base image %s: the built-in table disagrees with its registry: %s", ref, d))
		}
	}
	return images.Config{OS: c.OS, Entrypoint: c.Entrypoint, Cmd: c.Cmd, Shell: c.Shell, WorkingDir: c.WorkingDir, Env: c.Env}, nil
}

// tableDisagreements compares the table's row for ref, if it has one, with
// the resolved config.
func tableDisagreements(ref string, c resolve.Config) []resolve.Difference {
	info, ok := images.Lookup(ref)
	if !ok {
		return nil
	}
	row := resolve.Row{Cmd: info.Cmd, Windows: dockerfile.WindowsImage(ref)}
	if info.EntrypointText != "" {
		if err := json.Unmarshal([]byte(info.EntrypointText), &row.Entrypoint); err != nil {
			return nil
		}
	}
	return resolve.Compare(row, c)
}
