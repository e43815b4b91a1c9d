package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

// TestQuickStartExampleInREADME checks that the output README.md shows
// for its main command (cmdfix -d examples/Dockerfile) is what that command
// prints: every line of the diff excerpt and of the findings excerpt, and
// the exit code it names.
func TestQuickStartExampleInREADME(t *testing.T) {
	root := sourcetree.Root(t)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	quick := section(t, string(readme), "## Quick start")
	diffLines := fenced(t, quick, "```diff")
	findingLines := fenced(t, quick, "```text")
	if !strings.Contains(quick, "exits 1 because there is a diff") {
		t.Error("the quick start no longer says which status the main command exits with; update this test with it")
	}

	// The README runs it from the repository's root, so the path in the
	// output is examples/Dockerfile.
	t.Chdir(root)
	var stdout, stderr bytes.Buffer
	code := run([]string{"-d", "examples/Dockerfile"}, strings.NewReader(""), &stdout, &stderr)
	if code != 1 {
		t.Errorf("cmdfix -d examples/Dockerfile exited %d, the README says 1\n%s", code, stderr.String())
	}
	for _, l := range diffLines {
		if !hasLine(stdout.String(), l) {
			t.Errorf("README.md's diff shows %q, which cmdfix -d examples/Dockerfile does not print", l)
		}
	}
	for _, l := range findingLines {
		if !hasLine(stderr.String(), l) {
			t.Errorf("README.md's findings show %q, which cmdfix -d examples/Dockerfile does not report", l)
		}
	}
}

// section returns the text of the README section that starts with heading,
// up to the next heading of the same level.
func section(t *testing.T, doc, heading string) string {
	t.Helper()
	_, rest, ok := strings.Cut(doc, "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q section", heading)
	}
	if i := strings.Index(rest, "\n## "); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// fenced returns the lines of the first code block opened by fence.
func fenced(t *testing.T, text, fence string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(text, fence+"\n")
	if !ok {
		t.Fatalf("no %s block", fence)
	}
	block, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatalf("the %s block is not closed", fence)
	}
	lines := strings.Split(strings.TrimSuffix(block, "\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("the %s block has %d lines; a test of nothing cannot fail", fence, len(lines))
	}
	return lines
}

func hasLine(out, line string) bool {
	return strings.Contains("\n"+out, "\n"+line+"\n")
}

// TestShowRunExampleInREADME checks that the --show-run example in
// README.md is what cmdfix prints for the Dockerfile it shows.
func TestShowRunExampleInREADME(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(sourcetree.Root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	sec := section(t, string(readme), "### What `docker run` executes: `--show-run`")
	if i := strings.Index(sec, "\n### "); i >= 0 {
		sec = sec[:i]
	}
	src := strings.Join(fenced(t, sec, "```dockerfile"), "\n") + "\n"
	want := strings.Join(fenced(t, sec, "```text"), "\n") + "\n"
	if !strings.Contains(sec, "`cmdfix --show-run Dockerfile` prints:") {
		t.Error("the README no longer says which command prints the example; update this test with it")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(src), 0o666); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--show-run", "Dockerfile"}, strings.NewReader(""), &stdout, &stderr); code != 0 {
		t.Fatalf("cmdfix --show-run Dockerfile exited %d\n%s", code, stderr.String())
	}
	if got := stdout.String(); got != want {
		t.Errorf("README.md's --show-run example shows\n%s\ncmdfix --show-run prints\n%s", want, got)
	}
}
