// Package rewritetest runs golden cases through rewrite.Process, for
// cmdfix's rules and for rules written outside this module, as
// golang.org/x/tools/go/analysis/analysistest does for analyzers.
//
// A folder of cases holds, for each case NAME:
//
//	NAME.in.Dockerfile   the input
//	NAME.out.Dockerfile  the expected output (absent when the input does not parse)
//	NAME.diag            the expected findings, one per line (absent when there are none)
//	NAME.flags           options, written as cmdfix's flags (optional)
//	NAME.context/        the build context (optional; none when absent)
//	NAME.images.json     resolved base image configs (optional): an object
//	                     from reference (ARGs expanded) to {"os", "entrypoint",
//	                     "cmd", "shell", "workingDir", "env"}; a reference
//	                     not in it fails to resolve, as an unreachable one
//
// Findings are written as cmdfix prints them after the path
// (LINE:COL: RULE: message), followed by what became of the fix. A case
// whose input does not parse has the error in its .diag. Running the
// tests with -update rewrites .out.Dockerfile and .diag from the current
// output; review the diff before committing.
package rewritetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/udiff"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

var update = flag.Bool("update", false, "rewrite the golden expectations (.out.Dockerfile and .diag) from the current output")

// Run runs every case in dir (see the package documentation) with rules,
// each as a subtest. It fails when dir holds no case.
func Run(t *testing.T, dir string, rules []*rule.Rule) {
	t.Helper()
	ins, err := filepath.Glob(filepath.Join(dir, "*.in.Dockerfile"))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden cases in %s", dir)
	}
	for _, in := range ins {
		base := strings.TrimSuffix(in, ".in.Dockerfile")
		t.Run(filepath.Base(base), func(t *testing.T) { runCase(t, base, rules) })
	}
}

func runCase(t *testing.T, base string, rules []*rule.Rule) {
	src := readFile(t, base+".in.Dockerfile")
	opts := rewrite.Options{Rules: rules}
	if b, err := os.ReadFile(base + ".flags"); err == nil {
		opts = parseFlags(t, string(b), rules)
	}
	withOutside(t, base, &opts)
	res, err := rewrite.Process("Dockerfile", src, opts)
	var diag strings.Builder
	var out []byte
	if err != nil {
		fmt.Fprintf(&diag, "error: %v\n", err)
	} else {
		out = res.Output
		for _, fd := range res.Findings {
			diag.WriteString(Finding(fd) + "\n")
		}
	}

	if *update {
		writeOrRemove(t, base+".out.Dockerfile", out, err == nil)
		writeOrRemove(t, base+".diag", []byte(diag.String()), diag.Len() > 0)
		return
	}
	wantOut, outErr := os.ReadFile(base + ".out.Dockerfile")
	switch {
	case err != nil && outErr == nil:
		t.Errorf("process failed but %s.out.Dockerfile exists: %v", base, err)
	case err == nil && outErr != nil:
		t.Errorf("missing %s.out.Dockerfile (run the test with -update)", base)
	case err == nil && !bytes.Equal(out, wantOut):
		t.Errorf("output differs from %s.out.Dockerfile:\n%s", base, udiff.Unified("want", "got", wantOut, out))
	}
	wantDiag, _ := os.ReadFile(base + ".diag")
	if got := diag.String(); got != string(wantDiag) {
		t.Errorf("findings differ from %s.diag:\n%s", base, udiff.Unified("want", "got", wantDiag, []byte(got)))
	}
	if err != nil {
		return
	}
	// The expected output must be a fixed point: fixing it again changes
	// nothing.
	again, err := rewrite.Process("Dockerfile", out, opts)
	if err != nil {
		t.Fatalf("second run failed: %v", err)
	}
	if !bytes.Equal(again.Output, out) {
		t.Errorf("second run changed the output again:\n%s", udiff.Unified("first", "second", out, again.Output))
	}
}

// Finding formats a finding as a .diag line: as the command prints it
// after the path, with a note saying what became of its fix.
func Finding(fd rule.Finding) string {
	s := fd.String()
	if n := fd.Note(); n != "" {
		s += " (" + n + ")"
	}
	return s
}

// parseFlags reads a case's options, written as the command's flags.
func parseFlags(t *testing.T, s string, rules []*rule.Rule) rewrite.Options {
	o := rewrite.Options{Rules: rules}
	fields := strings.Fields(s)
	for i := 0; i < len(fields); i++ {
		name, val, hasVal := strings.Cut(fields[i], "=")
		next := func() string {
			if hasVal {
				return val
			}
			i++
			if i == len(fields) {
				t.Fatalf("flag %s needs a value", name)
			}
			return fields[i]
		}
		switch name {
		case "--unsafe":
			o.Unsafe = true
		case "--split":
			o.Split = true
		case "--no-format":
			o.NoFormat = true
		case "--explicit-shell":
			o.ExplicitShell = true
		case "--indent":
			n, err := strconv.Atoi(next())
			if err != nil {
				t.Fatalf("--indent: %v", err)
			}
			o.Indent = n
		case "--disable":
			o.Disable = append(o.Disable, strings.Split(next(), ",")...)
		default:
			t.Fatalf("unknown golden flag %q", fields[i])
		}
	}
	return o
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeOrRemove(t *testing.T, path string, data []byte, keep bool) {
	t.Helper()
	if !keep {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
		return
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// withOutside gives opts the case's build context and resolved images.
func withOutside(t *testing.T, base string, opts *rewrite.Options) {
	t.Helper()
	if st, err := os.Stat(base + ".context"); err == nil && st.IsDir() {
		c, err := buildcontext.Open(base+".context", "")
		if err != nil {
			t.Fatal(err)
		}
		opts.Context = c
	}
	if b, err := os.ReadFile(base + ".images.json"); err == nil {
		var m tableResolver
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.images.json: %v", base, err)
		}
		opts.Images = m
	}
}

// tableResolver resolves the images of a case's .images.json.
type tableResolver map[string]struct {
	OS         string   `json:"os"`
	Entrypoint []string `json:"entrypoint"`
	Cmd        []string `json:"cmd"`
	Shell      []string `json:"shell"`
	WorkingDir string   `json:"workingDir"`
	Env        []string `json:"env"`
}

func (m tableResolver) Resolve(_ context.Context, ref, _ string) (images.Config, error) {
	c, ok := m[ref]
	if !ok {
		return images.Config{}, fmt.Errorf("%s: not in the case's .images.json", ref)
	}
	return images.Config{OS: c.OS, Entrypoint: c.Entrypoint, Cmd: c.Cmd, Shell: c.Shell, WorkingDir: c.WorkingDir, Env: c.Env}, nil
}
