package images_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/images"
)

func TestLookupImage(t *testing.T) {
	for _, c := range []struct {
		ref   string
		ok    bool
		class images.EntrypointClass
		cmd   []string
	}{
		{"nginx", true, images.InspectsArgs, []string{"nginx", "-g", "daemon off;"}},
		{"nginx:1.27-alpine", true, images.InspectsArgs, []string{"nginx", "-g", "daemon off;"}},
		{"docker.io/library/nginx:latest", true, images.InspectsArgs, []string{"nginx", "-g", "daemon off;"}},
		{"index.docker.io/library/nginx@sha256:abc", true, images.InspectsArgs, []string{"nginx", "-g", "daemon off;"}},
		{"arm64v8/nginx", true, images.InspectsArgs, []string{"nginx", "-g", "daemon off;"}},
		{"mirror.gcr.io/library/redis:7", true, images.InspectsArgs, []string{"redis-server"}},
		{"public.ecr.aws/docker/library/node:22", true, images.PassesCommand, []string{"node"}},
		{"NODE:22-ALPINE", true, images.PassesCommand, []string{"node"}},
		{"php:8.3-fpm-alpine", true, images.PassesCommand, []string{"php-fpm"}},
		{"php:8.3-apache", true, images.PassesCommand, []string{"apache2-foreground"}},
		{"php:8.3", true, images.PassesCommand, []string{"php", "-a"}},
		{"eclipse-temurin:21-jre", true, images.PassesCommand, nil},
		{"eclipse-temurin:21", true, images.PassesCommand, []string{"jshell"}},
		{"buildpack-deps:noble-scm", true, images.NoEntrypoint, []string{"/bin/bash"}},
		{"buildpack-deps:bookworm", true, images.NoEntrypoint, []string{"bash"}},
		{"python:3.12-slim", true, images.NoEntrypoint, []string{"python3"}},
		{"golang:1.22-alpine", true, images.NoEntrypoint, []string{"/bin/sh"}},
		{"nats:2-alpine", true, images.PassesCommand, []string{"nats-server", "--config", "/etc/nats/nats-server.conf"}},
		{"nats:2", true, images.InspectsArgs, []string{"--config", "nats-server.conf"}},
		{"docker:27-dind", true, images.InspectsArgs, []string{}},
		{"scratch", true, images.NoEntrypoint, nil},
		{"myorg/app:1", false, 0, nil},
		{"registry.example.com/nginx", false, 0, nil},
		{"arm64v8/myorg/app", false, 0, nil},
		{"${BASE}", false, 0, nil},
		{"${REGISTRY}/nginx:1", false, 0, nil},
		{"nginx:${TAG}", true, images.InspectsArgs, []string{"nginx", "-g", "daemon off;"}},
		{"python:${PY}-slim", true, images.NoEntrypoint, nil},
		{"php:${PHP}", true, images.PassesCommand, nil},
		{"eclipse-temurin:${JAVA}", false, 0, nil},
		{"nginx@${DIGEST}", true, images.InspectsArgs, []string{"nginx", "-g", "daemon off;"}},
		{"", false, 0, nil},
	} {
		info, ok := images.Lookup(c.ref)
		if ok != c.ok || info.Entrypoint != c.class || !sameCmd(info.Cmd, c.cmd) {
			t.Errorf("LookupImage(%q) = %+v, %v; want class %v, cmd %q, %v", c.ref, info, ok, c.class, c.cmd, c.ok)
		}
		if ok && (info.Entrypoint == images.NoEntrypoint) != (info.EntrypointText == "") {
			t.Errorf("LookupImage(%q): class %v but entrypoint text %q", c.ref, info.Entrypoint, info.EntrypointText)
		}
	}
}

// sameCmd compares CMDs, telling no CMD (nil) from CMD [] (empty).
func sameCmd(a, b []string) bool {
	return (a == nil) == (b == nil) && slices.Equal(a, b)
}

// imageSources maps corpus file name prefixes to the image they build. For
// docker-library files the image is the next part of the name; the rest of
// the name (the folder in the source repository) stands for the tag.
var imageSources = []struct{ prefix, image string }{
	{"docker-library__", ""},
	{"nodejs__docker-node__", "node"},
	{"nginxinc__docker-nginx__", "nginx"},
	{"adoptium__containers__", "eclipse-temurin"},
	{"erlang__docker-erlang-otp__", "erlang"},
	{"carlossg__docker-maven__", "maven"},
	{"gradle__docker-gradle__", "gradle"},
	{"rust-lang__docker-rust__", "rust"},
	{"nats-io__nats-docker__", "nats"},
	{"apache__couchdb-docker__", "couchdb"},
	{"caddyserver__caddy-docker__", "caddy"},
	{"fluent__fluentd-docker-image__", "fluent/fluentd"},
	{"hashicorp__docker-consul__", "hashicorp/consul"},
	{"jenkinsci__docker__", "jenkins/jenkins"},
	{"prometheus__prometheus__", "prom/prometheus"},
	{"bitnami__bitnami-docker-nginx__", "bitnami/nginx"},
	{"bitnami__bitnami-docker-postgresql__", "bitnami/postgresql"},
	{"bitnami__bitnami-docker-redis__", "bitnami/redis"},
}

// notImages are corpus files of those repositories that build something
// other than the image itself: test fixtures, ONBUILD variants, and
// sibling images (elixir, rebar3) built on it.
var notImages = []string{
	"__tests__", "__tests.", "__onbuild", "-onbuild", "erlang__docker-erlang-otp__elixir", "__rebar",
	"Dockerfile.base", ".old", // templates and retired samples
	"couchdb-docker__dev-cluster", "docker-gradle__toolbox",
}

// imageRef returns the image and tag a corpus file builds, if it is one of
// the images the table describes.
func imageRef(name string) (string, bool) {
	for _, x := range notImages {
		if strings.Contains(name, x) {
			return "", false
		}
	}
	for _, s := range imageSources {
		rest, ok := strings.CutPrefix(name, s.prefix)
		if !ok {
			continue
		}
		parts := strings.Split(rest, "__")
		parts = parts[:len(parts)-1] // the Dockerfile's own name
		image := s.image
		if image == "" {
			if len(parts) == 0 {
				return "", false
			}
			image, parts = parts[0], parts[1:]
		}
		if !images.KnownRepository(image) {
			return "", false
		}
		tag := strings.ToLower(strings.Join(parts, "-"))
		if tag == "" {
			tag = "latest"
		}
		return image + ":" + tag, true
	}
	return "", false
}

// TestImageTableMatchesCorpus checks, for every corpus Dockerfile of an
// image in the table, that the table's ENTRYPOINT and CMD for that tag are
// what the Dockerfile's final stage sets (following FROM into the table
// where the file inherits them).
func TestImageTableMatchesCorpus(t *testing.T) {
	checked := map[string]int{}
	for _, path := range corpus.Files(t) {
		name := filepath.Base(path)
		ref, ok := imageRef(name)
		if !ok {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := dockerfile.Parse(name, src)
		if err != nil || len(f.Stages) == 0 {
			continue
		}
		want, _ := images.Lookup(ref)
		ep, epKnown, cmd, cmdKnown := finalConfig(f.Stages[len(f.Stages)-1])
		if epKnown && (ep != want.EntrypointText || (want.Entrypoint == images.NoEntrypoint) != (ep == "")) {
			t.Errorf("%s (%s): ENTRYPOINT is %q, table says %q (%v)", name, ref, ep, want.EntrypointText, want.Entrypoint)
		}
		if cmdKnown && !sameCmd(cmd, want.Cmd) {
			t.Errorf("%s (%s): CMD is %q, table says %q", name, ref, cmd, want.Cmd)
		}
		if epKnown || cmdKnown {
			checked[strings.Split(ref, ":")[0]]++
		}
	}
	if len(checked) < 20 {
		t.Errorf("only %d images checked against the corpus: %v", len(checked), checked)
	}
	t.Logf("images checked against corpus Dockerfiles (files): %v", checked)
}

// finalConfig returns the ENTRYPOINT (as an exec-form array, "" for none)
// and CMD of stage s's image config, each with whether it is known: from
// the file, or from the table where the file inherits it from its base.
func finalConfig(s *dockerfile.Stage) (ep string, epKnown bool, cmd []string, cmdKnown bool) {
	base, baseKnown := images.Lookup(s.ExternalBase())
	if in := s.Entrypoint(); in != nil {
		ep, epKnown = configText(in), true
	} else if baseKnown {
		ep, epKnown = base.EntrypointText, true
	}
	if in, known := s.Cmd(); known {
		cmdKnown = true
		if in != nil {
			cmd = configArgs(in)
		}
	} else if baseKnown {
		cmd, cmdKnown = base.Cmd, true
	}
	return
}

// configArgs returns what Docker stores for a CMD or ENTRYPOINT.
func configArgs(in *dockerfile.Instruction) []string {
	if in.JSON() {
		return append([]string{}, in.Args()...)
	}
	return []string{"/bin/sh", "-c", strings.Join(in.Args(), " ")}
}

func configText(in *dockerfile.Instruction) string {
	args := configArgs(in)
	if len(args) == 0 {
		return ""
	}
	j, _ := dockerfile.JSONArray(args)
	return j
}
