// Package cmdline knows how about 25 programs read their command line:
// which leading words of an exec-form CMD say what the container is (the
// interpreter and the script, module, jar or app it runs) and which are
// default arguments a user would vary. The split-entrypoint rule uses it to
// divide a CMD into ENTRYPOINT and CMD.
package cmdline

import (
	"regexp"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/internal/wordset"
)

// Identity is the decision for one command line: its first N words say
// what the container is and belong in ENTRYPOINT. N == 0 means the command must
// not be split; Kind then says why, else it names the ecosystem.
type Identity struct {
	N    int
	Kind string
}

// Kinds of commands that are never split.
const (
	noSplitEmpty          = "empty command"
	noSplitShell          = "shell"
	noSplitWrapper        = "command wrapper"
	noSplitProcessManager = "process manager"
	noSplitPlaceholder    = "placeholder command"
	noSplitUnrecognized   = "unrecognized option"
)

// Of finds the identity prefix of argv, the exec-form
// arguments of a CMD.
func Of(argv []string) Identity {
	if len(argv) == 0 || argv[0] == "" {
		return Identity{Kind: noSplitEmpty}
	}
	name := programName(argv[0])
	switch {
	case shellPrograms()[name]:
		return Identity{Kind: noSplitShell}
	case wrapperPrograms()[name]:
		return Identity{Kind: noSplitWrapper}
	case processManagerPrograms()[name]:
		return Identity{Kind: noSplitProcessManager}
	case placeholderPrograms()[name]:
		return Identity{Kind: noSplitPlaceholder}
	case pythonProgramRE().MatchString(name):
		return pythonIdentity(argv)
	case perlProgramRE().MatchString(name):
		return perlSyntax().identity(argv, 1)
	case phpProgramRE().MatchString(name):
		return phpSyntax().identity(argv, 1)
	}
	if h, ok := programIdentities()[name]; ok {
		return h(argv)
	}
	return Identity{N: 1, Kind: "program"}
}

// programName reduces argv[0] to the name the tables use: the last path
// element (either slash), without a Windows ".exe", in lower case.
func programName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		p = p[i+1:]
	}
	p = strings.ToLower(p)
	return strings.TrimSuffix(p, ".exe")
}

var (
	pythonProgramRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(python|pypy)([0-9]+(\.[0-9]+)?t?)?$`)
	})
	perlProgramRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^perl([0-9]+(\.[0-9]+)*)?$`)
	})
	phpProgramRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^php([0-9]+(\.[0-9]+)?)?$`)
	})
)

// shellPrograms run their arguments as a script: the script is the identity, and
// `docker run IMAGE ARGS` users expect to replace it.
var shellPrograms = sync.OnceValue(func() map[string]bool {
	return wordset.Of("sh", "bash", "rbash", "dash", "ash", "zsh", "ksh", "mksh", "yash",
		"fish", "csh", "tcsh", "pwsh", "pwsh-preview", "powershell", "cmd")
})

// wrapperPrograms run the command their arguments name (after setting up an init,
// a user, an environment or a limit). Their place is in front of the
// image's command, and the command they wrap is what users replace.
var wrapperPrograms = sync.OnceValue(func() map[string]bool {
	return wordset.Of("tini", "tini-static", "dumb-init", "catatonit", "init", "my_init",
		"gosu", "su-exec", "setpriv", "chpst", "runuser", "su", "sudo", "doas",
		"s6-setuidgid", "s6-applyuidgid", "s6-envdir", "with-contenv",
		"env", "nice", "ionice", "nohup", "timeout", "setsid", "stdbuf", "taskset",
		"numactl", "chroot", "unshare", "nsenter", "flock", "xvfb-run",
		"dbus-run-session", "exec", "time", "strace", "ltrace", "valgrind")
})

// processManagerPrograms start what their configuration lists; their arguments
// select that configuration, so nothing in them is a default to vary.
var processManagerPrograms = sync.OnceValue(func() map[string]bool {
	return wordset.Of("supervisord", "s6-svscan", "runsvdir", "circusd", "pm2-runtime")
})

// placeholderPrograms keep a container alive or print something; users replace
// them wholesale.
var placeholderPrograms = sync.OnceValue(func() map[string]bool {
	return wordset.Of("sleep", "tail", "true", "false", "echo", "printf", "cat", "yes")
})

// programIdentities maps program names to their identity decisions; any other
// program is its own identity and its arguments are defaults.
// (A function rather than a sync.OnceValue: launchers such as busybox
// decide the identity of what they start through this table, which would
// be an initialization cycle for a variable.)
func programIdentities() map[string]func([]string) Identity {
	programIdentitiesOnce.Do(func() {
		programIdentitiesTable = map[string]func([]string) Identity{
			"node":        func(a []string) Identity { return nodeSyntax().identity(a, 1) },
			"nodejs":      func(a []string) Identity { return nodeSyntax().identity(a, 1) },
			"deno":        denoIdentity,
			"bun":         bunIdentity,
			"java":        func(a []string) Identity { return javaSyntax().identity(a, 1) },
			"ruby":        func(a []string) Identity { return rubySyntax().identity(a, 1) },
			"jruby":       func(a []string) Identity { return rubySyntax().identity(a, 1) },
			"truffleruby": func(a []string) Identity { return rubySyntax().identity(a, 1) },
			"dotnet":      dotnetIdentity,
			"gunicorn":    gunicornIdentity,
			"uvicorn":     uvicornIdentity,
			"flask":       flaskTool().identity,
			"celery":      celeryTool().identity,
			"npm":         npmTool().identity,
			"yarn":        yarnTool().identity,
			"pnpm":        pnpmTool().identity,
			"bundle":      bundleIdentity,
			"poetry":      launcherIdentity("python", "run"),
			"pipenv":      launcherIdentity("python", "run"),
			"uv":          uvIdentity,
			"npx":         npxIdentity,
			"busybox":     busyboxIdentity,
		}
	})
	return programIdentitiesTable
}

var (
	programIdentitiesOnce  sync.Once
	programIdentitiesTable map[string]func([]string) Identity
)

// optionKind says how an interpreter reads one option word.
type optionKind uint8

const (
	optionUnknown  optionKind = iota
	optionFlag                // stands alone
	optionValue               // takes the next word as its value, unless attached
	optionAttached            // takes only an attached value (ruby -x[dir], perl -MMod)
	optionProgram             // its value is what runs (python -m, java -jar): options end
	optionCode                // its value is program text, and options go on (perl -e)
)

// interpreterSyntax describes the command line of a program that runs a script
// named by its first non-option argument, as in `python [options] script
// [args]`.
type interpreterSyntax struct {
	kind string
	// words are whole option words ("-jar", "--require"); a "--name=value"
	// word is looked up by its name.
	words map[string]optionKind
	// letters are single-letter options, which may be clustered ("-uB",
	// "-Ilib") when clusters is set.
	letters  map[byte]optionKind
	clusters bool
	// unknownLong and unknownShort say how to read options not listed.
	unknownLong, unknownShort optionKind
	// atFiles means "@file" words are options (java's argument files).
	atFiles bool
}

// identity scans argv from index i (after the program name, and after any
// subcommand such as deno's "run") and returns the identity prefix: up to
// and including the script, or the value of an option that names what runs.
// Without a script the interpreter is the image's tool, not its identity,
// and the whole command is returned.
func (ip *interpreterSyntax) identity(argv []string, i int) Identity {
	code := false // inline program text seen: the next word is an argument
	for i < len(argv) {
		a := argv[i]
		switch {
		case a == "--":
			if code || i+1 >= len(argv) {
				return Identity{N: i + 1, Kind: ip.kind}
			}
			return Identity{N: i + 2, Kind: ip.kind}
		case a == "-" || !strings.HasPrefix(a, "-") && !(ip.atFiles && strings.HasPrefix(a, "@")):
			if code {
				return Identity{N: i, Kind: ip.kind}
			}
			return Identity{N: i + 1, Kind: ip.kind}
		}
		k, attached := ip.option(a)
		switch k {
		case optionUnknown:
			return Identity{Kind: noSplitUnrecognized}
		case optionFlag, optionAttached:
			i++
		case optionValue, optionCode, optionProgram:
			i++
			if !attached {
				i++
			}
			if k == optionProgram {
				return Identity{N: min(i, len(argv)), Kind: ip.kind}
			}
			code = code || k == optionCode
		}
	}
	return Identity{N: len(argv), Kind: ip.kind}
}

// option classifies one option word and reports whether its value is
// attached to it.
func (ip *interpreterSyntax) option(a string) (optionKind, bool) {
	if k, ok := ip.words[a]; ok {
		return k, false
	}
	if strings.HasPrefix(a, "@") {
		return optionFlag, false
	}
	if strings.HasPrefix(a, "--") {
		name, _, eq := strings.Cut(a, "=")
		if k, ok := ip.words[name]; ok {
			return k, eq
		}
		if eq && ip.unknownLong != optionUnknown {
			return optionFlag, false
		}
		return ip.unknownLong, false
	}
	if !ip.clusters {
		return ip.unknownShort, false
	}
	for j := 1; j < len(a); j++ {
		switch k := ip.letters[a[j]]; k {
		case optionFlag:
			continue
		case optionUnknown:
			return ip.unknownShort, false
		default:
			return k, j+1 < len(a)
		}
	}
	return optionFlag, false
}

func optionLetters(flags, values, attached, code, program string) map[byte]optionKind {
	m := map[byte]optionKind{}
	for _, g := range []struct {
		s string
		k optionKind
	}{{flags, optionFlag}, {values, optionValue}, {attached, optionAttached}, {code, optionCode}, {program, optionProgram}} {
		for i := 0; i < len(g.s); i++ {
			m[g.s[i]] = g.k
		}
	}
	return m
}

func optionWords(k optionKind, ws ...string) map[string]optionKind {
	m := map[string]optionKind{}
	for _, w := range ws {
		m[w] = k
	}
	return m
}

func mergeOptions(ms ...map[string]optionKind) map[string]optionKind {
	out := map[string]optionKind{}
	for _, m := range ms {
		for w, k := range m {
			out[w] = k
		}
	}
	return out
}

// python [options] (script | -m module | -c code) [args]
var pythonSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "python",
		words: mergeOptions(optionWords(optionFlag, "--help", "--version", "--help-env", "--help-xoptions", "--help-all"),
			optionWords(optionValue, "--check-hash-based-pycs")),
		letters:  optionLetters("bBdEhiIOPqRsSuvVx?t3", "WX", "", "", "cm"),
		clusters: true,
	}
})

// pythonModuleTools are modules that `python -m` runs as the program of the
// same name; their identity is decided as for that program.
var pythonModuleTools = sync.OnceValue(func() map[string]bool {
	return wordset.Of("gunicorn", "uvicorn", "flask", "celery")
})

func pythonIdentity(argv []string) Identity {
	id := pythonSyntax().identity(argv, 1)
	if id.N < 2 || id.N > len(argv) {
		return id
	}
	// python -m gunicorn|uvicorn|flask|celery ...: decide as for the tool.
	last := argv[id.N-1]
	mod := ""
	switch prev := argv[id.N-2]; {
	case prev == "-m":
		mod = last
	case strings.HasPrefix(last, "-m") && len(last) > 2:
		mod = last[2:]
	}
	if !pythonModuleTools()[mod] {
		return id
	}
	sub := Of(append([]string{mod}, argv[id.N:]...))
	if sub.N == 0 {
		return sub
	}
	return Identity{N: id.N - 1 + sub.N, Kind: sub.Kind}
}

// node [options] (script | -e code) [args]
var nodeSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "node",
		words: mergeOptions(
			optionWords(optionFlag, "-i", "--interactive", "-c", "--check", "-v", "--version", "-h", "--help"),
			optionWords(optionValue, "-r", "--require", "--import", "--loader", "--experimental-loader",
				"-C", "--conditions", "--input-type", "--title", "--env-file", "--env-file-if-exists",
				"--inspect-port", "--debug-port", "--icu-data-dir", "--openssl-config",
				"--redirect-warnings", "--report-dir", "--report-directory", "--report-filename",
				"--report-signal", "--secure-heap", "--secure-heap-min", "--tls-cipher-list",
				"--tls-keylog", "--unhandled-rejections", "--diagnostic-dir", "--disable-warning",
				"--dns-result-order", "--heapsnapshot-signal", "--heapsnapshot-near-heap-limit",
				"--max-http-header-size", "--watch-path", "--cpu-prof-dir", "--cpu-prof-name",
				"--heap-prof-dir", "--heap-prof-name", "--localstorage-file", "--experimental-config-file"),
			optionWords(optionCode, "-e", "--eval", "-p", "--print", "-pe"),
			optionWords(optionProgram, "--run")),
		// Node's other long options are flags or take "=value" (V8's).
		unknownLong: optionFlag,
	}
})

// deno run|serve [options] script [args]; other subcommands are the tool's.
var denoSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "deno",
		words: optionWords(optionValue, "-c", "--config", "--import-map", "--cert", "--location", "--seed",
			"--ext", "--preload", "-L", "--log-level", "--port", "--host"),
		letters:     optionLetters("AqrRWNESPIh", "cL", "", "", ""),
		clusters:    true,
		unknownLong: optionFlag,
	}
})

var denoSubcommands = sync.OnceValue(func() map[string]bool {
	return wordset.Of("task", "fmt", "lint", "test", "check", "compile", "bench", "bundle",
		"cache", "doc", "eval", "info", "init", "install", "uninstall", "jupyter", "lsp", "publish",
		"repl", "types", "upgrade", "vendor", "add", "remove", "outdated", "clean", "coverage", "help",
		"completions", "approve-scripts", "x", "update")
})

func denoIdentity(argv []string) Identity {
	switch {
	case len(argv) > 1 && (argv[1] == "run" || argv[1] == "serve"):
		return denoSyntax().identity(argv, 2)
	case len(argv) > 1 && !denoSubcommands()[argv[1]] && !strings.HasPrefix(argv[1], "-"):
		return denoSyntax().identity(argv, 1) // deno main.ts
	}
	return Identity{N: 1, Kind: "deno"}
}

// bun [run] [options] (file | package script) [args]
var bunSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "bun",
		words: mergeOptions(optionWords(optionFlag, "-b", "--bun", "-h", "--help", "-v", "--version"),
			optionWords(optionValue, "-r", "--preload", "--env-file", "--cwd", "-c", "--config",
				"--tsconfig-override", "-d", "--define", "-l", "--loader", "--main-fields",
				"--conditions", "--port"),
			optionWords(optionCode, "-e", "--eval", "-p", "--print")),
		unknownLong: optionFlag,
	}
})

var bunSubcommands = sync.OnceValue(func() map[string]bool {
	return wordset.Of("install", "i", "add", "a", "remove", "rm", "update", "outdated",
		"link", "unlink", "pm", "test", "build", "x", "init", "create", "c", "upgrade", "repl",
		"exec", "publish", "patch", "patch-commit", "audit", "info", "why", "completions", "help")
})

func bunIdentity(argv []string) Identity {
	if len(argv) > 1 && bunSubcommands()[argv[1]] {
		return Identity{N: 1, Kind: "bun"}
	}
	i := 1
	if len(argv) > 1 && argv[1] == "run" {
		i = 2
	}
	return bunSyntax().identity(argv, i)
}

// java [options] (-jar file | -m module[/class] | class | source-file) [args]
var javaSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "java",
		words: mergeOptions(
			optionWords(optionValue, "-cp", "-classpath", "--class-path", "-p", "--module-path",
				"--upgrade-module-path", "--add-modules", "--enable-native-access", "--limit-modules",
				"--add-reads", "--add-exports", "--add-opens", "--patch-module", "--source",
				"-d", "--describe-module"),
			optionWords(optionProgram, "-jar", "-m", "--module")),
		// Every other java option is one word (-Dk=v, -Xmx1g, -XX:+X, -ea, -server).
		unknownLong:  optionFlag,
		unknownShort: optionFlag,
		atFiles:      true,
	}
})

// ruby [options] (script | -e code) [args]
var rubySyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "ruby",
		words: mergeOptions(optionWords(optionFlag, "--verbose", "--version", "--copyright", "--help", "-h",
			"--jit", "--yjit", "--rjit"),
			optionWords(optionValue, "--enable", "--disable", "--encoding", "--external-encoding",
				"--internal-encoding", "--dump")),
		letters:     optionLetters("acdlnpsSvwyU", "IrCE", "x0iWTKF", "e", ""),
		clusters:    true,
		unknownLong: optionFlag,
	}
})

// perl [options] (script | -e code) [args]
var perlSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind:     "perl",
		words:    optionWords(optionFlag, "--help", "--version"),
		letters:  optionLetters("acnpsStTuUvVwWXh", "I", "0lCdDxFMmi", "eE", ""),
		clusters: true,
	}
})

// php [options] (script | -f file | -r code) [args]
var phpSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "php",
		words: mergeOptions(
			optionWords(optionFlag, "--no-php-ini", "--info", "--interactive", "--version", "--help",
				"--syntax-check", "--modules", "--no-header", "--hide-args", "--ini"),
			optionWords(optionValue, "--php-ini", "--define", "--rf", "--rc", "--re", "--rz", "--ri",
				"--server", "--docroot", "--process-begin", "--process-code", "--process-file",
				"--process-end"),
			optionWords(optionProgram, "--file", "--run")),
		letters:  optionLetters("aehHilmnqsvw", "StcdzBRFE", "", "", "fr"),
		clusters: true,
	}
})

// dotnet [host options] [exec [options]] app.dll [args]; any other first
// argument is a subcommand (run, build, test) of the SDK tool.
var dotnetHostSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "dotnet",
		words: mergeOptions(optionWords(optionFlag, "-d", "--diagnostics"),
			optionWords(optionValue, "--additionalprobingpath", "--additional-deps", "--depsfile",
				"--runtimeconfig", "--fx-version", "--roll-forward", "--roll-forward-on-no-candidate-fx")),
	}
})

func dotnetIdentity(argv []string) Identity {
	i := 1
	skipHost := func() {
		for i < len(argv) {
			k, attached := dotnetHostSyntax().option(argv[i])
			if !strings.HasPrefix(argv[i], "-") || k == optionUnknown {
				return
			}
			i++
			if k == optionValue && !attached {
				i++
			}
		}
	}
	skipHost()
	if i < len(argv) && argv[i] == "exec" {
		i++
		skipHost()
	}
	if i < len(argv) && strings.HasSuffix(strings.ToLower(argv[i]), ".dll") {
		return Identity{N: i + 1, Kind: "dotnet"}
	}
	return Identity{N: 1, Kind: "dotnet"}
}

// gunicorn [options] APP [options]: the WSGI app is the identity. Gunicorn
// options take a value unless they are one of its switches.
var gunicornSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "gunicorn",
		words: optionWords(optionFlag, "--reload", "--spew", "--check-config", "--print-config",
			"--preload", "--no-sendfile", "--reuse-port", "--daemon", "--capture-output",
			"--enable-stdio-inheritance", "--log-syslog", "--proxy-protocol", "--initgroups",
			"--suppress-ragged-eofs", "--do-handshake-on-connect", "--strip-header-spaces",
			"--permit-unconventional-http-method", "--permit-unconventional-http-version",
			"--casefold-http-method", "--permit-obsolete-folding", "--tolerate-dangerous-framing",
			"--disable-redirect-access-to-syslog", "--no-control-socket", "--version", "--help"),
		letters:     optionLetters("DRvh", "bckgmnptuwe", "", "", ""),
		clusters:    true,
		unknownLong: optionValue,
	}
})

func gunicornIdentity(argv []string) Identity { return gunicornSyntax().identity(argv, 1) }

// uvicorn [options] APP [options]: the ASGI app is the identity.
var uvicornSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		kind: "uvicorn",
		words: mergeOptions(
			optionWords(optionValue, "--host", "--port", "--uds", "--fd", "--reload-dir", "--reload-include",
				"--reload-exclude", "--reload-delay", "--workers", "--loop", "--http", "--ws",
				"--ws-max-size", "--ws-max-queue", "--ws-ping-interval", "--ws-ping-timeout",
				"--ws-per-message-deflate", "--lifespan", "--interface", "--env-file", "--log-config",
				"--log-level", "--root-path", "--limit-concurrency", "--backlog", "--limit-max-requests",
				"--timeout-keep-alive", "--timeout-graceful-shutdown", "--ssl-keyfile", "--ssl-certfile",
				"--ssl-keyfile-password", "--ssl-version", "--ssl-cert-reqs", "--ssl-ca-certs",
				"--ssl-ciphers", "--header", "--forwarded-allow-ips", "--app-dir",
				"--h11-max-incomplete-event-size", "--timeout-worker-healthcheck"),
			optionWords(optionFlag, "--reload", "--access-log", "--no-access-log", "--use-colors",
				"--no-use-colors", "--proxy-headers", "--no-proxy-headers", "--server-header",
				"--no-server-header", "--date-header", "--no-date-header", "--factory", "--version",
				"--help")),
	}
})

func uvicornIdentity(argv []string) Identity { return uvicornSyntax().identity(argv, 1) }

// A subcommandTool takes a subcommand as its first argument (flask run, npm start,
// celery worker). Options before the subcommand that select the project
// or app belong to its identity; the subcommand and the rest are defaults.
type subcommandTool struct {
	kind    string
	globals map[string]optionKind
}

func (t *subcommandTool) identity(argv []string) Identity {
	ip := &interpreterSyntax{words: t.globals}
	i := 1
	for i < len(argv) && strings.HasPrefix(argv[i], "-") && argv[i] != "--" {
		k, attached := ip.option(argv[i])
		if k == optionUnknown {
			break
		}
		i++
		if k == optionValue && !attached {
			i++
		}
	}
	return Identity{N: min(i, len(argv)), Kind: t.kind}
}

var flaskTool = sync.OnceValue(func() *subcommandTool {
	return &subcommandTool{kind: "flask", globals: mergeOptions(
		optionWords(optionValue, "--app", "-A", "--env-file", "-e"),
		optionWords(optionFlag, "--debug", "--no-debug"))}
})

var celeryTool = sync.OnceValue(func() *subcommandTool {
	return &subcommandTool{kind: "celery", globals: mergeOptions(
		optionWords(optionValue, "-A", "--app", "-b", "--broker", "--result-backend", "--loader", "--config", "--workdir"),
		optionWords(optionFlag, "-q", "--quiet", "-C", "--no-color", "--skip-checks"))}
})

var npmTool = sync.OnceValue(func() *subcommandTool {
	return &subcommandTool{kind: "package manager", globals: mergeOptions(
		optionWords(optionValue, "--prefix", "-w", "--workspace"),
		optionWords(optionFlag, "--workspaces", "-s", "--silent", "-q", "--quiet"))}
})

var yarnTool = sync.OnceValue(func() *subcommandTool {
	return &subcommandTool{kind: "package manager", globals: mergeOptions(
		optionWords(optionValue, "--cwd"),
		optionWords(optionFlag, "-s", "--silent", "--offline", "--frozen-lockfile"))}
})

var pnpmTool = sync.OnceValue(func() *subcommandTool {
	return &subcommandTool{kind: "package manager", globals: mergeOptions(
		optionWords(optionValue, "-C", "--dir", "-F", "--filter"),
		optionWords(optionFlag, "-r", "--recursive", "-w", "--workspace-root", "-s", "--silent"))}
})

// launchIdentity decides for launchers, which run another command inside a
// project's environment (bundle exec, poetry run): their identity is the
// launcher (argv[:i]) followed by the identity of the command they run.
func launchIdentity(kind string, argv []string, i int) Identity {
	if i >= len(argv) {
		return Identity{N: len(argv), Kind: kind}
	}
	sub := Of(argv[i:])
	if sub.N == 0 {
		return sub
	}
	if sub.Kind == "program" {
		sub.Kind = kind
	}
	return Identity{N: i + sub.N, Kind: sub.Kind}
}

// launcherIdentity returns the decision for a tool that launches commands
// with subcommand verb ("poetry run X"); its other subcommands are the
// tool's own.
func launcherIdentity(kind, verb string) func([]string) Identity {
	return func(argv []string) Identity {
		if len(argv) > 1 && argv[1] == verb {
			return launchIdentity(kind, argv, 2)
		}
		return Identity{N: 1, Kind: kind}
	}
}

// bundle exec [--keep-file-descriptors] [--gemfile=F] command ...
func bundleIdentity(argv []string) Identity {
	if len(argv) < 2 || argv[1] != "exec" {
		return Identity{N: 1, Kind: "ruby"}
	}
	i := 2
	for i < len(argv) && (argv[i] == "--keep-file-descriptors" || strings.HasPrefix(argv[i], "--gemfile=")) {
		i++
	}
	return launchIdentity("ruby", argv, i)
}

// uv run [options] command ...
var uvRunSyntax = sync.OnceValue(func() *interpreterSyntax {
	return &interpreterSyntax{
		words: mergeOptions(
			optionWords(optionValue, "--with", "--with-editable", "--with-requirements", "--extra", "--group",
				"--only-group", "--package", "--project", "--directory", "--python", "-p", "--env-file",
				"--index", "--default-index", "--index-url", "--extra-index-url", "-f", "--find-links",
				"--index-strategy", "--resolution", "--prerelease", "--exclude-newer", "--link-mode",
				"-C", "--config-setting", "--cache-dir", "--config-file", "--color", "--python-preference",
				"--no-group", "--allow-insecure-host"),
			optionWords(optionProgram, "-m", "--module")),
		unknownLong: optionFlag,
	}
})

func uvIdentity(argv []string) Identity {
	if len(argv) < 2 || argv[1] != "run" {
		return Identity{N: 1, Kind: "python"}
	}
	i := 2
	for i < len(argv) && strings.HasPrefix(argv[i], "-") {
		k, attached := uvRunSyntax().option(argv[i])
		switch k {
		case optionUnknown:
			return Identity{Kind: noSplitUnrecognized}
		case optionProgram: // uv run -m module: the module is what runs
			i++
			if !attached {
				i++
			}
			return Identity{N: min(i, len(argv)), Kind: "python"}
		}
		i++
		if k == optionValue && !attached {
			i++
		}
	}
	return launchIdentity("python", argv, i)
}

// npx [--yes|-y|--no|-q] [-p pkg] command ...; npx -c runs a shell string.
func npxIdentity(argv []string) Identity {
	i := 1
	for i < len(argv) && strings.HasPrefix(argv[i], "-") {
		switch argv[i] {
		case "-y", "--yes", "--no", "-q", "--quiet", "--no-install", "--ignore-existing":
			i++
		case "-p", "--package":
			i += 2
		case "-c", "--call":
			return Identity{Kind: noSplitShell}
		default:
			if strings.HasPrefix(argv[i], "--package=") {
				i++
				continue
			}
			return Identity{Kind: noSplitUnrecognized}
		}
	}
	return launchIdentity("node", argv, i)
}

// busybox APPLET args: the applet is the program.
func busyboxIdentity(argv []string) Identity {
	if len(argv) < 2 || strings.HasPrefix(argv[1], "-") {
		return Identity{N: len(argv), Kind: "program"}
	}
	return launchIdentity("program", argv, 1)
}
