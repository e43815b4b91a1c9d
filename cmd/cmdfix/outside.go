package main

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/images/resolve"
)

// The facts from outside the Dockerfile: the build context (the folder
// COPY and ADD read, default the Dockerfile's own) and, with
// --resolve-images, the base images' configs from their registries.

// outsideFlagValues are the flags about them.
type outsideFlagValues struct {
	context   string
	resolve   bool
	platform  string
	timeout   time.Duration
	buildArgs buildArgs

	// resolvers are the run's, by platform and timeout, made on first use.
	resolvers *resolverSet
}

type resolverSet struct {
	mu  sync.Mutex
	set map[string]*imageResolver
}

// imagesSettings is the [images] table of a settings file.
type imagesSettings struct {
	Resolve  *bool   `toml:"resolve"`
	Platform *string `toml:"platform"`
	Timeout  *string `toml:"timeout"`
}

// outsideSettings is what applies to one job.
type outsideSettings struct {
	context  string // the context folder; "" for the Dockerfile's own
	explicit bool   // context was given (by --context or a settings file)
	resolve  bool
	platform string
	timeout  time.Duration
}

func outsideFlags(fs *flag.FlagSet, cfg *config) {
	o := &cfg.outside
	o.resolvers = &resolverSet{set: map[string]*imageResolver{}}
	fs.StringVar(&o.context, "context", "", "read the build context from `DIR` (default: each Dockerfile's folder; none for standard input)")
	fs.BoolVar(&o.resolve, "resolve-images", false, "read base image configs (ENTRYPOINT, CMD, OS) from their registries; failures fall back to the built-in table")
	fs.StringVar(&o.platform, "platform", resolve.DefaultPlatform, "with --resolve-images, the `PLATFORM` chosen from multi-platform images")
	fs.DurationVar(&o.timeout, "resolve-timeout", resolve.DefaultTimeout, "with --resolve-images, give up on an image's registry after `DURATION`")
	fs.Var(&o.buildArgs, "build-arg", "`NAME=VALUE` for an ARG a FROM names, as docker build --build-arg (repeatable)")
}

// buildArgs is the repeatable --build-arg.
type buildArgs map[string]string

func (b *buildArgs) String() string { return "" }

func (b *buildArgs) Set(s string) error {
	name, val, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("%q is not NAME=VALUE", s)
	}
	if *b == nil {
		*b = buildArgs{}
	}
	(*b)[name] = val
	return nil
}

// checkOutsideFlags checks the values of the flags.
func (c *config) checkOutsideFlags() error {
	o := &c.outside
	if o.timeout <= 0 {
		return errors.New("--resolve-timeout: must be more than zero")
	}
	if strings.Count(o.platform, "/") < 1 {
		return fmt.Errorf("--platform: %q is not OS/ARCH[/VARIANT]", o.platform)
	}
	if o.context != "" {
		if _, err := buildcontext.Open(o.context, ""); err != nil {
			return fmt.Errorf("--context: %v", err)
		}
	}
	return nil
}

// outsideFor lays the flags over a settings file's context and [images].
func (c *config) outsideFor(fc *fileConfig) outsideSettings {
	o := &c.outside
	s := outsideSettings{context: o.context, explicit: o.context != "", resolve: o.resolve, platform: o.platform, timeout: o.timeout}
	if s.platform == "" {
		s.platform = resolve.DefaultPlatform
	}
	if s.timeout == 0 {
		s.timeout = resolve.DefaultTimeout
	}
	if fc == nil {
		return s
	}
	if v := fc.Context; v != nil && !c.set["context"] {
		s.context, s.explicit = filepath.Join(fc.dir, *v), true
	}
	if v := fc.Images.Resolve; v != nil && !c.set["resolve-images"] {
		s.resolve = *v
	}
	if v := fc.Images.Platform; v != nil && !c.set["platform"] {
		s.platform = *v
	}
	if v := fc.Images.Timeout; v != nil && !c.set["resolve-timeout"] {
		if d, err := time.ParseDuration(*v); err == nil && d > 0 {
			s.timeout = d
		}
	}
	return s
}

// withOutside gives a job's options its build context and, when asked, the
// base image resolver. Nothing here fails the job: a context that cannot
// be opened is a note, and the rules then say what they assume.
func (c *config) withOutside(j *job, js *jobSettings) {
	s := js.outside
	if j.notes == nil {
		j.notes = &jobNotes{}
	}
	dir, dockerfile := s.context, ""
	if !j.stdin {
		dockerfile = j.path
		if dir == "" {
			dir = filepath.Dir(j.path)
		}
	}
	if dir != "" {
		ctx, err := buildcontext.Open(dir, dockerfile)
		if err != nil {
			j.notes.add(fmt.Sprintf("cmdfix: %s: reading no build context: %v", j.path, err))
		} else {
			js.opts.Context = ctx
		}
	}
	if len(c.outside.buildArgs) > 0 {
		js.opts.BuildArgs = c.outside.buildArgs
	}
	if s.resolve && c.outside.resolvers != nil { // a config made in code resolves nothing
		js.opts.Images = c.resolverFor(s.platform, s.timeout).forJob(j.notes)
	}
}

// resolverFor returns the run's resolver for a platform and timeout.
func (c *config) resolverFor(platform string, timeout time.Duration) *imageResolver {
	o := &c.outside
	rs := o.resolvers
	rs.mu.Lock()
	defer rs.mu.Unlock()
	key := platform + " " + timeout.String()
	if r := rs.set[key]; r != nil {
		return r
	}
	r := newImageResolver(newResolveFunc(platform, timeout))
	rs.set[key] = r
	return r
}

// newResolveFunc makes the function that reads configs; tests replace it.
var newResolveFunc = registryResolver

// registryResolver reads configs from the registries, with the default
// keychain (~/.docker/config.json) and the disk cache under the user's
// cache folder.
func registryResolver(platform string, timeout time.Duration) resolveFunc {
	r := &resolve.Resolver{Platform: platform, Timeout: timeout}
	return r.ResolvePlatform
}
