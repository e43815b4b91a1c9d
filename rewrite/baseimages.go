package rewrite

import (
	"context"
	"sync"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
)

// resolveBases asks opts.Images, in parallel (the resolver bounds how
// many at once), for the config of each external base image of f, and
// returns the lookup SetImages takes. Failures are left out: the table
// answers for those images.
func resolveBases(f *dockerfile.File, opts Options) dockerfile.BaseImages {
	type key struct{ ref, platform string }
	type answer struct {
		c  images.Config
		ok bool
	}
	got := map[key]*answer{}
	var wg sync.WaitGroup
	for _, s := range f.Stages {
		if s.Parent != nil {
			continue
		}
		k := key{s.Base, dockerfile.FromPlatform(s.From)}
		if _, done := got[k]; done {
			continue
		}
		a := &answer{}
		got[k] = a
		ref := f.ExpandBuildArgs(s.Base, opts.BuildArgs)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { _ = recover() }() // a resolver's panic leaves the table in charge
			c, err := opts.Images.Resolve(context.Background(), ref, k.platform)
			c.Ref = ref
			a.c, a.ok = c, err == nil
		}()
	}
	wg.Wait()
	return func(ref, platform string) (images.Config, bool) {
		if a := got[key{ref, platform}]; a != nil && a.ok {
			return a.c, true
		}
		return images.Config{}, false
	}
}
