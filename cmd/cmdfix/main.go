// Command cmdfix fixes and formats Dockerfiles without changing what they
// build.
//
// Usage:
//
//	cmdfix [flags] [path ...]
//
// With no paths it reads standard input and writes the result to standard
// output. Directories are walked for Dockerfiles. See README.md for the
// flags and exit codes.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// Exit codes.
const (
	exitOK      = 0
	exitChanged = 1 // --check or -d found a file to change, or findings at or above --fail-on remain
	exitError   = 2 // a file could not be processed, or a bad flag
)

// config is the parsed command line.
type config struct {
	write, diff, list, check bool
	outputFormat             string
	stdinName                string
	jobs                     int
	noIgnore                 bool
	quiet, statistics        bool
	// color says whether to colour standard output and standard error.
	colorOut, colorErr bool
	// opts holds the flags' values (or their defaults); a settings file
	// overrides those not in set, the flags given on the command line.
	opts rewrite.Options
	set  map[string]bool
	// sel and ignore are --select and --ignore, resolved (sel is nil when
	// not given); failOn is --fail-on.
	sel, ignore []string
	failOn      level
	// outside holds the flags about the build context and base images.
	outside outsideFlagValues
	// settings is the file named by --config, used for every input;
	// otherwise configs finds one per folder, unless noConfig. A config
	// made in code rather than by parseFlags has no configs: it uses the
	// flags alone.
	settings   *fileConfig
	configPath string
	noConfig   bool
	configs    *configs
	// showRun is --show-run: print what docker run executes, and exit.
	showRun bool
	// noCache and cacheDir are --no-cache and --cache-dir.
	noCache  bool
	cacheDir string
	// wd returns the working folder, looked up once (see abs); nil in a
	// config made in code.
	wd func() (string, error)
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole command; main only exits with its status, so deferred
// clean-up always runs.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "lsp" {
		return runLSP(args[1:], stdin, stdout, stderr)
	}
	cfg, paths, code, err := parseFlags(args, stdout, stderr)
	if err != nil || code >= 0 {
		if err != nil {
			fmt.Fprintf(stderr, "cmdfix: %v\n", err)
		}
		return max(code, 0)
	}
	if cfg.showRun {
		return cfg.printRuns(paths, stdin, stdout, stderr)
	}
	r := &runner{cfg: cfg, stdout: stdout, stderr: stderr}
	if len(paths) == 0 || (len(paths) == 1 && paths[0] == "-") {
		r.stdin(stdin)
	} else {
		if cfg.write {
			// Only -w makes temporary files; an editor's call on standard
			// input is spared the handler's start-up cost.
			stopSignals := cleanUpOnSignal()
			defer stopSignals()
		}
		r.paths(paths)
	}
	return r.exitCode()
}

// newFlagSet declares every flag on cfg; the returned values are the
// flags that only matter while parsing.
type parseOnly struct {
	sel, ignore, disable, failOn, color *string
	configPath, explain                 *string
	version, listRules, showConfig      *bool
}

func newFlagSet(cfg *config) (*flag.FlagSet, parseOnly) {
	var p parseOnly
	fs := flag.NewFlagSet("cmdfix", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&cfg.write, "w", false, "write results to the files instead of standard output")
	fs.BoolVar(&cfg.diff, "d", false, "print a unified diff of the changes (exit 1 if any)")
	fs.BoolVar(&cfg.diff, "diff", false, "the same as -d")
	fs.BoolVar(&cfg.list, "l", false, "list files whose content would change")
	fs.BoolVar(&cfg.check, "check", false, "like -l, and exit 1 if any file would change")
	p.failOn = fs.String("fail-on", "never", "also exit 1 when findings at or above `LEVEL` are not fixed: never, error, warning or info")
	p.sel = fs.String("select", "", "run only the rules `NAMES`, comma-separated (cmdfix names, hadolint codes, BuildKit check names, or all); default all")
	p.ignore = fs.String("ignore", "", "do not run the rules `NAMES`, comma-separated (the same names as --select)")
	p.disable = fs.String("disable", "", "the same as --ignore `NAMES`")
	fs.StringVar(&cfg.outputFormat, "output-format", formatText, "report `FORMAT`: text (diagnostics on standard error), json or sarif (one report on standard output), github (GitHub Actions annotations on standard output)")
	p.color = fs.String("color", "auto", "colour diagnostics and diffs `WHEN`: auto (on a terminal, unless NO_COLOR is set), always or never")
	fs.BoolVar(&cfg.quiet, "quiet", false, "print only errors on standard error: no findings, summary or progress (exit codes unchanged)")
	fs.BoolVar(&cfg.quiet, "q", false, "the same as --quiet")
	fs.BoolVar(&cfg.statistics, "statistics", false, "print, after the run, the findings by rule: how many, fixed and not")
	fs.StringVar(&cfg.stdinName, "stdin-filename", "", "name standard input `NAME` in messages and diffs")
	fs.IntVar(&cfg.jobs, "j", runtime.GOMAXPROCS(0), "process `N` files in parallel (default: the CPUs available)")
	fs.BoolVar(&cfg.noIgnore, "no-ignore", false, "walk into files and folders that .gitignore files exclude")
	cfg.opts.Rules = ruleSet
	fs.BoolVar(&cfg.opts.Unsafe, "unsafe", false, "also apply fixes that change behaviour (as their messages say)")
	fs.BoolVar(&cfg.opts.Split, "split", false, "apply ENTRYPOINT + CMD split suggestions")
	fs.BoolVar(&cfg.opts.ExplicitShell, "explicit-shell", false, "write shell-form CMD, ENTRYPOINT and HEALTHCHECK in exec form naming their shell")
	fs.BoolVar(&cfg.opts.NoFormat, "no-format", false, "apply fixes only; leave every other byte alone")
	fs.IntVar(&cfg.opts.Indent, "indent", 4, "indent continuation lines by `N` spaces")
	p.configPath = fs.String("config", "", "use this settings `FILE` for every input instead of finding "+configName+" files")
	fs.BoolVar(&cfg.noConfig, "no-config", false, "ignore "+configName+" files")
	outsideFlags(fs, cfg)
	fs.BoolVar(&cfg.noCache, "no-cache", false, "neither use nor store cached results")
	fs.StringVar(&cfg.cacheDir, "cache-dir", "", "keep cached results in `DIR` (default: the user cache folder, cmdfix/results)")
	p.version = fs.Bool("version", false, "print the version and exit")
	p.listRules = fs.Bool("list-rules", false, "print the rules with their fix safety and exit")
	p.explain = fs.String("explain", "", "print the documentation of a `RULE` and exit")
	fs.BoolVar(&cfg.showRun, "show-run", false, "print, for each stage of the files (or standard input), what docker run IMAGE and docker run IMAGE ARGS execute and where each part comes from, and exit (text, or json with --output-format json)")
	p.showConfig = fs.Bool("show-config", false, "print the settings in effect for each path (or standard input) and where they come from, and exit")
	return fs, p
}

// usageHeader and usageFooter frame the flags in --help.
const usageHeader = `usage: cmdfix [flags] [path ...]

cmdfix fixes and formats Dockerfiles without changing what they build.
With no path (or -), it reads standard input and writes the result to
standard output. Directories are walked for Dockerfiles. Flags may come
before or after paths; -- ends the flags.

Flags:
`

const usageFooter = `
Exit codes:
  0  nothing to report, or only what --fail-on lets pass
  1  --check or -d found a file to change, or findings at or above
     --fail-on remain unfixed
  2  a file could not be processed, or a bad flag or setting

Examples:
  cmdfix -d .                         show what cmdfix would change
  cmdfix -w .                         fix and format in place
  cmdfix --check --fail-on=warning .  a CI gate
  cmdfix --select DL3025 Dockerfile   only the checks hadolint calls DL3025
  cmdfix --show-run Dockerfile        what docker run executes, stage by stage
`

// printUsage writes --help: every flag with two dashes (one for
// single-letter flags), its value's kind and its description.
func printUsage(w io.Writer, fs *flag.FlagSet) {
	io.WriteString(w, usageHeader)
	fs.VisitAll(func(f *flag.Flag) {
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		kind, usage := flag.UnquoteUsage(f)
		line := "  " + dash + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintf(w, "%s\n      %s", line, usage)
		if def := f.DefValue; def != "" && def != "false" && def != "0" && f.Name != "j" {
			fmt.Fprintf(w, " (default %s)", def)
		}
		io.WriteString(w, "\n")
	})
	io.WriteString(w, usageFooter)
}

// parseArgs parses flags anywhere among the paths, as GNU tools do: flags
// after a path are flags, and everything after -- is a path. It returns
// the paths in order.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return paths, nil
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			return append(paths, rest...), nil
		}
		paths = append(paths, rest[0])
		args = rest[1:]
	}
}

var undefinedFlag = regexp.MustCompile(`^flag provided but not defined: -(.*)$`)

// flagError words a parse error in one line: an unknown flag as the user
// typed it, with the closest flag cmdfix has.
func flagError(fs *flag.FlagSet, args []string, err error) string {
	m := undefinedFlag.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	name := m[1]
	typed := "--" + name
	for _, a := range args {
		if a == "-"+name || strings.HasPrefix(a, "-"+name+"=") {
			typed = "-" + name
		}
		if a == "--"+name || strings.HasPrefix(a, "--"+name+"=") {
			typed = "--" + name
			break
		}
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	msg := "unknown flag " + typed
	if c := closest(name, names); c != "" {
		dash := "--"
		if len(c) == 1 {
			dash = "-"
		}
		msg += " (did you mean " + dash + c + "?)"
	}
	return msg
}

// splitNames splits a comma-separated list of rule names.
func splitNames(s string) []string {
	var out []string
	for _, n := range strings.Split(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// parseFlags reads the command line. A non-negative code means exit now
// with it (after --help, --version, --list-rules or a bad flag).
func parseFlags(args []string, stdout, stderr io.Writer) (*config, []string, int, error) {
	cfg := &config{configs: &configs{}, wd: sync.OnceValues(os.Getwd)}
	fs, p := newFlagSet(cfg)
	paths, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, fs)
			return nil, nil, exitOK, nil
		}
		fmt.Fprintf(stderr, "cmdfix: %s\ncmdfix: run cmdfix --help for the flags\n", flagError(fs, args, err))
		return nil, nil, exitError, nil
	}
	cfg.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { cfg.set[f.Name] = true })
	if cfg.set["disable"] {
		cfg.set["ignore"] = true
	}
	if cfg.set["q"] {
		cfg.set["quiet"] = true
	}
	switch {
	case *p.version:
		printVersion(stdout, currentVersion())
		return nil, nil, exitOK, nil
	case *p.listRules:
		listRuleTable(stdout)
		return nil, nil, exitOK, nil
	case cfg.set["explain"]:
		if err := explainRule(stdout, *p.explain); err != nil {
			return nil, nil, exitError, err
		}
		return nil, nil, exitOK, nil
	}
	for _, f := range []struct {
		flag  string
		value *string
		into  *[]string
	}{{"select", p.sel, &cfg.sel}, {"ignore", p.ignore, &cfg.ignore}, {"disable", p.disable, &cfg.ignore}} {
		if !cfg.set[f.flag] {
			continue
		}
		names, err := resolveRuleNames(splitNames(*f.value))
		if err != nil {
			return nil, nil, exitError, fmt.Errorf("--%s: %v", f.flag, err)
		}
		*f.into = append(*f.into, names...)
	}
	if cfg.set["select"] && cfg.sel == nil {
		cfg.sel = []string{} // --select= runs no rule
	}
	if cfg.failOn, err = parseLevel(*p.failOn, failLevels...); err != nil {
		return nil, nil, exitError, fmt.Errorf("--fail-on: %v", err)
	}
	if cfg.colorOut, cfg.colorErr, err = colorModes(*p.color, stdout, stderr); err != nil {
		return nil, nil, exitError, err
	}
	if !slices.Contains(outputFormats, cfg.outputFormat) {
		return nil, nil, exitError, fmt.Errorf("--output-format: unknown format %q (want %s)", cfg.outputFormat, strings.Join(outputFormats, ", "))
	}
	if cfg.opts.Indent < 1 || cfg.opts.Indent > 16 {
		return nil, nil, exitError, fmt.Errorf("--indent: %d is not between 1 and 16", cfg.opts.Indent)
	}
	switch {
	case *p.configPath != "" && cfg.noConfig:
		return nil, nil, exitError, errors.New("--config and --no-config cannot be used together")
	case *p.configPath != "":
		fc, err := loadConfig(*p.configPath)
		if err != nil {
			return nil, nil, exitError, err
		}
		cfg.settings, cfg.configPath = fc, *p.configPath
	}
	if cfg.jobs < 1 {
		cfg.jobs = 1
	}
	if err := cfg.checkOutsideFlags(); err != nil {
		return nil, nil, exitError, err
	}
	if cfg.cacheDir != "" {
		if abs, err := filepath.Abs(cfg.cacheDir); err == nil {
			cfg.cacheDir = abs
		}
	}
	if *p.showConfig {
		if err := cfg.showConfig(stdout, stderr, paths); err != nil {
			return nil, nil, exitError, nil
		}
		return nil, nil, exitOK, nil
	}
	if cfg.write && (len(paths) == 0 || (len(paths) == 1 && paths[0] == "-")) {
		return nil, nil, exitError, errors.New("cannot use -w with standard input")
	}
	for _, p := range paths {
		if p == "-" && len(paths) > 1 {
			return nil, nil, exitError, errors.New("standard input (-) cannot be mixed with paths")
		}
	}
	return cfg, paths, -1, nil
}

// ruleSet is the rules cmdfix runs: rules.All (tests add rules of their
// own).
var ruleSet = rules.All
