package rewrite

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden expectations (.out.Dockerfile and .diag) from the current output")

// goldenDir holds one folder per rule or topic. Each case is
// NAME.in.Dockerfile, the expected NAME.out.Dockerfile, the expected
// findings NAME.diag (absent when there are none) and, optionally, the
// options in NAME.flags. A case whose input does not parse has no .out and
// its .diag holds the error.
const goldenDir = "../golden"

// goldenRules runs a topic with other rules than the registry: "engine"
// tests the driver with test-only rules.
var goldenRules = map[string][]*Rule{"engine": engineTestRules}

func TestGolden(t *testing.T) {
	ins, err := filepath.Glob(filepath.Join(goldenDir, "*", "*.in.Dockerfile"))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden cases found in %s", goldenDir)
	}
	for _, in := range ins {
		topic := filepath.Base(filepath.Dir(in))
		base := strings.TrimSuffix(in, ".in.Dockerfile")
		t.Run(topic+"/"+filepath.Base(base), func(t *testing.T) {
			rules, ok := goldenRules[topic]
			if !ok {
				rules = registry
			}
			runGolden(t, base, rules)
		})
	}
}

func runGolden(t *testing.T, base string, rules []*Rule) {
	src := readFile(t, base+".in.Dockerfile")
	opts := Options{}
	if b, err := os.ReadFile(base + ".flags"); err == nil {
		opts = parseGoldenFlags(t, string(b))
	}
	res, err := process("Dockerfile", src, opts, rules)
	var diag strings.Builder
	var out []byte
	if err != nil {
		fmt.Fprintf(&diag, "error: %v\n", err)
	} else {
		out = res.Output
		for _, fd := range res.Findings {
			diag.WriteString(goldenFinding(fd) + "\n")
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
		t.Errorf("missing %s.out.Dockerfile (run go test ./rewrite -update)", base)
	case err == nil && !bytes.Equal(out, wantOut):
		t.Errorf("output differs from %s.out.Dockerfile:\n%s", base, UnifiedDiff("want", "got", wantOut, out))
	}
	wantDiag, _ := os.ReadFile(base + ".diag")
	if got := diag.String(); got != string(wantDiag) {
		t.Errorf("findings differ from %s.diag:\n%s", base, UnifiedDiff("want", "got", wantDiag, []byte(got)))
	}
	if err != nil {
		return
	}
	// The expected output must be a fixed point: fixing it again changes
	// nothing.
	again, err := process("Dockerfile", out, opts, rules)
	if err != nil {
		t.Fatalf("second run failed: %v", err)
	}
	if !bytes.Equal(again.Output, out) {
		t.Errorf("second run changed the output again:\n%s", UnifiedDiff("first", "second", out, again.Output))
	}
}

// goldenFinding formats a finding as the command prints it after the path,
// with a note saying what became of its fix.
func goldenFinding(fd Finding) string {
	s := fd.String()
	switch {
	case fd.Fixed:
		s += " (fixed)"
	case fd.Fix != nil && fd.Fix.Safety == Unsafe:
		s += " (fix with --unsafe)"
	case fd.Fix != nil && fd.Fix.Safety == Suggested:
		s += " (apply with --split)"
	}
	return s
}

// parseGoldenFlags reads a case's options, written as the command's flags.
func parseGoldenFlags(t *testing.T, s string) Options {
	var o Options
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
