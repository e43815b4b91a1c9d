package fileutil

import (
	"flag"
	"testing"
)

func TestIsDockerfile(t *testing.T) {
	for name, want := range map[string]bool{
		"Dockerfile":                  true,
		"dockerfile":                  true,
		"Containerfile":               true,
		"Dockerfile.dev":              true,
		"Containerfile.fedora":        true,
		"app.Dockerfile":              true,
		"web.dockerfile":              true,
		"base.containerfile":          true,
		"a/b/Dockerfile":              true,
		"Dockerfile.dockerignore":     false,
		"Dockerfile.template":         false,
		"Dockerfile.md":               false,
		"Dockerfile.orig":             false,
		".dockerfile":                 false,
		"Dockerfiles":                 false,
		"README.md":                   false,
		"docker-compose.yml":          false,
		"Dockerfile.windows":          true,
		"build/Dockerfile.release.j2": false,
	} {
		if got := IsDockerfile(name); got != want {
			t.Errorf("IsDockerfile(%q) = %v, want %v", name, got, want)
		}
	}
}

// update is accepted so that "go test ./... -update" works in every
// package; this one has no golden files.
var _ = flag.Bool("update", false, "no golden files here")
