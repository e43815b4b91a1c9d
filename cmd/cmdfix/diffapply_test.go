package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/internal/udiff"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// buildCmdfix builds the command into a temporary folder and returns its
// path, so tests run the real binary.
func buildCmdfix(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "cmdfix")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// copyCorpus copies the corpus files cmdfix can parse into dir and
// returns their names.
func copyCorpus(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for _, path := range corpus.Files(t) {
		e := fileName(filepath.Base(path))
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var pe *dockerfile.ParseError
		if _, err := rewrite.Process(e.Name(), src, rewrite.Options{}); errors.As(err, &pe) {
			continue // BuildKit rejects it; covered by the error tests
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), src, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, e.Name())
	}
	return names
}

// TestDiffAppliesLikeWrite checks, over the whole corpus, that the diff -d
// prints, applied with git apply from the folder cmdfix ran in, gives
// exactly the files -w writes.
func TestDiffAppliesLikeWrite(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	bin := buildCmdfix(t)
	viaDiff, viaWrite := t.TempDir(), t.TempDir()
	names := copyCorpus(t, viaDiff)
	copyCorpus(t, viaWrite)

	cmd := exec.Command(bin, append([]string{"-d"}, names...)...)
	cmd.Dir = viaDiff
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	patch, err := cmd.Output()
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == exitChanged) {
		t.Fatalf("cmdfix -d: %v\n%s", err, stderr.Bytes())
	}
	if (err == nil) != (len(patch) == 0) {
		t.Fatalf("cmdfix -d exit status %v does not match a diff of %d bytes", err, len(patch))
	}

	cmd = exec.Command(bin, append([]string{"-w"}, names...)...)
	cmd.Dir = viaWrite
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cmdfix -w: %v\n%s", err, out)
	}

	if len(patch) > 0 {
		apply := exec.Command("git", "apply", "--whitespace=nowarn", "-")
		apply.Dir = viaDiff
		apply.Stdin = bytes.NewReader(patch)
		if out, err := apply.CombinedOutput(); err != nil {
			t.Fatalf("git apply rejected cmdfix -d output: %v\n%s", err, out)
		}
	}
	changed := 0
	for _, name := range names {
		a, _ := os.ReadFile(filepath.Join(viaDiff, name))
		b, _ := os.ReadFile(filepath.Join(viaWrite, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s: git apply of -d gives a different file than -w:\n%s", name, udiff.Unified("apply", "write", a, b))
		}
		orig, _ := os.ReadFile(filepath.Join(corpus.Dir(), name))
		if !bytes.Equal(orig, b) {
			changed++
		}
	}
	t.Logf("%d corpus files, %d changed by -w, diff of %d bytes applied", len(names), changed, len(patch))
}

// fileName is a corpus file's base name.
type fileName string

func (n fileName) Name() string { return string(n) }
