// Package sourcetree gives tests the module's own source: the folder that
// holds go.mod, and a copy of the working tree's files as git lists them,
// for tests that build or package cmdfix from a clean folder.
package sourcetree

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Root returns the module root: the nearest folder above the test's
// working folder (the package folder) that holds go.mod.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = parent
	}
}

// Copy copies the working tree's files under root (tracked and untracked,
// less the ignored, as they are now, deleted ones left out) into a new
// temporary folder and returns it. The error reports only that git could
// not list the files, so that each caller decides whether that skips or
// fails its test; any other failure fails the test.
func Copy(t testing.TB, root string) (string, error) {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git ls-files in %s: %w", root, err)
	}
	dst := t.TempDir()
	for name := range strings.SplitSeq(string(out), "\x00") {
		if name == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst, nil
}
