package rewrite

import "strings"

// What cmdfix knows about well-known external base images, offline. Rules
// use it to decide whether an inherited ENTRYPOINT may inspect the CMD it is
// given, or whether the image sets a CMD an ENTRYPOINT would discard.

// EntrypointClass says what a base image's ENTRYPOINT does with the command
// (CMD and docker run arguments) it receives.
type EntrypointClass uint8

const (
	// NoEntrypoint: the image sets no ENTRYPOINT; CMD is the command.
	NoEntrypoint EntrypointClass = iota
	// PassesCommand: the entrypoint runs any command it is given unchanged
	// (after its own setup), so converting CMD's form does not change
	// what it does.
	PassesCommand
	// InspectsArgs: the entrypoint looks at its arguments (for example
	// runs its setup only when $1 is the server's name), so the exact argv
	// matters. Used also when unsure.
	InspectsArgs
)

// ImageInfo is what cmdfix knows about one image.
type ImageInfo struct {
	// Entrypoint classifies the image's ENTRYPOINT.
	Entrypoint EntrypointClass
	// EntrypointText is the image's ENTRYPOINT, for messages ("" if none).
	EntrypointText string
	// Cmd is the image's default CMD as Docker stores it, nil if none.
	Cmd []string
}

// knownImages is keyed by repository name without registry, "library/"
// or tag: "nginx", "postgres".
var knownImages = map[string]ImageInfo{
	"nginx":    {Entrypoint: InspectsArgs, EntrypointText: `["/docker-entrypoint.sh"]`, Cmd: []string{"nginx", "-g", "daemon off;"}},
	"postgres": {Entrypoint: InspectsArgs, EntrypointText: `["docker-entrypoint.sh"]`, Cmd: []string{"postgres"}},
	"redis":    {Entrypoint: InspectsArgs, EntrypointText: `["docker-entrypoint.sh"]`, Cmd: []string{"redis-server"}},
	"node":     {Entrypoint: PassesCommand, EntrypointText: `["docker-entrypoint.sh"]`, Cmd: []string{"node"}},
	"python":   {Cmd: []string{"python3"}},
	"alpine":   {Cmd: []string{"/bin/sh"}},
	"debian":   {Cmd: []string{"bash"}},
	"ubuntu":   {Cmd: []string{"/bin/bash"}},
	"scratch":  {},
}

// LookupImage returns what cmdfix knows about an external image reference
// such as "nginx:1.27-alpine", "docker.io/library/nginx" or
// "nginx@sha256:...". References with ARG substitutions are unknown.
func LookupImage(ref string) (ImageInfo, bool) {
	name, ok := imageRepository(ref)
	if !ok {
		return ImageInfo{}, false
	}
	info, ok := knownImages[name]
	return info, ok
}

// imageRepository reduces a reference to the repository name used as the
// key of knownImages: lower case, without tag, digest, registry
// docker.io or "library/".
func imageRepository(ref string) (string, bool) {
	if strings.ContainsAny(ref, "${}") || ref == "" {
		return "", false
	}
	r := strings.ToLower(ref)
	if i := strings.IndexByte(r, '@'); i >= 0 {
		r = r[:i]
	}
	if i := strings.LastIndexByte(r, ':'); i > strings.LastIndexByte(r, '/') {
		r = r[:i]
	}
	for _, p := range []string{"docker.io/", "index.docker.io/", "registry-1.docker.io/"} {
		r = strings.TrimPrefix(r, p)
	}
	r = strings.TrimPrefix(r, "library/")
	return r, true
}
