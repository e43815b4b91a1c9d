package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/cache"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
)

// The result cache (package cache) spares a run the engine for files it
// has seen with the same settings: every run that does not write (--check,
// -l, -d, the reports, printing to standard output), and -w's decision
// that a file has nothing to change. Standard input is never cached: an
// editor sends a different buffer on nearly every call, and each would
// leave an entry behind. The language server does not use it either.

// buildID identifies this cmdfix binary for the cache key. Tests replace
// it to stand for another version.
var buildID = sync.OnceValue(func() string {
	var b strings.Builder
	bi, ok := debug.ReadBuildInfo()
	if ok {
		// The module version, the Go version, every dependency's version
		// and sum, and the build settings (vcs.revision, vcs.modified,
		// tags, GOARCH...).
		b.WriteString(bi.String())
	}
	if !ok || !cleanRelease(bi) {
		// A development build (a dirty tree, go run, a test binary, or no
		// VCS stamp at all) does not say which code it holds: two builds
		// of different code report the same. The executable's path, size
		// and modification time tell them apart; hashing its ~15 MB would
		// cost more than a whole warm run. A rebuild always writes a new
		// file, so its time changes; the worst a copy of the same binary
		// can do is miss.
		exe, err := os.Executable()
		if err != nil {
			return "" // no identity: no cache (see cacheKey)
		}
		fi, err := os.Stat(exe)
		if err != nil {
			return ""
		}
		fmt.Fprintf(&b, "\nexecutable %s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
	}
	return b.String()
})

// cleanRelease reports whether the build names its code exactly: a module
// version from a proxy (go install ...@v1.2.3), or a VCS revision of a
// clean tree.
func cleanRelease(bi *debug.BuildInfo) bool {
	var rev string
	modified := true
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" {
		return !modified
	}
	v := bi.Main.Version
	return v != "" && v != "(devel)" && !strings.Contains(v, "+dirty")
}

// defaultCacheDir is where results are kept unless the flags or settings
// say otherwise: the user's cache folder, cmdfix/results. Empty when
// there is none (no cache).
var defaultCacheDir = sync.OnceValue(func() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "cmdfix", "results")
})

// cacheDirFor returns the cache folder for a file with settings file fc
// (nil when none), or "" for no cache: --no-cache, then --cache-dir, then
// the settings file's cache and cache-dir, then the default.
func (c *config) cacheDirFor(fc *fileConfig) string {
	switch {
	case c.noCache:
		return ""
	case c.cacheDir != "":
		return c.cacheDir
	case fc != nil && fc.Cache != nil && !*fc.Cache:
		return ""
	case fc != nil && fc.CacheDir != nil:
		d := *fc.CacheDir
		if !filepath.IsAbs(d) && fc.dir != "" {
			d = filepath.Join(fc.dir, d)
		}
		return d
	}
	return defaultCacheDir()
}

// caches holds the stores a run opened, by folder.
type caches struct {
	mu     sync.Mutex
	stores map[string]*cache.Store // nil: the folder cannot be used
}

// store returns the store in dir, or nil when dir is "" or cannot be
// used: a cache that cannot be opened only makes the run slower.
func (cs *caches) store(dir string) *cache.Store {
	if dir == "" {
		return nil
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	if s, ok := cs.stores[dir]; ok {
		return s
	}
	if cs.stores == nil {
		cs.stores = map[string]*cache.Store{}
	}
	s, err := cache.Open(dir, cache.Options{})
	if err != nil {
		s = nil
	}
	cs.stores[dir] = s
	return s
}

// close writes each store's new entries and keeps it within its size
// bound.
func (cs *caches) close() {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for _, s := range cs.stores {
		if s != nil {
			s.Close()
			s.MaybeTrim()
		}
	}
}

// cacheKey is the key of a job's result: the build, every setting that
// changes the result, the file's name as reported and its bytes.
func cacheKey(j *job, js jobSettings) (cache.Key, bool) {
	id := buildID()
	if id == "" {
		return cache.Key{}, false
	}
	h := cache.NewHasher(id)
	o := js.opts
	rs := o.Rules
	if rs == nil {
		rs = ruleSet
	}
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = r.Name
	}
	h.AddStrings("rules", names) // in order: it is the fixes' priority
	h.AddStrings("disable", o.Disable)
	if o.Images != nil {
		// Base image configs come from registries, which change: such a
		// run is never cached.
		return cache.Key{}, false
	}
	h.AddString("options", fmt.Sprintf("unsafe=%t split=%t no-format=%t indent=%d explicit-shell=%t", o.Unsafe, o.Split, o.NoFormat, o.Indent, o.ExplicitShell))
	buildArgs := make([]string, 0, len(o.BuildArgs))
	for k, v := range o.BuildArgs {
		buildArgs = append(buildArgs, k+"="+v)
	}
	slices.Sort(buildArgs)
	h.AddStrings("build-args", buildArgs)
	// The files read from the build context are the entry's inputs (see
	// contextInputs); which context it is belongs to the key.
	contextRoot := ""
	if o.Context != nil {
		contextRoot = o.Context.Root()
	}
	h.AddString("context", contextRoot)
	sev := make([]string, 0, len(js.severity))
	for r, s := range js.severity {
		sev = append(sev, fmt.Sprintf("%s=%d", r, s))
	}
	slices.Sort(sev)
	h.AddStrings("severity", sev)
	h.AddString("fail-on", fmt.Sprint(int(js.failOn)))
	h.AddString("name", j.path)
	h.Add("source", j.src)
	return h.Sum(), true
}

// cached looks a job's result up. With -w only a result that changes
// nothing is used: a file to change is processed again, so what is
// written was checked by the safety net in this run.
func (r *runner) cached(j *job, js jobSettings) (store *cache.Store, key cache.Key, hit bool) {
	if j.stdin {
		return nil, key, false
	}
	store = r.caches.store(js.cacheDir)
	if store == nil {
		return nil, key, false
	}
	key, ok := cacheKey(j, js)
	if !ok {
		return nil, key, false
	}
	e, ok := store.Get(key, j.src, currentInput)
	if !ok || (r.cfg.write && e.Changed) {
		return store, key, false
	}
	res := &rewrite.Result{Changed: e.Changed, Findings: e.Findings, Output: e.Output}
	if !e.Changed {
		res.Output = j.src
	}
	j.result = res
	return store, key, true
}

// remember stores a job's result, unless -w is about to change the file
// (the entry would name content that is gone).
func (r *runner) remember(store *cache.Store, key cache.Key, j *job, js jobSettings) {
	if store == nil || j.result == nil || (r.cfg.write && j.result.Changed) {
		return
	}
	e := &cache.Entry{Changed: j.result.Changed, Findings: j.result.Findings, Inputs: contextInputs(js.opts.Context)}
	if e.Changed {
		e.Output = j.result.Output
	}
	store.Put(key, e, j.src)
}

// contextInputs are the paths of the build context the run looked at,
// each with its metadata: the result stands only while none of them
// changes (a file's size, mode or modification time; a folder's, which
// changes when an entry is added or removed; whether it exists).
func contextInputs(ctx *buildcontext.Context) []cache.Input {
	if ctx == nil {
		return nil
	}
	var out []cache.Input
	for _, p := range ctx.Touched() {
		in := cache.Input{Kind: "context", Name: p}
		in.Digest, _ = currentInput(in)
		out = append(out, in)
	}
	return out
}

// currentInput returns an input's metadata as it is now.
func currentInput(in cache.Input) (string, bool) {
	if in.Kind != "context" {
		return "", false
	}
	info, err := os.Lstat(in.Name)
	if err != nil {
		return "absent", true
	}
	return fmt.Sprintf("%s %d %d", info.Mode(), info.Size(), info.ModTime().UnixNano()), true
}
