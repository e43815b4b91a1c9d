// Command buildkitlint runs BuildKit's build checks over Dockerfiles the
// way `docker build --check` does: the Dockerfile frontend answers the
// lint subrequest with dockerfile2llb.DockerfileLint, which parses the
// file, runs instructions.Parse with the linter (configured from the
// file's "# check=" directive) and dispatches every stage (no target
// means all of them), collecting warnings and the build error.
//
// Base images are not pulled: a resolver answers every lookup with an
// empty image config for the requested platform, so the checks that need
// a registry (InvalidBaseImagePlatform) or a build context
// (CopyIgnoredFile) never fire here.
//
// Usage: buildkitlint [-each] [FILE...] (without FILEs: names on stdin)
// It prints one table row per check, "check<TAB>warnings<TAB>files",
// then "build error<TAB>count<TAB>files"; with -each it prints one line
// per file and finding instead: "FILE<TAB>CHECK" (CHECK is "error: MSG"
// for a build error), for comparing runs; with -config, digests of the
// image config and build steps BuildKit makes of each file.
//
// It is its own module so that dockerfile2llb and its dependencies stay
// out of cmdfix's.
package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/solver/pb"
	"github.com/moby/buildkit/util/apicaps"
	"github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// noRegistry resolves every image to an empty config of the requested
// platform, without the network.
type noRegistry struct{}

func (noRegistry) ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	img := ocispecs.Image{}
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		img.Platform = *opt.ImageOpt.Platform
	}
	dt, err := json.Marshal(img)
	if err != nil {
		return "", "", nil, err
	}
	return ref, digest.FromBytes(dt), dt, nil
}

func main() {
	each := flag.Bool("each", false, "print one line per file and finding")
	config := flag.Bool("config", false, "print, per file, digests of the image config, its history and the build steps BuildKit makes of it")
	flag.Parse()
	warnings := map[string]int{}
	files := map[string]int{}
	errorsN := 0
	// The frontend's source map names the build's Dockerfile context.
	src := llb.Local("dockerfile")
	// A current daemon supports every LLB capability.
	caps := pb.Caps.CapSet(pb.Caps.All())
	def, err := src.Marshal(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	paths := flag.Args()
	if len(paths) == 0 {
		// Names one a line on standard input, for a corpus too long for
		// one command line.
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			if l := strings.TrimSpace(sc.Text()); l != "" {
				paths = append(paths, l)
			}
		}
	}
	for _, path := range paths {
		dt, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		sm := llb.NewSourceMap(&src, filepath.Base(path), "Dockerfile", dt)
		sm.Definition = def
		if *config {
			fmt.Printf("%s\t%s\n", filepath.Base(path), convert(dt, sm, &caps))
			continue
		}
		res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
			MetaResolver: noRegistry{},
			SourceMap:    sm,
			LLBCaps:      &caps,
			Config:       dockerui.Config{},
		})
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			os.Exit(1)
		}
		seen := map[string]bool{}
		for _, w := range res.Warnings {
			warnings[w.RuleName]++
			if !seen[w.RuleName] {
				seen[w.RuleName] = true
				files[w.RuleName]++
			}
			if *each {
				fmt.Printf("%s\t%s\n", filepath.Base(path), w.RuleName)
			}
		}
		if res.Error != nil {
			errorsN++
			if *each {
				fmt.Printf("%s\terror: %s\n", filepath.Base(path), strings.ReplaceAll(res.Error.Message, "\n", " "))
			}
		}
	}
	if *each || *config {
		return
	}
	names := make([]string, 0, len(warnings))
	for n := range warnings {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Printf("%s\t%d\t%d\n", n, warnings[n], files[n])
	}
	fmt.Printf("build error\t%d\t%d\n", errorsN, errorsN)
}

// convert builds the default target's LLB and image config the way a
// build does, and returns digests of the config (history times left out:
// they are the build's clock; the history apart, since it quotes RUN's
// text, whose blanks formatting may change) and of the build steps (the marshalled
// operations, without their source locations and descriptions), or the
// build error.
func convert(dt []byte, sm *llb.SourceMap, caps *apicaps.CapSet) string {
	ctx := context.Background()
	res, err := dockerfile2llb.Dockerfile2LLB(ctx, dt, dockerfile2llb.ConvertOpt{
		MetaResolver: noRegistry{},
		SourceMap:    sm,
		LLBCaps:      caps,
		Config:       dockerui.Config{},
	})
	if err != nil {
		return "error: " + strings.ReplaceAll(err.Error(), "\n", " ")
	}
	img := *res.Image
	hist := slices.Clone(img.History)
	for i := range hist {
		hist[i].Created = nil
	}
	img.History, img.Created = nil, nil
	cfg, err := json.Marshal(img)
	if err != nil {
		return "error: " + err.Error()
	}
	hj, err := json.Marshal(hist)
	if err != nil {
		return "error: " + err.Error()
	}
	def, err := res.State.Marshal(ctx)
	if err != nil {
		return "error: " + err.Error()
	}
	ops := slices.Clone(def.Def)
	slices.SortFunc(ops, func(a, b []byte) int { return strings.Compare(string(a), string(b)) })
	h := sha256.New()
	for _, op := range ops {
		h.Write(op)
	}
	return fmt.Sprintf("config %s\thistory %s\tsteps %x", digest.FromBytes(cfg).Encoded()[:16], digest.FromBytes(hj).Encoded()[:16], h.Sum(nil)[:8])
}
