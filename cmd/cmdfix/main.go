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
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// Exit codes.
const (
	exitOK      = 0
	exitChanged = 1 // --check or -d found a file to change
	exitError   = 2 // a file could not be processed, or a bad flag
)

// config is the parsed command line.
type config struct {
	write, diff, list, check bool
	outputFormat             string
	stdinName                string
	jobs                     int
	noIgnore                 bool
	// opts holds the flags' values (or their defaults); a settings file
	// overrides those not in set, the flags given on the command line.
	opts rewrite.Options
	set  map[string]bool
	// settings is the file named by --config, used for every input;
	// otherwise configs finds one per folder, unless noConfig. A config
	// made in code rather than by parseFlags has no configs: it uses the
	// flags alone.
	settings   *fileConfig
	configPath string
	noConfig   bool
	configs    *configs
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is the whole command; main only exits with its status, so deferred
// clean-up always runs.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cfg, paths, code, err := parseFlags(args, stdout, stderr)
	if err != nil || code >= 0 {
		if err != nil {
			fmt.Fprintf(stderr, "cmdfix: %v\n", err)
		}
		return max(code, 0)
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

// parseFlags reads the command line. A non-negative code means exit now
// with it (after --help, --version, --list-rules or a bad flag).
func parseFlags(args []string, stdout, stderr io.Writer) (*config, []string, int, error) {
	cfg := &config{configs: &configs{}}
	fs := flag.NewFlagSet("cmdfix", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: cmdfix [flags] [path ...]\n\nWith no path, cmdfix reads standard input and writes to standard output.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	fs.BoolVar(&cfg.write, "w", false, "write results to the files instead of standard output")
	fs.BoolVar(&cfg.diff, "d", false, "print a unified diff of the changes (exit 1 if any)")
	fs.BoolVar(&cfg.list, "l", false, "list files whose content would change")
	fs.BoolVar(&cfg.check, "check", false, "like -l, and exit 1 if any file would change")
	fs.StringVar(&cfg.outputFormat, "output-format", formatText, "report format: text (diagnostics on standard error), json or sarif (one report on standard output), github (GitHub Actions annotations on standard output)")
	fs.StringVar(&cfg.stdinName, "stdin-filename", "", "name standard input in messages and diffs")
	fs.IntVar(&cfg.jobs, "j", runtime.GOMAXPROCS(0), "number of files to process in parallel (default: the CPUs available)")
	fs.BoolVar(&cfg.noIgnore, "no-ignore", false, "walk into files and folders that .gitignore files exclude")
	cfg.opts.Rules = ruleSet
	fs.BoolVar(&cfg.opts.Unsafe, "unsafe", false, "also apply fixes that change behaviour (as their messages say)")
	fs.BoolVar(&cfg.opts.Split, "split", false, "apply ENTRYPOINT + CMD split suggestions")
	fs.BoolVar(&cfg.opts.ExplicitShell, "explicit-shell", false, "write shell-form CMD, ENTRYPOINT and HEALTHCHECK in exec form naming their shell")
	fs.BoolVar(&cfg.opts.NoFormat, "no-format", false, "apply fixes only; leave every other byte alone")
	fs.IntVar(&cfg.opts.Indent, "indent", 4, "spaces to indent continuation lines by")
	disable := fs.String("disable", "", "comma-separated rules not to run")
	configPath := fs.String("config", "", "use this settings file for every input instead of finding "+configName+" files")
	fs.BoolVar(&cfg.noConfig, "no-config", false, "ignore "+configName+" files")
	version := fs.Bool("version", false, "print the version and exit")
	listRules := fs.Bool("list-rules", false, "print the rules with their fix safety and exit")
	explain := fs.String("explain", "", "print the documentation of a rule and exit")
	showConfig := fs.Bool("show-config", false, "print the settings in effect for each path (or standard input) and where they come from, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, exitOK, nil
		}
		return nil, nil, exitError, nil
	}
	cfg.set = map[string]bool{}
	fs.Visit(func(f *flag.Flag) { cfg.set[f.Name] = true })
	switch {
	case *version:
		fmt.Fprintf(stdout, "cmdfix %s\n", versionString())
		return nil, nil, exitOK, nil
	case *listRules:
		listRuleTable(stdout)
		return nil, nil, exitOK, nil
	case cfg.set["explain"]:
		if err := explainRule(stdout, *explain); err != nil {
			return nil, nil, exitError, err
		}
		return nil, nil, exitOK, nil
	}
	if *disable != "" {
		for _, name := range strings.Split(*disable, ",") {
			name = strings.TrimSpace(name)
			if name == "" {
				continue
			}
			if rule.ByName(ruleSet, name) == nil {
				return nil, nil, exitError, fmt.Errorf("--disable: unknown rule %q (see cmdfix --list-rules)", name)
			}
			cfg.opts.Disable = append(cfg.opts.Disable, name)
		}
	}
	if !slices.Contains(outputFormats, cfg.outputFormat) {
		return nil, nil, exitError, fmt.Errorf("--output-format: unknown format %q (want %s)", cfg.outputFormat, strings.Join(outputFormats, ", "))
	}
	if cfg.opts.Indent < 1 || cfg.opts.Indent > 16 {
		return nil, nil, exitError, fmt.Errorf("--indent: %d is not between 1 and 16", cfg.opts.Indent)
	}
	switch {
	case *configPath != "" && cfg.noConfig:
		return nil, nil, exitError, errors.New("--config and --no-config cannot be used together")
	case *configPath != "":
		fc, err := loadConfig(*configPath)
		if err != nil {
			return nil, nil, exitError, err
		}
		cfg.settings, cfg.configPath = fc, *configPath
	}
	if cfg.jobs < 1 {
		cfg.jobs = 1
	}
	paths := fs.Args()
	if *showConfig {
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

// versionString returns the module version cmdfix was built from.
func versionString() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// ruleSet is the rules cmdfix runs: rules.All (tests add rules of their
// own).
var ruleSet = rules.All
