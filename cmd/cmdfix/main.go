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
	"strings"

	"github.com/cmdfix/cmdfix/rewrite"
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
	opts                     rewrite.Options
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
	stopSignals := cleanUpOnSignal()
	defer stopSignals()
	r := &runner{cfg: cfg, stdout: stdout, stderr: stderr}
	if len(paths) == 0 || (len(paths) == 1 && paths[0] == "-") {
		r.stdin(stdin)
	} else {
		r.paths(paths)
	}
	return r.exitCode()
}

// parseFlags reads the command line. A non-negative code means exit now
// with it (after --help, --version, --list-rules or a bad flag).
func parseFlags(args []string, stdout, stderr io.Writer) (*config, []string, int, error) {
	cfg := &config{}
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
	fs.StringVar(&cfg.outputFormat, "output-format", "text", "report format: text (diagnostics on standard error) or json (report on standard output)")
	fs.StringVar(&cfg.stdinName, "stdin-filename", "", "name standard input in messages and diffs")
	fs.IntVar(&cfg.jobs, "j", runtime.GOMAXPROCS(0), "number of files to process in parallel (default: the CPUs available)")
	fs.BoolVar(&cfg.noIgnore, "no-ignore", false, "walk into files and folders that .gitignore files exclude")
	fs.BoolVar(&cfg.opts.Unsafe, "unsafe", false, "also apply fixes that change behaviour (as their messages say)")
	fs.BoolVar(&cfg.opts.Split, "split", false, "apply ENTRYPOINT + CMD split suggestions")
	fs.BoolVar(&cfg.opts.NoFormat, "no-format", false, "apply fixes only; leave every other byte alone")
	fs.IntVar(&cfg.opts.Indent, "indent", 4, "spaces to indent continuation lines by")
	disable := fs.String("disable", "", "comma-separated rules not to run")
	version := fs.Bool("version", false, "print the version and exit")
	listRules := fs.Bool("list-rules", false, "print the rules and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, exitOK, nil
		}
		return nil, nil, exitError, nil
	}
	switch {
	case *version:
		fmt.Fprintf(stdout, "cmdfix %s\n", versionString())
		return nil, nil, exitOK, nil
	case *listRules:
		for _, r := range rewrite.Rules() {
			fmt.Fprintf(stdout, "%s\t%s\t%s\n", r.Name, r.Fixes, r.Summary())
		}
		return nil, nil, exitOK, nil
	}
	if *disable != "" {
		for _, name := range strings.Split(*disable, ",") {
			name = strings.TrimSpace(name)
			if rewrite.RuleByName(name) == nil {
				return nil, nil, exitError, fmt.Errorf("--disable: unknown rule %q (see cmdfix --list-rules)", name)
			}
			cfg.opts.Disable = append(cfg.opts.Disable, name)
		}
	}
	switch cfg.outputFormat {
	case "text", "json":
	default:
		return nil, nil, exitError, fmt.Errorf("--output-format: unknown format %q (want text or json)", cfg.outputFormat)
	}
	if cfg.opts.Indent < 1 || cfg.opts.Indent > 16 {
		return nil, nil, exitError, fmt.Errorf("--indent: %d is not between 1 and 16", cfg.opts.Indent)
	}
	if cfg.jobs < 1 {
		cfg.jobs = 1
	}
	paths := fs.Args()
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
