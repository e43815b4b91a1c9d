package udiff

import (
	"bytes"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// diffCases are pairs of texts whose diffs must apply exactly.
func diffCases() map[string][2]string {
	var big, bigEdited strings.Builder
	rng := rand.New(rand.NewSource(1))
	for i := range 5000 {
		line := fmt.Sprintf("RUN echo line %d\n", i)
		big.WriteString(line)
		switch r := rng.Intn(50); {
		case r == 0:
			bigEdited.WriteString("RUN echo replaced\n")
		case r == 1: // deleted
		case r == 2:
			bigEdited.WriteString(line + "RUN echo inserted\n")
		default:
			bigEdited.WriteString(line)
		}
	}
	return map[string][2]string{
		"change":               {"FROM a\nCMD x\nRUN y\n", "FROM a\nCMD [\"x\"]\nRUN y\n"},
		"old-no-final-newline": {"FROM a\nCMD x", "FROM a\nCMD [\"x\"]"},
		"add-final-newline":    {"FROM a\nCMD x", "FROM a\nCMD x\n"},
		"drop-final-newline":   {"FROM a\nCMD x\n", "FROM a\nCMD x"},
		"crlf":                 {"FROM a\r\nCMD x\r\nRUN y\r\n", "FROM a\r\nCMD [\"x\"]\r\nRUN y\r\n"},
		"delete-first-line":    {"# c\nFROM a\nRUN b\nRUN c\nRUN d\n", "FROM a\nRUN b\nRUN c\nRUN d\n"},
		"insert-at-end":        {"FROM a\nRUN b\n", "FROM a\nRUN b\nCMD c\n"},
		"from-empty":           {"", "FROM a\n"},
		"to-empty":             {"FROM a\n", ""},
		"two-hunks":            {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n", "x\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\ny\n"},
		"merged-hunks":         {"1\n2\n3\n4\n5\n6\n7\n8\n", "x\n2\n3\n4\n5\n6\n7\ny\n"},
		"bom-and-unicode":      {"\ufeffFROM a\nCMD echo ünï\n", "\ufeffFROM a\nCMD [\"echo\", \"ünï\"]\n"},
		"many-scattered-edits": {big.String(), bigEdited.String()},
	}
}

var hunkHeader = regexp.MustCompile(`(?m)^@@ .* @@$`)

// TestUnifiedDiffApplies checks that git apply and patch -p1 accept every
// diff and produce exactly the new text, and that the hunk headers are the
// ones GNU diff -u writes.
func TestUnifiedDiffApplies(t *testing.T) {
	for _, tool := range []string{"git", "patch", "diff"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: diff application not tested", tool)
		}
	}
	for name, c := range diffCases() {
		t.Run(name, func(t *testing.T) {
			old, new := []byte(c[0]), []byte(c[1])
			d := Unified("a/Dockerfile", "b/Dockerfile", old, new)
			if len(d) == 0 {
				t.Fatal("empty diff for different texts")
			}
			for _, apply := range [][]string{{"git", "apply", "-"}, {"patch", "-p1", "--quiet"}} {
				dir := t.TempDir()
				path := filepath.Join(dir, "Dockerfile")
				if err := os.WriteFile(path, old, 0o644); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(apply[0], apply[1:]...)
				cmd.Dir = dir
				cmd.Stdin = bytes.NewReader(d)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s rejected the diff: %v\n%s\n%s", apply[0], err, out, d)
				}
				got, _ := os.ReadFile(path)
				if !bytes.Equal(got, new) {
					t.Errorf("%s produced %q, want %q", apply[0], got, new)
				}
			}
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "old"), old, 0o644)
			os.WriteFile(filepath.Join(dir, "new"), new, 0o644)
			gnu, _ := exec.Command("diff", "-u", filepath.Join(dir, "old"), filepath.Join(dir, "new")).Output()
			if want, got := hunkHeader.FindAll(gnu, -1), hunkHeader.FindAll(d, -1); !bytes.Equal(bytes.Join(want, nil), bytes.Join(got, nil)) {
				t.Errorf("hunk headers %q, GNU diff -u writes %q", got, want)
			}
		})
	}
}

func TestUnifiedDiffEqualIsEmpty(t *testing.T) {
	if d := Unified("a", "b", []byte("x\n"), []byte("x\n")); d != nil {
		t.Errorf("diff of equal texts: %q", d)
	}
}

// TestNamesWithBlanks checks that a diff of a file whose path has blanks
// applies with patch -p1 as well as git apply: the header names end in a
// tab, as git writes them.
func TestNamesWithBlanks(t *testing.T) {
	for _, tool := range []string{"git", "patch"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed: diff application not tested", tool)
		}
	}
	old, new := []byte("FROM a\ncmd x\n"), []byte("FROM a\nCMD x\n")
	name := "my app/Docker file"
	d := Unified("a/"+name, "b/"+name, old, new)
	if !bytes.HasPrefix(d, []byte("--- a/"+name+"\t\n+++ b/"+name+"\t\n")) {
		t.Fatalf("headers: %q", d)
	}
	for _, apply := range [][]string{{"git", "apply", "-"}, {"patch", "-p1", "--quiet"}} {
		dir := t.TempDir()
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, old, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(apply[0], apply[1:]...)
		cmd.Dir = dir
		cmd.Stdin = bytes.NewReader(d)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s rejected the diff: %v\n%s\n%s", apply[0], err, out, d)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, new) {
			t.Errorf("%s produced %q, want %q", apply[0], got, new)
		}
	}
}
