package resolve

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Config is what cmdfix needs from an image's configuration. A nil slice
// means the image does not set it; an empty non-nil Cmd or Entrypoint is
// one set to [] (as ENTRYPOINT [] does).
type Config struct {
	// Ref is the reference as given to the Resolver ("nginx:1.27").
	Ref string `json:"-"`
	// Digest is the digest the reference named when it was resolved: the
	// index's for a multi-platform image, else the image manifest's. It is
	// what "FROM ref@digest" would pin.
	Digest string `json:"digest"`
	// ImageDigest is the digest of the image manifest chosen for the
	// platform (equal to Digest for a single-platform image).
	ImageDigest string `json:"imageDigest"`
	// OS, Architecture and Variant are the image config's own ("linux",
	// "arm64", "v8"; OS "windows" for a Windows image).
	OS           string `json:"os"`
	Architecture string `json:"architecture"`
	Variant      string `json:"variant,omitempty"`
	// Entrypoint, Cmd and Shell are the ENTRYPOINT, CMD and SHELL the
	// image passes on to images built from it.
	Entrypoint []string `json:"entrypoint"`
	Cmd        []string `json:"cmd"`
	Shell      []string `json:"shell"`
	// WorkingDir and User are its WORKDIR and USER ("" when not set).
	WorkingDir string `json:"workingDir,omitempty"`
	User       string `json:"user,omitempty"`
	// Env is its environment, "NAME=value" entries.
	Env []string `json:"env,omitempty"`
	// OnBuild holds its ONBUILD triggers, which run first in every stage
	// built FROM it.
	OnBuild []string `json:"onBuild,omitempty"`
}

// Windows reports whether the image is a Windows image.
func (c Config) Windows() bool { return strings.EqualFold(c.OS, "windows") }

// Defaults used for the zero values of Resolver's fields.
const (
	DefaultPlatform    = "linux/amd64"
	DefaultTimeout     = 10 * time.Second
	DefaultMaxParallel = 4
	DefaultMaxAge      = 24 * time.Hour
)

// maxConfigSize bounds the config blob fetched. Real configs are a few
// kilobytes; the largest with a long history are some hundred.
const maxConfigSize = 4 << 20

// Resolver fetches image configs from registries. Its zero value is ready
// to use with the defaults noted on each field. A Resolver is safe for
// concurrent use; its fields must not change after the first call, and it
// must not be copied after it.
//
// Within one Resolver each reference and platform is resolved at most
// once: later calls, and concurrent ones, share the first call's result,
// error included, so that many Dockerfiles naming an unreachable image cost
// one timeout.
type Resolver struct {
	// Platform chooses the image of a multi-platform index, as
	// "os/arch[/variant]". Default "linux/amd64", whatever the machine
	// cmdfix runs on, so that results do not depend on it.
	Platform string
	// Timeout bounds the network work for one image (not the wait for a
	// free slot, see MaxParallel). Default 10 seconds.
	Timeout time.Duration
	// MaxParallel bounds the images fetched at the same time. Default 4.
	MaxParallel int
	// CacheDir is the folder of the disk cache. Default
	// os.UserCacheDir()/cmdfix/images; none if that is not known.
	CacheDir string
	// NoCache turns the disk cache off (neither read nor written).
	NoCache bool
	// MaxAge is how long a tag's digest is trusted from the cache before
	// the registry is asked again. Default 24 hours. Configs cached by
	// digest do not expire: content addressed by digest cannot change.
	MaxAge time.Duration
	// Keychain provides credentials. Default authn.DefaultKeychain, which
	// reads ~/.docker/config.json (or $DOCKER_CONFIG/config.json) and its
	// credential helpers, then Podman's auth.json.
	Keychain authn.Keychain
	// MaxFetch bounds the bytes of (compressed) layers one ReadFile
	// fetches. Default 64 MiB.
	MaxFetch int64
	// MaxFileSize bounds the size of a file ReadFile returns. Default
	// 1 MiB.
	MaxFileSize int64
	// Insecure lists registries ("host" or "host:port") that may be
	// reached over plain HTTP when HTTPS fails, as Docker's
	// "insecure-registries". Loopback and private (RFC 1918) addresses,
	// localhost and *.local are always allowed plain HTTP.
	Insecure []string

	// now is the clock, replaced by tests.
	now func() time.Time

	once  sync.Once
	sem   chan struct{}
	cache *cache
	mu    sync.Mutex
	calls map[string]*call
}

// call is one resolution, shared by everyone asking for the same key.
type call struct {
	done chan struct{}
	cfg  Config
	err  error
}

func (r *Resolver) init() {
	r.once.Do(func() {
		n := r.MaxParallel
		if n <= 0 {
			n = DefaultMaxParallel
		}
		r.sem = make(chan struct{}, n)
		r.calls = map[string]*call{}
		if r.now == nil {
			r.now = time.Now
		}
		if r.NoCache {
			return
		}
		dir := r.CacheDir
		if dir == "" {
			base, err := os.UserCacheDir()
			if err != nil {
				return
			}
			dir = filepath.Join(base, "cmdfix", "images")
		}
		r.cache = &cache{dir: dir}
	})
}

// Resolve returns the config of the image ref ("nginx:1.27",
// "registry.example/team/base@sha256:...", "scratch") for the Resolver's
// Platform. The error, if any, is an [*Error].
func (r *Resolver) Resolve(ctx context.Context, ref string) (Config, error) {
	return r.ResolvePlatform(ctx, ref, "")
}

// ResolvePlatform is Resolve for a FROM --platform value ("linux/arm64").
// An empty platform, or one that still holds a substitution such as
// "$BUILDPLATFORM" or "${TARGETPLATFORM}", means the Resolver's Platform
// (BuildKit's TARGETPLATFORM and BUILDPLATFORM default to the platform of
// the build). A platform asked for here must be in the image's index; the
// default one may be missing, see [Resolver.Platform] and selectImage.
//
// "scratch" resolves to an empty Config without network, as it names no
// image.
func (r *Resolver) ResolvePlatform(ctx context.Context, ref, platform string) (Config, error) {
	r.init()
	fail := func(k Kind, err error) (Config, error) {
		return Config{}, &Error{Ref: ref, Kind: k, Err: err}
	}
	if ref == "scratch" {
		return Config{Ref: ref}, nil
	}
	n, plat, explicit, err := r.target(ref, platform)
	if err != nil {
		return fail(Invalid, err)
	}

	key := n.Name() + " " + plat.String()
	if explicit {
		key += " explicit"
	}
	var c *call
	for {
		r.mu.Lock()
		var ok bool
		c, ok = r.calls[key]
		if !ok {
			c = &call{done: make(chan struct{})}
			r.calls[key] = c
		}
		r.mu.Unlock()
		if !ok {
			c.cfg, c.err = r.resolve(ctx, n, plat, explicit)
			if errors.Is(c.err, context.Canceled) {
				// This caller gave up; the next one tries again.
				r.mu.Lock()
				delete(r.calls, key)
				r.mu.Unlock()
			}
			close(c.done)
			break
		}
		select {
		case <-c.done:
		case <-ctx.Done():
			return fail(classify(ctx.Err()), ctx.Err())
		}
		if !errors.Is(c.err, context.Canceled) {
			break
		}
		// The caller that was resolving it gave up; this one has not.
	}
	if c.err != nil {
		return fail(classify(c.err), c.err)
	}
	cfg := c.cfg
	cfg.Ref = ref
	return cfg, nil
}

// target parses a reference and a platform ("" or unexpanded for the
// default; explicit reports whether it was not).
func (r *Resolver) target(ref, platform string) (n name.Reference, plat v1.Platform, explicit bool, err error) {
	if strings.ContainsAny(ref, "${}") {
		return nil, plat, false, errors.New("the reference holds an unexpanded substitution")
	}
	explicit = platform != "" && !strings.Contains(platform, "$")
	if !explicit {
		platform = r.Platform
		if platform == "" {
			platform = DefaultPlatform
		}
	}
	if plat, err = parsePlatform(platform); err != nil {
		return nil, plat, false, err
	}
	n, err = r.parse(ref)
	return n, plat, explicit, err
}

// credentials marks the keychain's failures (a config.json that does not
// parse, a credential helper that fails) so that classify files them under
// Unauthorized.
type credentials struct{ authn.Keychain }

func (k credentials) Resolve(target authn.Resource) (authn.Authenticator, error) {
	return k.ResolveContext(context.Background(), target)
}

func (k credentials) ResolveContext(ctx context.Context, target authn.Resource) (authn.Authenticator, error) {
	a, err := authn.Resolve(ctx, k.Keychain, target)
	if err != nil {
		return nil, errorf(Unauthorized, "cannot read credentials for %s: %v", target.RegistryStr(), err)
	}
	return a, nil
}

// parse parses a reference, allowing plain HTTP for the registries listed
// in Insecure.
func (r *Resolver) parse(ref string) (name.Reference, error) {
	n, err := name.ParseReference(ref)
	if err != nil || len(r.Insecure) == 0 {
		return n, err
	}
	if slices.Contains(r.Insecure, n.Context().RegistryStr()) {
		return name.ParseReference(ref, name.Insecure)
	}
	return n, nil
}

// parsePlatform parses "os[/arch[/variant]]" as BuildKit does: case
// does not matter, the usual aliases of architectures are accepted
// ("x86_64", "aarch64"), "arm" alone is arm/v7, and a missing architecture
// is amd64, as in DefaultPlatform.
func parsePlatform(s string) (v1.Platform, error) {
	p, err := v1.ParsePlatform(strings.ToLower(s))
	if err != nil {
		return v1.Platform{}, err
	}
	if p.OS == "" {
		return v1.Platform{}, fmt.Errorf("platform %q names no operating system", s)
	}
	arch, variant := p.Architecture, p.Variant
	switch arch {
	case "", "x86_64", "x86-64":
		arch = "amd64"
	case "aarch64":
		arch = "arm64"
	case "armhf":
		arch, variant = "arm", "v7"
	case "armel":
		arch, variant = "arm", "v6"
	case "i386", "i686":
		arch = "386"
	}
	if arch == "arm" && variant == "" {
		variant = "v7"
	}
	if arch == "arm64" && variant == "8" || arch == "arm" && len(variant) == 1 {
		variant = "v" + variant
	}
	return v1.Platform{OS: p.OS, Architecture: arch, Variant: normVariant(arch, variant)}, nil
}

// normVariant returns the variant an image of arch has when its manifest
// names none: arm64 images are v8.
func normVariant(arch, variant string) string {
	if arch == "arm64" && variant == "" {
		return "v8"
	}
	return variant
}

// resolve answers from the disk cache when it can, else from the registry.
func (r *Resolver) resolve(ctx context.Context, n name.Reference, plat v1.Platform, explicit bool) (Config, error) {
	ps := plat.String()
	if explicit {
		ps += " explicit"
	}
	now := r.now()
	maxAge := r.MaxAge
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}

	var digest string
	var stale bool
	if d, ok := n.(name.Digest); ok {
		digest = d.DigestStr()
	} else if e, ok := r.cache.readRef(n.Name(), ps); ok {
		digest = e.Digest
		stale = now.Before(e.Time) || now.Sub(e.Time) >= maxAge
	}
	if digest != "" && !stale {
		if cfg, ok := r.cache.readDigest(digest, ps); ok {
			return cfg, nil
		}
	}

	select {
	case r.sem <- struct{}{}:
		defer func() { <-r.sem }()
	case <-ctx.Done():
		return Config{}, ctx.Err()
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()
	opts := r.options(ctx)

	// A stale tag: ask for its digest with HEAD, which Docker Hub does not
	// count against its pull rate limit, and reuse the config if the tag
	// still names the same content. Any failure here is left to the GET.
	if stale {
		if desc, err := remote.Head(n, opts...); err == nil && desc.Digest.String() == digest {
			if cfg, ok := r.cache.readDigest(digest, ps); ok {
				r.cache.writeRef(refEntry{Ref: n.Name(), Platform: ps, Digest: digest, Time: now})
				return cfg, nil
			}
		}
	}

	desc, err := remote.Get(n, opts...)
	if err != nil {
		return Config{}, err
	}
	digest = desc.Digest.String()
	cfg, ok := r.cache.readDigest(digest, ps)
	if !ok {
		if cfg, err = fetchConfig(desc, plat, explicit); err != nil {
			return Config{}, err
		}
		cfg.Digest = digest
		r.cache.writeDigest(digestEntry{Digest: digest, Platform: ps, Config: cfg})
	}
	if _, byTag := n.(name.Tag); byTag {
		r.cache.writeRef(refEntry{Ref: n.Name(), Platform: ps, Digest: digest, Time: now})
	}
	return cfg, nil
}

func (r *Resolver) timeout() time.Duration {
	if r.Timeout <= 0 {
		return DefaultTimeout
	}
	return r.Timeout
}

// options are the options of every request, bound to ctx.
func (r *Resolver) options(ctx context.Context) []remote.Option {
	keychain := r.Keychain
	if keychain == nil {
		keychain = authn.DefaultKeychain
	}
	return []remote.Option{
		remote.WithContext(ctx),
		remote.WithAuthFromKeychain(credentials{keychain}),
		remote.WithUserAgent("cmdfix"),
		// One quick retry for a network flake; the timeout bounds the rest.
		remote.WithRetryBackoff(remote.Backoff{Duration: 250 * time.Millisecond, Factor: 2, Steps: 2}),
	}
}

// fetchConfig fetches the config of the image desc names, choosing one
// image for plat if desc is an index.
func fetchConfig(desc *remote.Descriptor, plat v1.Platform, explicit bool) (Config, error) {
	img, m, err := pickImage(desc, plat, explicit)
	if err != nil {
		return Config{}, err
	}
	if m.Config.Size > maxConfigSize {
		return Config{}, malformedf("config of %d bytes (more than %d)", m.Config.Size, maxConfigSize)
	}
	imageDigest, err := img.Digest()
	if err != nil {
		return Config{}, err
	}
	raw, err := img.RawConfigFile()
	if err != nil {
		return Config{}, err
	}
	cf, err := v1.ParseConfigFile(bytes.NewReader(raw))
	if err != nil {
		return Config{}, malformedf("config: %v", err)
	}
	return Config{
		ImageDigest:  imageDigest.String(),
		OS:           cf.OS,
		Architecture: cf.Architecture,
		Variant:      cf.Variant,
		Entrypoint:   cf.Config.Entrypoint,
		Cmd:          cf.Config.Cmd,
		Shell:        cf.Config.Shell,
		WorkingDir:   cf.Config.WorkingDir,
		User:         cf.Config.User,
		Env:          cf.Config.Env,
		OnBuild:      cf.Config.OnBuild,
	}, nil
}

// pickImage returns the image desc names, choosing one for plat if desc is
// an index, and its manifest.
func pickImage(desc *remote.Descriptor, plat v1.Platform, explicit bool) (v1.Image, *v1.Manifest, error) {
	var img v1.Image
	switch desc.MediaType {
	case types.OCIImageIndex, types.DockerManifestList:
		idx, err := desc.ImageIndex()
		if err != nil {
			return nil, nil, err
		}
		im, err := v1.ParseIndexManifest(bytes.NewReader(desc.Manifest))
		if err != nil {
			return nil, nil, malformedf("index: %v", err)
		}
		child, err := selectImage(im.Manifests, plat, explicit)
		if err != nil {
			return nil, nil, err
		}
		if img, err = idx.Image(child.Digest); err != nil {
			return nil, nil, err
		}
	case types.OCIManifestSchema1, types.DockerManifestSchema2:
		var err error
		if img, err = desc.Image(); err != nil {
			return nil, nil, err
		}
	case types.DockerManifestSchema1, types.DockerManifestSchema1Signed:
		return nil, nil, malformedf("a schema 1 manifest (deprecated by Docker, refused by current engines)")
	default:
		return nil, nil, malformedf("unexpected manifest media type %q", desc.MediaType)
	}

	// Fetch, then parse, so that a parse error is told from a network one.
	raw, err := img.RawManifest()
	if err != nil {
		return nil, nil, err
	}
	m, err := v1.ParseManifest(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, malformedf("manifest: %v", err)
	}
	return img, m, nil
}

// selectImage chooses the image of an index for plat: same OS and
// architecture, and the same variant if plat has one. Attestations and
// other entries without a real platform are skipped.
//
// For a platform the caller asked for (explicit), there is no other
// choice. For the default one an index without it still gives an answer,
// since what cmdfix reads (ENTRYPOINT, CMD, SHELL, OS) is almost always
// the same across architectures: another image of the same OS, else the
// first image of the index (a Windows-only index gives a Windows image,
// as a Windows engine would pull).
func selectImage(manifests []v1.Descriptor, plat v1.Platform, explicit bool) (v1.Descriptor, error) {
	var images []v1.Descriptor
	for _, d := range manifests {
		if d.Platform == nil || d.Platform.OS == "" || d.Platform.OS == "unknown" {
			continue
		}
		if d.MediaType != "" && !d.MediaType.IsImage() {
			continue
		}
		images = append(images, d)
	}
	sameArch := func(d v1.Descriptor) bool {
		return d.Platform.OS == plat.OS && d.Platform.Architecture == plat.Architecture
	}
	for _, d := range images {
		if sameArch(d) && normVariant(d.Platform.Architecture, d.Platform.Variant) == plat.Variant {
			return d, nil
		}
	}
	if plat.Variant == "" || plat.Architecture == "arm64" && plat.Variant == "v8" {
		for _, d := range images {
			if sameArch(d) {
				return d, nil
			}
		}
	}
	if !explicit {
		for _, d := range images {
			if d.Platform.OS == plat.OS {
				return d, nil
			}
		}
		if len(images) > 0 {
			return images[0], nil
		}
	}
	var have []string
	for _, d := range images {
		have = append(have, d.Platform.String())
	}
	if len(have) == 0 {
		return v1.Descriptor{}, errorf(NotFound, "no image for %s in the index (it lists no platforms)", plat)
	}
	return v1.Descriptor{}, errorf(NotFound, "no image for %s in the index (it has %s)", plat, strings.Join(have, ", "))
}
