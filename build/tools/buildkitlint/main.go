// Command buildkitlint runs BuildKit's Dockerfile checks on files, the
// checks `docker build --check` runs, without a Docker daemon or BuildKit
// server: it calls dockerfile2llb.DockerfileLint, the function BuildKit's
// Dockerfile frontend answers a lint request with. That parses the file
// (parser.Parse, then instructions.Parse with the linter) and converts
// every stage, so the checks made while converting (JSONArgsRecommended,
// UndefinedVar, LegacyKeyValueFormat, WorkdirRelativePath, ...) run too.
// A `# check=` directive in the file configures the linter, as it does for
// docker build.
//
// Usage:
//
//	go run ./bench/buildkitlint Dockerfile...
//
// It prints each warning as docker build --check does and exits 1 when a
// file has a warning or an error, 2 when a file cannot be read.
//
// Differences from docker build --check: base images are not pulled (this
// runs offline). Each FROM image resolves to a config with only the
// default PATH, so a check on a variable that a base image defines (say
// UndefinedVar on $GOPATH) reports it as undefined, and no .dockerignore
// is read.
//
// This package is the only one that imports dockerfile2llb; cmdfix itself
// uses only BuildKit's parser and linter rule metadata.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	digest "github.com/opencontainers/go-digest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: buildkitlint Dockerfile...")
		os.Exit(2)
	}
	code := 0
	for _, name := range os.Args[1:] {
		dt, err := os.ReadFile(name)
		if err != nil {
			fmt.Fprintf(os.Stderr, "buildkitlint: %v\n", err)
			code = 2
			continue
		}
		res, err := Lint(context.Background(), name, dt)
		if err != nil {
			fmt.Fprintf(os.Stderr, "buildkitlint: %s: %v\n", name, err)
			code = 2
			continue
		}
		if len(res.Warnings) > 0 || res.Error != nil {
			code = max(code, 1)
		}
		if err := res.PrintTo(os.Stdout, nil); err != nil {
			fmt.Fprintf(os.Stderr, "buildkitlint: %s: %v\n", name, err)
			code = 2
		}
		if res.Error != nil {
			res.PrintErrorTo(os.Stdout, nil)
		}
	}
	os.Exit(code)
}

// Lint runs BuildKit's checks on the Dockerfile dt, named name.
func Lint(ctx context.Context, name string, dt []byte) (*lint.LintResults, error) {
	// The source map names the file in warnings; as in BuildKit's
	// Dockerfile frontend, it points at the local source holding it.
	src := llb.Local("dockerfile")
	def, err := src.Marshal(ctx)
	if err != nil {
		return nil, err
	}
	sm := llb.NewSourceMap(&src, name, "Dockerfile", dt)
	sm.Definition = def
	return dockerfile2llb.DockerfileLint(ctx, dt, dockerfile2llb.ConvertOpt{
		SourceMap:    sm,
		MetaResolver: offlineResolver{},
	})
}

// offlineResolver answers every image with a config that has one layer
// and the default PATH, and no digest.
type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	img := map[string]any{
		"os":           "linux",
		"architecture": "amd64",
		"config": map[string]any{
			"Env": []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
		},
		"rootfs": map[string]any{
			"type":     "layers",
			"diff_ids": []string{"sha256:" + fmt.Sprintf("%064x", 0)},
		},
	}
	if opt.ImageOpt != nil && opt.ImageOpt.Platform != nil {
		img["os"], img["architecture"] = opt.ImageOpt.Platform.OS, opt.ImageOpt.Platform.Architecture
	}
	dt, err := json.Marshal(img)
	return ref, "", dt, err
}
