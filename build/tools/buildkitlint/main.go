// Command buildkitlint runs BuildKit's Dockerfile checks on files, the
// checks `docker build --check` runs, without a Docker daemon or BuildKit
// server: it calls dockerfile2llb.DockerfileLint, the function BuildKit's
// Dockerfile frontend answers a lint request with. That parses the file
// (parser.Parse, then instructions.Parse with the linter) and converts
// every stage (no target means all of them), so the checks made while
// converting (JSONArgsRecommended, UndefinedVar, LegacyKeyValueFormat,
// WorkdirRelativePath, ...) run too. A `# check=` directive in the file
// configures the linter, as it does for docker build.
//
// Usage:
//
//	buildkitlint FILE...            warnings as docker build --check prints them;
//	                                exit 1 when a file has one or a build error
//	buildkitlint -table [FILE...]   one row per check: check, warnings, files;
//	                                then the build errors (names on standard
//	                                input when no FILE is given)
//	buildkitlint -each [FILE...]    one line per file and finding: FILE, CHECK
//	                                ("error: MSG" for a build error)
//	buildkitlint -config [FILE...]  per file, digests of the default target's
//	                                image config, history and build steps
//
// Differences from docker build --check: base images are not pulled (this
// runs offline). Every FROM image resolves to a config for the requested
// platform with only the default PATH, so a check on a variable a base
// image defines (say UndefinedVar on $GOPATH) reports it, the checks that
// need a registry (InvalidBaseImagePlatform) or a build context
// (CopyIgnoredFile) never fire, and no .dockerignore is read.
//
// It is in a module of its own so that dockerfile2llb and its
// dependencies stay out of cmdfix's; cmdfix itself uses only BuildKit's
// parser and linter rule metadata.
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

// noRegistry resolves every image to a config of the requested platform
// with only the default PATH, without the network.
type noRegistry struct{}

func (noRegistry) ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	img := ocispecs.Image{Platform: ocispecs.Platform{OS: "linux", Architecture: "amd64"}}
	img.Config.Env = []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}
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
	table := flag.Bool("table", false, "print one row per check: warnings and files, then the build errors")
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
	if !*table && !*each && !*config {
		if len(paths) == 0 {
			fmt.Fprintln(os.Stderr, "usage: buildkitlint [-table | -each | -config] FILE...")
			os.Exit(2)
		}
		os.Exit(report(paths, src, def, &caps))
	}
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

// report prints each file's warnings and build error as docker build
// --check does and returns the exit status: 1 when a file has a warning
// or an error, 2 when one cannot be read or checked.
func report(paths []string, src llb.State, def *llb.Definition, caps *apicaps.CapSet) int {
	code := 0
	for _, path := range paths {
		dt, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "buildkitlint: %v\n", err)
			code = 2
			continue
		}
		sm := llb.NewSourceMap(&src, path, "Dockerfile", dt)
		sm.Definition = def
		res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
			MetaResolver: noRegistry{},
			SourceMap:    sm,
			LLBCaps:      caps,
			Config:       dockerui.Config{},
		})
		if err != nil {
			fmt.Fprintf(os.Stderr, "buildkitlint: %s: %v\n", path, err)
			code = 2
			continue
		}
		if len(res.Warnings) > 0 || res.Error != nil {
			code = max(code, 1)
		}
		if err := res.PrintTo(os.Stdout, nil); err != nil {
			fmt.Fprintf(os.Stderr, "buildkitlint: %s: %v\n", path, err)
			code = 2
		}
		if res.Error != nil {
			res.PrintErrorTo(os.Stdout, nil)
		}
	}
	return code
}
