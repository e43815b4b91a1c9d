package resolve

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/internal/registrytest"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// testRegistry is go-containerregistry's in-process registry on
// 127.0.0.1, counting the requests it serves.
type testRegistry struct {
	*httptest.Server
	host     string
	requests atomic.Int64

	mu  sync.Mutex
	log []string // "METHOD path" of each request
}

// takeLog returns the requests served since the last call.
func (tr *testRegistry) takeLog() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	log := tr.log
	tr.log = nil
	return log
}

// newRegistry starts a registry; with user set, every request must carry
// that user's basic-auth credentials.
func newRegistry(t *testing.T, user, password string) *testRegistry {
	t.Helper()
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	tr := &testRegistry{}
	tr.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		tr.requests.Add(1)
		tr.mu.Lock()
		tr.log = append(tr.log, req.Method+" "+req.URL.Path)
		tr.mu.Unlock()
		if user != "" {
			if u, p, ok := req.BasicAuth(); !ok || u != user || p != password {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
		}
		reg.ServeHTTP(w, req)
	}))
	t.Cleanup(tr.Close)
	tr.host = strings.TrimPrefix(tr.URL, "http://")
	return tr
}

// ref names repo:tag on the registry.
func (tr *testRegistry) ref(repoTag string) string { return tr.host + "/" + repoTag }

// image builds an image whose config holds os/arch and cfg.
func image(t *testing.T, os, arch string, cfg v1.Config) v1.Image {
	t.Helper()
	img, err := registrytest.Image(os, arch, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// pushOptions write as the given user, or anonymously.
func pushOptions(user, password string) []remote.Option {
	if user == "" {
		return nil
	}
	return []remote.Option{remote.WithAuth(&authn.Basic{Username: user, Password: password})}
}

func (tr *testRegistry) push(t *testing.T, ref string, img v1.Image, opts ...remote.Option) {
	t.Helper()
	n, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(n, img, opts...); err != nil {
		t.Fatal(err)
	}
}

func (tr *testRegistry) pushIndex(t *testing.T, ref string, idx v1.ImageIndex) {
	t.Helper()
	n, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(n, idx); err != nil {
		t.Fatal(err)
	}
}

// hermetic points the default keychain at an empty configuration, so that
// the machine's own credentials play no part.
func hermetic(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("DOCKER_CONFIG", filepath.Join(dir, ".docker"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, ".config"))
	t.Setenv("XDG_RUNTIME_DIR", "")
	t.Setenv("REGISTRY_AUTH_FILE", "")
	return dir
}

// newResolver returns a Resolver caching in a fresh folder.
func newResolver(t *testing.T) *Resolver {
	return &Resolver{CacheDir: t.TempDir(), Timeout: 20 * time.Second}
}

// wantKind checks that err is an *Error of kind k naming ref.
func wantKind(t *testing.T, err error, ref string, k Kind) {
	t.Helper()
	var rerr *Error
	if !errors.As(err, &rerr) {
		t.Fatalf("error %v (%T), want an *Error", err, err)
	}
	if rerr.Kind != k {
		t.Fatalf("error kind %v, want %v: %v", rerr.Kind, k, err)
	}
	if want := "image " + ref + ": " + k.String() + ": "; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %q does not start with %q", err, want)
	}
	if strings.Contains(err.Error(), k.String()+": "+k.String()) {
		t.Fatalf("error %q repeats its kind", err)
	}
	if strings.Contains(err.Error(), "\n") {
		t.Fatalf("error %q is not one line", err)
	}
}

func TestResolveEntrypoints(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	tr.push(t, tr.ref("db:16"), image(t, "linux", "amd64", v1.Config{
		Entrypoint: []string{"docker-entrypoint.sh"},
		Cmd:        []string{"postgres"},
		WorkingDir: "/var/lib/postgresql",
		User:       "postgres",
		Env:        []string{"PGDATA=/var/lib/postgresql/data"},
	}))
	tr.push(t, tr.ref("base:1"), image(t, "linux", "amd64", v1.Config{Cmd: []string{"/bin/sh"}}))
	tr.push(t, tr.ref("bash:1"), image(t, "linux", "amd64", v1.Config{Shell: []string{"/bin/bash", "-o", "pipefail", "-c"}, OnBuild: []string{"RUN echo child"}}))
	r := newResolver(t)
	ctx := context.Background()

	cfg, err := r.Resolve(ctx, tr.ref("db:16"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Entrypoint, []string{"docker-entrypoint.sh"}) || !slices.Equal(cfg.Cmd, []string{"postgres"}) {
		t.Errorf("db: ENTRYPOINT %q CMD %q", cfg.Entrypoint, cfg.Cmd)
	}
	if cfg.WorkingDir != "/var/lib/postgresql" || cfg.User != "postgres" || !slices.Equal(cfg.Env, []string{"PGDATA=/var/lib/postgresql/data"}) {
		t.Errorf("db: WORKDIR %q USER %q ENV %q", cfg.WorkingDir, cfg.User, cfg.Env)
	}
	if cfg.OS != "linux" || cfg.Windows() || cfg.Architecture != "amd64" || cfg.Ref != tr.ref("db:16") {
		t.Errorf("db: OS %q arch %q ref %q", cfg.OS, cfg.Architecture, cfg.Ref)
	}
	if !strings.HasPrefix(cfg.Digest, "sha256:") || cfg.Digest != cfg.ImageDigest {
		t.Errorf("db: digest %q, image digest %q", cfg.Digest, cfg.ImageDigest)
	}

	cfg, err = r.Resolve(ctx, tr.ref("base:1"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Entrypoint != nil || !slices.Equal(cfg.Cmd, []string{"/bin/sh"}) || cfg.Shell != nil {
		t.Errorf("base: ENTRYPOINT %q CMD %q SHELL %q, want none, [/bin/sh], none", cfg.Entrypoint, cfg.Cmd, cfg.Shell)
	}

	cfg, err = r.Resolve(ctx, tr.ref("bash:1"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Shell, []string{"/bin/bash", "-o", "pipefail", "-c"}) || !slices.Equal(cfg.OnBuild, []string{"RUN echo child"}) {
		t.Errorf("bash: SHELL %q ONBUILD %q", cfg.Shell, cfg.OnBuild)
	}

	// By digest, as FROM ref@digest pins it.
	digest := cfg.Digest
	cfg, err = r.Resolve(ctx, tr.ref("bash@"+digest))
	if err != nil || !slices.Equal(cfg.Shell, []string{"/bin/bash", "-o", "pipefail", "-c"}) {
		t.Errorf("bash by digest: %v, SHELL %q", err, cfg.Shell)
	}
}

func TestResolveScratchAndInvalid(t *testing.T) {
	r := &Resolver{NoCache: true}
	cfg, err := r.Resolve(context.Background(), "scratch")
	if err != nil || cfg.Entrypoint != nil || cfg.Cmd != nil || cfg.OS != "" {
		t.Errorf("scratch: %+v, %v", cfg, err)
	}
	for _, ref := range []string{"${BASE}", "node:${NODE_VERSION}", "Upper/Case", ""} {
		_, err := r.Resolve(context.Background(), ref)
		wantKind(t, err, ref, Invalid)
	}
	_, err = r.ResolvePlatform(context.Background(), "alpine", "/arm64")
	wantKind(t, err, "alpine", Invalid)
}

func TestResolveWindows(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	tr.push(t, tr.ref("win:ltsc2022"), image(t, "windows", "amd64", v1.Config{
		Entrypoint: []string{"powershell.exe", "-f", `C:\entry.ps1`},
		Shell:      []string{"powershell", "-Command"},
	}))
	// An index with only Windows images: the default platform
	// (linux/amd64) is not there, and Windows is what an engine would pull.
	winOnly := mutate.AppendManifests(empty.Index, mutate.IndexAddendum{
		Add:        image(t, "windows", "amd64", v1.Config{Cmd: []string{"cmd"}}),
		Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "windows", Architecture: "amd64", OSVersion: "10.0.20348.1"}},
	})
	tr.pushIndex(t, tr.ref("winidx:1"), winOnly)
	r := newResolver(t)

	cfg, err := r.Resolve(context.Background(), tr.ref("win:ltsc2022"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OS != "windows" || !cfg.Windows() || !slices.Equal(cfg.Shell, []string{"powershell", "-Command"}) {
		t.Errorf("OS %q SHELL %q", cfg.OS, cfg.Shell)
	}
	cfg, err = r.Resolve(context.Background(), tr.ref("winidx:1"))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Windows() || !slices.Equal(cfg.Cmd, []string{"cmd"}) {
		t.Errorf("Windows-only index: OS %q CMD %q", cfg.OS, cfg.Cmd)
	}
	// Asked for explicitly, linux/amd64 is not found.
	_, err = r.ResolvePlatform(context.Background(), tr.ref("winidx:1"), "linux/amd64")
	wantKind(t, err, tr.ref("winidx:1"), NotFound)
	if !strings.Contains(err.Error(), "no image for linux/amd64 in the index (it has windows/amd64:10.0.20348.1)") {
		t.Errorf("message %q does not list the index's platforms", err)
	}
}

func TestResolveIndexPlatforms(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	amd := image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/amd64-entry"}})
	arm := image(t, "linux", "arm64", v1.Config{Entrypoint: []string{"/arm64-entry"}})
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
		// A BuildKit attestation manifest, which is no platform's image.
		mutate.IndexAddendum{Add: image(t, "", "", v1.Config{}), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "unknown", Architecture: "unknown"}}},
	)
	idx = mutate.IndexMediaType(idx, types.OCIImageIndex)
	tr.pushIndex(t, tr.ref("multi:1"), idx)
	idxDigest, err := idx.Digest()
	if err != nil {
		t.Fatal(err)
	}
	armDigest, err := arm.Digest()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	for _, tc := range []struct {
		resolver *Resolver
		platform string
		want     string
	}{
		{newResolver(t), "", "/amd64-entry"},
		{newResolver(t), "linux/amd64", "/amd64-entry"},
		{newResolver(t), "linux/arm64", "/arm64-entry"},
		{newResolver(t), "linux/arm64/v8", "/arm64-entry"},
		{newResolver(t), "$BUILDPLATFORM", "/amd64-entry"},
		{&Resolver{CacheDir: t.TempDir(), Platform: "linux/arm64"}, "", "/arm64-entry"},
		{&Resolver{CacheDir: t.TempDir(), Platform: "linux/arm64"}, "${TARGETPLATFORM}", "/arm64-entry"},
		// A missing default platform falls back to an image of the same OS.
		{&Resolver{CacheDir: t.TempDir(), Platform: "linux/s390x"}, "", "/amd64-entry"},
	} {
		cfg, err := tc.resolver.ResolvePlatform(ctx, tr.ref("multi:1"), tc.platform)
		if err != nil {
			t.Errorf("platform %q (default %q): %v", tc.platform, tc.resolver.Platform, err)
			continue
		}
		if !slices.Equal(cfg.Entrypoint, []string{tc.want}) {
			t.Errorf("platform %q (default %q): ENTRYPOINT %q, want [%s]", tc.platform, tc.resolver.Platform, cfg.Entrypoint, tc.want)
		}
		if cfg.Digest != idxDigest.String() {
			t.Errorf("platform %q: Digest %s, want the index's %s", tc.platform, cfg.Digest, idxDigest)
		}
		if tc.want == "/arm64-entry" && (cfg.ImageDigest != armDigest.String() || cfg.Architecture != "arm64") {
			t.Errorf("platform %q: image digest %s arch %q, want %s arm64", tc.platform, cfg.ImageDigest, cfg.Architecture, armDigest)
		}
	}

	r := newResolver(t)
	_, err = r.ResolvePlatform(ctx, tr.ref("multi:1"), "linux/s390x")
	wantKind(t, err, tr.ref("multi:1"), NotFound)
	if !strings.Contains(err.Error(), "(it has linux/amd64, linux/arm64/v8)") {
		t.Errorf("message %q does not list the platforms", err)
	}
}

func TestResolveAuth(t *testing.T) {
	home := hermetic(t)
	tr := newRegistry(t, "alice", "s3cret")
	tr.push(t, tr.ref("private/app:1"), image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/entry"}}), pushOptions("alice", "s3cret")...)
	ref := tr.ref("private/app:1")

	// No credentials: 401.
	_, err := newResolver(t).Resolve(context.Background(), ref)
	wantKind(t, err, ref, Unauthorized)

	// Wrong credentials in config.json: 401.
	writeDockerConfig(t, home, tr.host, "alice", "wrong")
	_, err = newResolver(t).Resolve(context.Background(), ref)
	wantKind(t, err, ref, Unauthorized)

	// A config.json that does not parse: the credentials cannot be read.
	if err := os.WriteFile(filepath.Join(home, ".docker", "config.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = newResolver(t).Resolve(context.Background(), ref)
	wantKind(t, err, ref, Unauthorized)
	if !strings.Contains(err.Error(), "cannot read credentials for "+tr.host) {
		t.Errorf("message %q does not say the credentials could not be read", err)
	}

	// The right ones, through the default keychain.
	writeDockerConfig(t, home, tr.host, "alice", "s3cret")
	cfg, err := newResolver(t).Resolve(context.Background(), ref)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Entrypoint, []string{"/entry"}) {
		t.Errorf("ENTRYPOINT %q", cfg.Entrypoint)
	}
}

// writeDockerConfig writes $DOCKER_CONFIG/config.json with credentials for
// host, as docker login does.
func writeDockerConfig(t *testing.T, home, host, user, password string) {
	t.Helper()
	dir := filepath.Join(home, ".docker")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	cfg := map[string]any{"auths": map[string]any{host: map[string]string{"auth": base64.StdEncoding.EncodeToString([]byte(user + ":" + password))}}}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestResolveTimeout(t *testing.T) {
	hermetic(t)
	host, stop, err := registrytest.Silent() // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	ref := host + "/silent:1"
	r := &Resolver{CacheDir: t.TempDir(), Timeout: 300 * time.Millisecond}
	_, err = r.Resolve(context.Background(), ref)
	wantKind(t, err, ref, Timeout)

	// The result is shared: a second call does not wait again, and says
	// the same.
	_, err2 := r.Resolve(context.Background(), ref)
	if err2 == nil || err2.Error() != err.Error() {
		t.Errorf("second call: %v, want %v", err2, err)
	}
}

func TestResolveUnreachable(t *testing.T) {
	hermetic(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	ref := host + "/gone:1"
	_, err = newResolver(t).Resolve(context.Background(), ref)
	wantKind(t, err, ref, Unreachable)
}

func TestResolveNotFound(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	tr.push(t, tr.ref("app:1"), image(t, "linux", "amd64", v1.Config{}))
	r := newResolver(t)
	for _, ref := range []string{tr.ref("app:2"), tr.ref("nosuch:1"), tr.ref("app@sha256:" + strings.Repeat("0", 64))} {
		_, err := r.Resolve(context.Background(), ref)
		wantKind(t, err, ref, NotFound)
	}
}

// pushRawConfig pushes an image manifest whose config blob is config.
func (tr *testRegistry) pushRawConfig(t *testing.T, ref string, config []byte) {
	t.Helper()
	n, err := name.ParseReference(ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := registrytest.PushRawConfig(n, config); err != nil {
		t.Fatal(err)
	}
}

func TestResolveMalformed(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	tr.pushRawConfig(t, tr.ref("bad:notjson"), []byte("{this is not json"))
	tr.pushRawConfig(t, tr.ref("bad:array"), []byte(`["an", "array"]`))
	tr.pushRawConfig(t, tr.ref("bad:types"), []byte(`{"os": "linux", "config": {"Entrypoint": "not an array"}}`))
	r := newResolver(t)
	for _, ref := range []string{tr.ref("bad:notjson"), tr.ref("bad:array"), tr.ref("bad:types")} {
		_, err := r.Resolve(context.Background(), ref)
		wantKind(t, err, ref, Malformed)
	}

	// A manifest whose config descriptor has no valid digest.
	n, err := name.ParseReference(tr.ref("bad:manifest"))
	if err != nil {
		t.Fatal(err)
	}
	if err := registrytest.PutManifest(n, []byte(`{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "not-a-digest", "size": 2}}`)); err != nil {
		t.Fatal(err)
	}
	_, err = r.Resolve(context.Background(), tr.ref("bad:manifest"))
	wantKind(t, err, tr.ref("bad:manifest"), Malformed)
}

func TestInsecureRegistries(t *testing.T) {
	r := &Resolver{Insecure: []string{"registry.internal:5000"}}
	for ref, want := range map[string]string{
		"registry.internal:5000/app:1": "http",
		"registry.example:5000/app:1":  "https",
		"127.0.0.1:5000/app:1":         "http", // loopback: always allowed
		"nginx":                        "https",
	} {
		n, err := r.parse(ref)
		if err != nil {
			t.Fatal(err)
		}
		if got := n.Context().Scheme(); got != want {
			t.Errorf("%s: scheme %s, want %s", ref, got, want)
		}
	}
}

func TestErrorKinds(t *testing.T) {
	for k := Unreachable; k <= TooLarge; k++ {
		if strings.HasPrefix(k.String(), "Kind(") {
			t.Errorf("kind %d has no name", k)
		}
	}
	e := &Error{Ref: "nginx", Kind: NotFound, Err: errors.New("line one\nline  two")}
	if got, want := e.Error(), "image nginx: not found: line one line two"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestParsePlatform(t *testing.T) {
	for in, want := range map[string]string{
		"linux/amd64":    "linux/amd64",
		"Linux/AMD64":    "linux/amd64",
		"linux":          "linux/amd64",
		"linux/x86_64":   "linux/amd64",
		"linux/aarch64":  "linux/arm64/v8",
		"linux/arm64":    "linux/arm64/v8",
		"linux/arm64/8":  "linux/arm64/v8",
		"linux/arm":      "linux/arm/v7",
		"linux/arm/6":    "linux/arm/v6",
		"linux/armhf":    "linux/arm/v7",
		"linux/i386":     "linux/386",
		"windows/amd64":  "windows/amd64",
		"linux/riscv64":  "linux/riscv64",
		"linux/ppc64le":  "linux/ppc64le",
		"linux/arm/v5":   "linux/arm/v5",
		"freebsd/amd64":  "freebsd/amd64",
		"linux/s390x/":   "linux/s390x",
		"darwin/arm64/":  "darwin/arm64/v8",
		"linux/386/sse2": "linux/386/sse2",
	} {
		p, err := parsePlatform(in)
		if err != nil {
			t.Errorf("%q: %v", in, err)
			continue
		}
		if p.String() != want {
			t.Errorf("%q: %s, want %s", in, p, want)
		}
	}
	for _, in := range []string{"", "/amd64", "linux/amd64/v1/x"} {
		if p, err := parsePlatform(in); err == nil {
			t.Errorf("%q: %s, want an error", in, p)
		}
	}
}

func TestResolveCanceledIsRetried(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	tr.push(t, tr.ref("app:1"), image(t, "linux", "amd64", v1.Config{Entrypoint: []string{"/e"}}))
	r := newResolver(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := r.Resolve(ctx, tr.ref("app:1"))
	wantKind(t, err, tr.ref("app:1"), Canceled)
	// A caller that gave up does not leave its error to the next one.
	cfg, err := r.Resolve(context.Background(), tr.ref("app:1"))
	if err != nil || !slices.Equal(cfg.Entrypoint, []string{"/e"}) {
		t.Errorf("after a canceled call: %q, %v", cfg.Entrypoint, err)
	}
}

func TestResolveMaxParallel(t *testing.T) {
	hermetic(t)
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	var inFlight, most atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		if strings.Contains(req.URL.Path, "/manifests/") && req.Method == http.MethodGet {
			time.Sleep(20 * time.Millisecond) // give overlapping requests a chance
		}
		reg.ServeHTTP(w, req)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	var refs []string
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		ref := host + "/" + n + ":1"
		n, err := name.ParseReference(ref)
		if err != nil {
			t.Fatal(err)
		}
		if err := remote.Write(n, image(t, "linux", "amd64", v1.Config{})); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	most.Store(0)
	r := &Resolver{NoCache: true, MaxParallel: 1}
	var wg sync.WaitGroup
	for _, ref := range refs {
		wg.Go(func() {
			if _, err := r.Resolve(context.Background(), ref); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if m := most.Load(); m != 1 {
		t.Errorf("at most %d requests at a time with MaxParallel 1, want 1", m)
	}
}
