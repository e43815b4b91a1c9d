// Package images is what cmdfix knows, offline, about well-known external
// base images: whether their ENTRYPOINT may inspect the CMD it is given,
// and which CMD an ENTRYPOINT would discard.
//
// Which images set an ENTRYPOINT and CMD is checked against their
// Dockerfiles in the shared corpus by TestImageTableMatchesCorpus. How each
// entrypoint script treats its arguments was read from the script in the
// image's public repository (docker-library/<name>, nodejs/docker-node,
// nginxinc/docker-nginx, adoptium/containers, ...); the reason is noted next
// to each entry. When unsure, an entrypoint is classified InspectsArgs.
package images

import (
	"slices"
	"strings"
	"sync"
)

// EntrypointClass says what a base image's ENTRYPOINT does with the command
// (CMD and docker run arguments) it receives.
type EntrypointClass uint8

const (
	// NoEntrypoint: the image sets no ENTRYPOINT; CMD is the command.
	NoEntrypoint EntrypointClass = iota
	// PassesCommand: the entrypoint runs any command it is given unchanged
	// (after its own setup), so converting CMD's form does not change
	// what it does. The scripts in this class look only at whether the
	// first argument starts with "-" or names an existing command, which is
	// the same for /bin/sh and for the program a converted CMD names.
	PassesCommand
	// InspectsArgs: the entrypoint looks at its arguments (for example
	// runs its setup only when $1 is the server's name), so the exact argv
	// matters. Used also when unsure, and for entrypoints that are programs.
	InspectsArgs
)

func (c EntrypointClass) String() string {
	switch c {
	case PassesCommand:
		return "passes the command on"
	case InspectsArgs:
		return "inspects its arguments"
	}
	return "no entrypoint"
}

// Info is what cmdfix knows about one image.
type Info struct {
	// Entrypoint classifies the image's ENTRYPOINT.
	Entrypoint EntrypointClass
	// EntrypointText is the image's ENTRYPOINT as an exec-form array, for
	// messages ("" if none).
	EntrypointText string
	// Cmd is the image's default CMD as Docker stores it, nil if none (or,
	// for the few variants noted in the table, not known). An empty,
	// non-nil Cmd is a CMD [] that clears it.
	Cmd []string
}

// imageVariant is one flavour of a repository, chosen by its tag.
type imageVariant struct {
	// tags holds patterns of which the tag must match one: a substring,
	// "^x" for a prefix, "=x" for the whole tag, "a&b" for both a and b.
	// nil matches every tag. The first matching variant wins.
	tags []string
	info Info
}

// Shared entries.
var (
	// ubuntuTags are Ubuntu release names used in tags such as
	// buildpack-deps:noble; their base CMD is /bin/bash, Debian's is bash.
	ubuntuTags       = []string{"bionic", "focal", "jammy", "kinetic", "lunar", "mantic", "noble", "oracular", "plucky", "questing", "resolute"}
	windowsTags      = []string{"windows", "nanoserver", "servercore", "ltsc"}
	dockerEntrypoint = `["docker-entrypoint.sh"]`
)

func passes(ep string, cmd ...string) Info {
	return Info{Entrypoint: PassesCommand, EntrypointText: ep, Cmd: cmd}
}

func inspects(ep string, cmd ...string) Info {
	return Info{Entrypoint: InspectsArgs, EntrypointText: ep, Cmd: cmd}
}

func plain(cmd ...string) Info { return Info{Cmd: cmd} }

func only(info Info) []imageVariant { return []imageVariant{{info: info}} }

// knownImages is keyed by repository name without registry, "library/",
// architecture prefix or tag: "nginx", "postgres", "fluent/fluentd". It is
// built on first use, like the other tables of the rules: an editor starts
// cmdfix on every save, and building them all at start-up took a tenth of
// such a run.
var knownImages = sync.OnceValue(func() map[string][]imageVariant {
	return map[string][]imageVariant{
		// Operating system bases: no ENTRYPOINT.
		"scratch":     only(Info{}),
		"alpine":      only(plain("/bin/sh")),
		"busybox":     only(plain("sh")),
		"debian":      only(plain("bash")),
		"ubuntu":      only(plain("/bin/bash")),
		"centos":      only(plain("/bin/bash")),
		"fedora":      only(plain("/bin/bash")),
		"amazonlinux": only(plain("/bin/bash")),
		"oraclelinux": only(plain("/bin/bash")),
		"almalinux":   only(plain("/bin/bash")),
		"rockylinux":  only(plain("/bin/bash")),
		"buildpack-deps": {
			{tags: ubuntuTags, info: plain("/bin/bash")},
			{info: plain("bash")},
		},

		// Language images with no ENTRYPOINT.
		"python": {
			{tags: windowsTags, info: plain("python")},
			{info: plain("python3")},
		},
		"pypy": {
			{tags: []string{"2.7", "2-"}, info: plain("pypy")},
			{tags: windowsTags, info: plain("pypy")},
			{info: plain("pypy3")},
		},
		"ruby":    only(plain("irb")),
		"openjdk": only(plain("jshell")),
		"golang": {
			{tags: []string{"alpine"}, info: plain("/bin/sh")},
			{tags: windowsTags, info: Info{}}, // CMD of the Windows base: not known
			{info: plain("bash")},
		},
		"rust": {
			{tags: []string{"alpine"}, info: plain("/bin/sh")},
			{info: plain("bash")},
		},
		"erlang": only(plain("erl")),
		"amazoncorretto": {
			{tags: []string{"alpine"}, info: plain("/bin/sh")},
			{info: plain("/bin/bash")},
		},
		"gradle": {
			{tags: []string{"corretto", "graal"}, info: plain("gradle")},
			{info: passes(`["/__cacert_entrypoint.sh"]`, "gradle")}, // eclipse-temurin's
		},
		"httpd":  only(plain("httpd-foreground")),
		"tomcat": only(plain("catalina.sh", "run")), // ENTRYPOINT [] clears eclipse-temurin's
		"caddy": {
			{tags: []string{"windows&builder"}, info: Info{}},   // CMD of the Windows base: not known
			{tags: []string{"builder"}, info: plain("/bin/sh")}, // golang:alpine's
			{info: plain("caddy", "run", "--config", "/etc/caddy/Caddyfile", "--adapter", "caddyfile")},
		},

		// ENTRYPOINT scripts that run any command unchanged.
		// node: prepends "node" only when $1 starts with "-", is not a command,
		// or is a non-executable file.
		"node": only(passes(dockerEntrypoint, "node")),
		// php: prepends "php" only when $1 starts with "-".
		"php": {
			{tags: []string{"fpm"}, info: passes(`["docker-php-entrypoint"]`, "php-fpm")},
			{tags: []string{"apache"}, info: passes(`["docker-php-entrypoint"]`, "apache2-foreground")},
			{info: passes(`["docker-php-entrypoint"]`, "php", "-a")},
		},
		// drupal: inherits php's entrypoint and CMD.
		"drupal": {
			{tags: []string{"fpm"}, info: passes(`["docker-php-entrypoint"]`, "php-fpm")},
			{info: passes(`["docker-php-entrypoint"]`, "apache2-foreground")},
		},
		// memcached: prepends "memcached" only when $1 starts with "-".
		"memcached": only(passes(dockerEntrypoint, "memcached")),
		// eclipse-temurin: /__cacert_entrypoint.sh imports CA certificates when
		// USE_SYSTEM_CA_CERTS is set, then runs "$@".
		"eclipse-temurin": {
			{tags: []string{"jre&windows", "jre&nanoserver", "jre&servercore", "^8-&windows", "^8u&windows"}, info: Info{}}, // CMD of the Windows base: not known
			{tags: windowsTags, info: plain("jshell")},
			{tags: []string{"jre", "=8", "^8-", "^8u"}, info: passes(`["/__cacert_entrypoint.sh"]`)}, // JDK 8 has no jshell
			{info: passes(`["/__cacert_entrypoint.sh"]`, "jshell")},
		},
		// maven: mvn-entrypoint.sh copies reference settings, then runs "$@".
		"maven": {
			{tags: windowsTags, info: inspects(`["powershell.exe", "-f", "C:/ProgramData/Maven/mvn-entrypoint.ps1"]`, "mvn")},
			{info: passes(`["/usr/local/bin/mvn-entrypoint.sh"]`, "mvn")},
		},
		// jenkins.sh starts Jenkins only when there are no arguments or $1
		// starts with "--"; otherwise it runs "$@".
		"jenkins/jenkins": {
			{tags: windowsTags, info: inspects(`["powershell.exe", "-f", "C:/ProgramData/Jenkins/jenkins.ps1"]`)},
			{tags: []string{"alpine", "rhel"}, info: passes(`["/sbin/tini", "--", "/usr/local/bin/jenkins.sh"]`)},
			{info: passes(`["/usr/bin/tini", "--", "/usr/local/bin/jenkins.sh"]`)},
		},
		// nats (alpine): prepends nats-server only for no arguments or a
		// leading "-". The other tags run the server binary directly.
		"nats": {
			{tags: []string{"alpine"}, info: passes(dockerEntrypoint, "nats-server", "--config", "/etc/nats/nats-server.conf")},
			{tags: windowsTags, info: inspects(`["C:\\nats-server.exe"]`, "--config", "nats-server.conf")},
			{info: inspects(`["/nats-server"]`, "--config", "nats-server.conf")},
		},

		// ENTRYPOINT scripts that look at their arguments.
		"nginx":    only(inspects(`["/docker-entrypoint.sh"]`, "nginx", "-g", "daemon off;")), // setup only if $1 is nginx
		"postgres": only(inspects(dockerEntrypoint, "postgres")),                              // initdb only if $1 is postgres
		"redis":    only(inspects(dockerEntrypoint, "redis-server")),                          // chown and gosu only if $1 is redis-server
		"mongo": {
			{tags: windowsTags, info: plain("mongod", "--bind_ip_all")},
			{info: inspects(dockerEntrypoint, "mongod")}, // setup keyed on $1 being mongod
		},
		"mysql":     only(inspects(dockerEntrypoint, "mysqld")),          // setup only if $1 is mysqld
		"mariadb":   only(inspects(dockerEntrypoint, "mariadbd")),        // setup only if $1 is mariadbd
		"cassandra": only(inspects(dockerEntrypoint, "cassandra", "-f")), // gosu only if $1 is cassandra
		"rabbitmq": {
			{info: inspects(dockerEntrypoint, "rabbitmq-server")}, // gosu only if $1 is rabbitmq*
		},
		"ghost": only(inspects(dockerEntrypoint, "node", "current/index.js")), // setup only if "$*" is node current/index.js
		"julia": {
			{tags: windowsTags, info: plain("julia")},
			{info: inspects(dockerEntrypoint, "julia")}, // runs julia when $1 ends in .jl
		},
		"docker": { // docker help "$1" decides whether to prepend docker
			{tags: windowsTags, info: Info{}},
			{tags: []string{"cli"}, info: inspects(dockerEntrypoint, "sh")},
			{info: inspects(`["dockerd-entrypoint.sh"]`, []string{}...)},
		},
		"couchdb": { // setup only for couchdb
			{tags: []string{"nouveau"}, info: plain("/usr/bin/java", "-server", "-Djava.awt.headless=true", "-Xmx2g", "-jar", "/opt/nouveau/lib/nouveau-1.0-SNAPSHOT.jar", "server", "/opt/nouveau/etc/nouveau.yaml")},
			{tags: []string{"ubi"}, info: inspects(`["/docker-entrypoint.sh"]`, "/opt/couchdb/bin/couchdb")},
			{info: inspects(`["tini", "--", "/docker-entrypoint.sh"]`, "/opt/couchdb/bin/couchdb")},
		},
		"wordpress": { // setup only if $1 is apache2* or php-fpm
			{tags: []string{"cli"}, info: inspects(dockerEntrypoint, "wp", "shell")},
			{tags: []string{"fpm"}, info: inspects(dockerEntrypoint, "php-fpm")},
			{info: inspects(dockerEntrypoint, "apache2-foreground")},
		},
		"haproxy":          only(inspects(dockerEntrypoint, "haproxy", "-f", "/usr/local/etc/haproxy/haproxy.cfg")), // rewrites "haproxy ..." args
		"traefik":          only(inspects(`["/entrypoint.sh"]`, "traefik")),                                         // traefik "$1" --help decides
		"consul":           only(inspects(dockerEntrypoint, "agent", "-dev", "-client", "0.0.0.0")),                 // agent/version/subcommands
		"hashicorp/consul": only(inspects(dockerEntrypoint, "agent", "-dev", "-client", "0.0.0.0")),
		"fluent/fluentd": { // adds config flags only if $1 is fluentd
			{tags: []string{"windows&^v1.2-", "windows&^v1.3-", "windows&^v1.4-", "windows&^v1.5-", "windows&^v1.6-", "windows&^v1.7-", "windows&^v1.8-", "windows&^v1.9-", "windows&^v1.10-", "windows&^v1.11-"},
				info: inspects(`["cmd", "/k", "fluentd", "-c", "C:\\fluent\\conf\\fluent.conf"]`)},
			{tags: windowsTags, info: inspects(`["cmd", "/k", "fluentd", "--config", "C:\\fluent\\conf\\fluent.conf"]`)},
			{tags: []string{"^v0.14-", "^v1.0-", "^v1.1-", "^v1.2-"}, info: inspects(`["/bin/entrypoint.sh"]`, "fluentd")},
			{info: inspects(`["tini", "--", "/bin/entrypoint.sh"]`, "fluentd")},
		},
		"prom/prometheus":    only(inspects(`["/bin/prometheus"]`, "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus")),
		"bitnami/nginx":      only(inspects(`["/opt/bitnami/scripts/nginx/entrypoint.sh"]`, "/opt/bitnami/scripts/nginx/run.sh")),
		"bitnami/postgresql": only(inspects(`["/opt/bitnami/scripts/postgresql/entrypoint.sh"]`, "/opt/bitnami/scripts/postgresql/run.sh")),
		"bitnami/redis":      only(inspects(`["/opt/bitnami/scripts/redis/entrypoint.sh"]`, "/opt/bitnami/scripts/redis/run.sh")),
	}
})

// Lookup returns what cmdfix knows about an external image reference
// such as "nginx:1.27-alpine", "docker.io/library/nginx", "arm64v8/nginx"
// or "nginx@sha256:...". A reference whose repository holds an ARG
// substitution is unknown; one whose tag does ("nginx:${VERSION}") is known
// as far as all the repository's variants agree.
func Lookup(ref string) (Info, bool) {
	name, tag, ok := imageRepository(ref)
	if !ok {
		return Info{}, false
	}
	variants, ok := knownImages()[name]
	if !ok {
		return Info{}, false
	}
	if strings.ContainsAny(tag, "${}") {
		return commonInfo(variants)
	}
	for _, v := range variants {
		if v.tags == nil || tagMatches(tag, v.tags) {
			return v.info, true
		}
	}
	return Info{}, false
}

// commonInfo returns what all variants of a repository share, for a tag
// that is not known: the entrypoint class and text if they agree (else
// not known), the CMD only if it agrees too.
func commonInfo(variants []imageVariant) (Info, bool) {
	info := variants[0].info
	for _, v := range variants[1:] {
		if v.info.Entrypoint != info.Entrypoint || v.info.EntrypointText != info.EntrypointText {
			return Info{}, false
		}
		if !slices.Equal(v.info.Cmd, info.Cmd) || (v.info.Cmd == nil) != (info.Cmd == nil) {
			info.Cmd = nil
		}
	}
	return info, true
}

// tagMatches reports whether tag matches one of the patterns (see
// imageVariant.tags).
func tagMatches(tag string, patterns []string) bool {
	for _, p := range patterns {
		all := true
		for _, sub := range strings.Split(p, "&") {
			if exact, ok := strings.CutPrefix(sub, "="); ok {
				all = all && tag == exact
			} else if prefix, ok := strings.CutPrefix(sub, "^"); ok {
				all = all && strings.HasPrefix(tag, prefix)
			} else {
				all = all && strings.Contains(tag, sub)
			}
		}
		if all {
			return true
		}
	}
	return false
}

// Prefixes that name Docker Hub itself, or public mirrors of its official
// images.
var hubPrefixes = []string{
	"docker.io/", "index.docker.io/", "registry-1.docker.io/", "registry.hub.docker.com/",
	"mirror.gcr.io/", "public.ecr.aws/docker/",
}

// archPrefixes are the per-architecture namespaces of the official images
// (amd64/nginx is the same image as nginx for that architecture).
var archPrefixes = []string{
	"amd64/", "arm32v5/", "arm32v6/", "arm32v7/", "arm64v8/", "i386/", "mips64le/",
	"ppc64le/", "riscv64/", "s390x/", "windows-amd64/",
}

// imageRepository reduces a reference to the repository name used as the
// key of knownImages (lower case, without tag, digest, Docker Hub
// registry, "library/" or architecture namespace) and its tag ("latest"
// when none).
func imageRepository(ref string) (name, tag string, ok bool) {
	r := strings.ToLower(ref)
	if i := strings.IndexByte(r, '@'); i >= 0 {
		r = r[:i]
	}
	tag = "latest"
	if i := strings.LastIndexByte(r, ':'); i > strings.LastIndexByte(r, '/') {
		r, tag = r[:i], r[i+1:]
	}
	if r == "" || strings.ContainsAny(r, "${}") {
		return "", "", false
	}
	for _, p := range hubPrefixes {
		r = strings.TrimPrefix(r, p)
	}
	r = strings.TrimPrefix(r, "library/")
	for _, p := range archPrefixes {
		if rest, found := strings.CutPrefix(r, p); found && !strings.Contains(rest, "/") {
			r = rest
			break
		}
	}
	return r, tag, true
}
