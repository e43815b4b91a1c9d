package resolve

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// clock is a settable time for the cache's max age.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// resolverAt returns a fresh Resolver (no memory of earlier calls) on the
// cache folder dir and clock.
func resolverAt(dir string, c *clock) *Resolver {
	return &Resolver{CacheDir: dir, MaxAge: time.Hour, Timeout: 20 * time.Second, now: c.now}
}

func entrypoint(t *testing.T, r *Resolver, ref string) []string {
	t.Helper()
	cfg, err := r.Resolve(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Entrypoint
}

func TestCacheWithoutNetwork(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	tr.push(t, tr.ref("app:1"), image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/one"}}))
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}

	cfg, err := resolverAt(dir, clk).Resolve(context.Background(), tr.ref("app:1"))
	if err != nil {
		t.Fatal(err)
	}
	byDigest := tr.ref("app@" + cfg.Digest)
	tr.Close()

	// Within the max age, by tag and by digest, with the registry gone.
	clk.advance(59 * time.Minute)
	for _, ref := range []string{tr.ref("app:1"), byDigest} {
		got, err := resolverAt(dir, clk).Resolve(context.Background(), ref)
		if err != nil {
			t.Fatalf("%s from the cache: %v", ref, err)
		}
		if !slices.Equal(got.Entrypoint, []string{"/one"}) || got.Digest != cfg.Digest || got.Ref != ref {
			t.Errorf("%s from the cache: %+v", ref, got)
		}
	}

	// Past it, the tag needs the registry; the digest never expires.
	clk.advance(2 * time.Minute)
	_, err = resolverAt(dir, clk).Resolve(context.Background(), tr.ref("app:1"))
	wantKind(t, err, tr.ref("app:1"), Unreachable)
	if _, err := resolverAt(dir, clk).Resolve(context.Background(), byDigest); err != nil {
		t.Errorf("by digest after the max age: %v", err)
	}

	// NoCache reads nothing.
	r := &Resolver{CacheDir: dir, NoCache: true, now: clk.now}
	_, err = r.Resolve(context.Background(), byDigest)
	wantKind(t, err, byDigest, Unreachable)
}

func TestCacheExpiry(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	ref := tr.ref("app:latest")
	tr.push(t, ref, image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/old"}}))
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}

	if got := entrypoint(t, resolverAt(dir, clk), ref); !slices.Equal(got, []string{"/old"}) {
		t.Fatalf("first: %q", got)
	}
	// The tag moves; within the max age the cache still answers, without
	// a request.
	tr.push(t, ref, image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/new"}}))
	before := tr.requests.Load()
	if got := entrypoint(t, resolverAt(dir, clk), ref); !slices.Equal(got, []string{"/old"}) {
		t.Errorf("within the max age: %q, want the cached [/old]", got)
	}
	if n := tr.requests.Load() - before; n != 0 {
		t.Errorf("within the max age: %d requests, want none", n)
	}
	// Past it, the registry is asked and the new image is seen.
	clk.advance(time.Hour)
	if got := entrypoint(t, resolverAt(dir, clk), ref); !slices.Equal(got, []string{"/new"}) {
		t.Errorf("past the max age: %q, want [/new]", got)
	}
	// A clock that went back before the entry's time does not make it
	// fresh forever: the registry is asked again.
	clk.advance(-24 * time.Hour)
	before = tr.requests.Load()
	entrypoint(t, resolverAt(dir, clk), ref)
	if tr.requests.Load() == before {
		t.Errorf("an entry from the future was trusted")
	}
}

// A stale tag that still names the same content is confirmed with a HEAD
// request and the cached config, without fetching the manifest or config.
func TestCacheStaleSameDigest(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	ref := tr.ref("app:1")
	tr.push(t, ref, image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/same"}}))
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	entrypoint(t, resolverAt(dir, clk), ref)

	clk.advance(2 * time.Hour)
	tr.takeLog()
	if got := entrypoint(t, resolverAt(dir, clk), ref); !slices.Equal(got, []string{"/same"}) {
		t.Fatalf("%q", got)
	}
	methods := tr.takeLog()
	if !slices.Contains(methods, "HEAD /v2/app/manifests/1") {
		t.Errorf("requests %q: no HEAD of the tag", methods)
	}
	for _, m := range methods {
		if strings.HasPrefix(m, "GET ") && m != "GET /v2/" {
			t.Errorf("request %s: the stale entry should have been confirmed with HEAD only", m)
		}
	}
	// The refreshed entry is fresh again: no request at all.
	clk.advance(30 * time.Minute)
	entrypoint(t, resolverAt(dir, clk), ref)
	if methods := tr.takeLog(); len(methods) != 0 {
		t.Errorf("requests after the refresh: %q", methods)
	}
}

func TestCacheCorruptAndForeignEntries(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	tr.push(t, tr.ref("a:1"), image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/a"}}))
	tr.push(t, tr.ref("b:1"), image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/b"}}))
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	entrypoint(t, resolverAt(dir, clk), tr.ref("a:1"))
	cfgB, err := resolverAt(dir, clk).Resolve(context.Background(), tr.ref("b:1"))
	if err != nil {
		t.Fatal(err)
	}
	c := &cache{dir: dir}
	const plat = "linux/amd64"
	refA := c.path("refs", tr.host+"/a:1", plat)
	refB := c.path("refs", tr.host+"/b:1", plat)
	for _, p := range []string{refA, refB} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("cache entry: %v", err)
		}
	}

	// a's tag entry is garbage; b's digest entry is cut short.
	if err := os.WriteFile(refA, []byte("\x00garbage{"), 0o600); err != nil {
		t.Fatal(err)
	}
	digestB := c.path("digests", cfgB.Digest, plat)
	b, err := os.ReadFile(digestB)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(digestB, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ ref, want string }{{tr.ref("a:1"), "/a"}, {tr.ref("b:1"), "/b"}} {
		before := tr.requests.Load()
		if got := entrypoint(t, resolverAt(dir, clk), tc.ref); !slices.Equal(got, []string{tc.want}) {
			t.Errorf("%s with a corrupt entry: %q", tc.ref, got)
		}
		if tr.requests.Load() == before {
			t.Errorf("%s: a corrupt entry was used", tc.ref)
		}
	}
	// Both were rewritten whole.
	var re refEntry
	if b, err := os.ReadFile(refA); err != nil || json.Unmarshal(b, &re) != nil || re.Ref != tr.host+"/a:1" {
		t.Errorf("a's entry not rewritten: %s %v", b, err)
	}
	var de digestEntry
	if b, err := os.ReadFile(digestB); err != nil || json.Unmarshal(b, &de) != nil || de.Digest != cfgB.Digest {
		t.Errorf("b's digest entry not rewritten: %s %v", b, err)
	}

	// A foreign entry: b's tag entry copied over a's file. It parses, but
	// names another reference, so it is not believed.
	b, err = os.ReadFile(refB)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(refA, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := entrypoint(t, resolverAt(dir, clk), tr.ref("a:1")); !slices.Equal(got, []string{"/a"}) {
		t.Errorf("a with b's entry: %q", got)
	}
	// An entry of another cache version is not believed either.
	re.Version = cacheVersion + 1
	re.Digest = cfgB.Digest
	b, _ = json.Marshal(re)
	if err := os.WriteFile(refA, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := entrypoint(t, resolverAt(dir, clk), tr.ref("a:1")); !slices.Equal(got, []string{"/a"}) {
		t.Errorf("a with a newer version's entry: %q", got)
	}
	// No temporary files are left behind.
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %q", leftovers)
	}
}

// Concurrent resolutions, in one Resolver and across Resolvers sharing a
// cache folder, all get the right answer.
func TestCacheConcurrent(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	refs := map[string]string{}
	for _, n := range []string{"a", "b", "c", "d"} {
		refs[tr.ref(n+":1")] = "/" + n
		tr.push(t, tr.ref(n+":1"), image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/" + n}}))
	}
	dir := t.TempDir()
	shared := &Resolver{CacheDir: dir, MaxParallel: 2}
	var wg sync.WaitGroup
	for i := range 8 {
		for ref, want := range refs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := shared
				if i%2 == 1 {
					r = &Resolver{CacheDir: dir}
				}
				cfg, err := r.Resolve(context.Background(), ref)
				if err != nil {
					t.Error(err)
					return
				}
				if !slices.Equal(cfg.Entrypoint, []string{want}) {
					t.Errorf("%s: %q, want [%s]", ref, cfg.Entrypoint, want)
				}
			}()
		}
	}
	wg.Wait()
}
