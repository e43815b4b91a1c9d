package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// sharedCorpus returns the shared corpus folder (see package corpus), or
// skips.
func sharedCorpus(tb testing.TB) string {
	corpus.Files(tb)
	return corpus.Dir()
}

// corpusTree copies every step-th corpus file into a fresh tree, one
// folder per file, and returns the tree's root.
func corpusTree(tb testing.TB, step int) string {
	src := sharedCorpus(tb)
	entries, err := os.ReadDir(src)
	if err != nil {
		tb.Fatal(err)
	}
	root := tb.TempDir()
	n := 0
	for i, e := range entries {
		name := e.Name()
		if i%step != 0 || !e.Type().IsRegular() || name == "manifest.tsv" || name == "SOURCES.md" || strings.HasPrefix(name, ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			tb.Fatal(err)
		}
		dir := filepath.Join(root, strings.ReplaceAll(name, "__", "_"))
		if err := os.Mkdir(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), data, 0o644); err != nil {
			tb.Fatal(err)
		}
		n++
	}
	if n == 0 {
		tb.Fatal("no corpus files copied")
	}
	return root
}

// runCmd runs cmdfix in-process and returns its exit status and output.
func runCmd(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestOutputIndependentOfJobs runs every output mode over part of the
// corpus with -j 1 and -j 8 and wants the same bytes on standard output
// and standard error, and the same exit status. With -w, the written
// trees must be identical too.
func TestOutputIndependentOfJobs(t *testing.T) {
	tree := corpusTree(t, 12)
	for _, mode := range [][]string{{}, {"-l"}, {"-d"}, {"--check"}, {"--output-format", "json"}, {"--unsafe", "-d"}} {
		t.Run(strings.Join(mode, " "), func(t *testing.T) {
			code1, out1, err1 := runCmd(append(append([]string{"-j", "1"}, mode...), tree)...)
			code8, out8, err8 := runCmd(append(append([]string{"-j", "8"}, mode...), tree)...)
			if code1 != code8 {
				t.Errorf("exit status %d with -j 1, %d with -j 8", code1, code8)
			}
			if out1 != out8 {
				t.Errorf("standard output differs between -j 1 and -j 8:\n%s", firstDifference(out1, out8))
			}
			if err1 != err8 {
				t.Errorf("standard error differs between -j 1 and -j 8:\n%s", firstDifference(err1, err8))
			}
			if !strings.Contains(err1, " files in 1.5s: ") {
				t.Errorf("no summary on standard error:\n%s", tail(err1))
			}
		})
	}
	t.Run("-w", func(t *testing.T) {
		copy1, copy8 := t.TempDir(), t.TempDir()
		if err := os.CopyFS(copy1, os.DirFS(tree)); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(copy8, os.DirFS(tree)); err != nil {
			t.Fatal(err)
		}
		t.Chdir(copy1)
		_, _, err1 := runCmd("-j", "1", "-w", ".")
		t.Chdir(copy8)
		_, _, err8 := runCmd("-j", "8", "-w", ".")
		if err1 != err8 {
			t.Errorf("standard error differs between -j 1 and -j 8:\n%s", firstDifference(err1, err8))
		}
		filepath.WalkDir(copy1, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(copy1, path)
			a, _ := os.ReadFile(path)
			b, err := os.ReadFile(filepath.Join(copy8, rel))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s: written differently with -j 1 and -j 8", rel)
			}
			return nil
		})
	})
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n  -j 1: %s\n  -j 8: %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines against %d", len(al), len(bl))
}

func tail(s string) string {
	if len(s) > 500 {
		return "..." + s[len(s)-500:]
	}
	return s
}

// TestSummary checks the summary's counts and order: fixes and unfixed
// findings by rule, most frequent first, ties by name.
func TestSummary(t *testing.T) {
	fixed := func(name string) rule.Finding { return rule.Finding{Rule: name, Fixed: true} }
	open := func(name string) rule.Finding { return rule.Finding{Rule: name} }
	jobs := []*job{
		{result: &rewrite.Result{Changed: true, Findings: []rule.Finding{fixed("json-array"), fixed("exec-form"), open("entrypoint-cmd")}}},
		{result: &rewrite.Result{Changed: true, Findings: []rule.Finding{fixed("exec-form"), fixed("b-rule"), fixed("a-rule")}}},
		{result: &rewrite.Result{}},
		{path: "x/Dockerfile", err: errors.New("x: broken")},
	}
	s := runStats{elapsed: 2345 * time.Millisecond}
	for _, j := range jobs {
		s.add(j)
	}
	for _, tc := range []struct {
		cfg  config
		want string
	}{
		{config{write: true}, `cmdfix: 4 files in 2.3s: 2 changed, 1 unchanged, 1 failed
cmdfix: fixes: exec-form 2, a-rule 1, b-rule 1, json-array 1
cmdfix: not fixed: entrypoint-cmd 1
cmdfix: failed: x/Dockerfile
`},
		{config{check: true}, `cmdfix: 4 files in 2.3s: 2 would change, 1 unchanged, 1 failed
cmdfix: fixes to apply: exec-form 2, a-rule 1, b-rule 1, json-array 1
cmdfix: not fixed: entrypoint-cmd 1
cmdfix: failed: x/Dockerfile
`},
	} {
		var b bytes.Buffer
		s.print(&b, &tc.cfg)
		if b.String() != tc.want {
			t.Errorf("summary:\n%s\nwant:\n%s", b.String(), tc.want)
		}
	}
	var b bytes.Buffer
	s.printStatistics(&b, &config{write: true})
	want := `rule            findings    fixed  not fixed
exec-form              2        2          0
a-rule                 1        1          0
b-rule                 1        1          0
entrypoint-cmd         1        0          1
json-array             1        1          0
`
	if b.String() != want {
		t.Errorf("statistics:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestNoProgressOffTerminal: standard error that is a file or a buffer
// never gets a progress line.
func TestNoProgressOffTerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if p := newProgress(f); p != nil {
		t.Error("progress line on a file")
	}
	if p := newProgress(&bytes.Buffer{}); p != nil {
		t.Error("progress line on a buffer")
	}
}

// TestProgressLine drives the progress line as a terminal would see it,
// with the timer's ticks made by hand (its period is an hour): drawn on
// one line with carriage returns; a file without output leaves it alone;
// a file with output erases it, prints, and draws it again below; it is
// erased at the end, so output never lands after a half-line.
func TestProgressLine(t *testing.T) {
	var term syncBuffer
	p := startProgress(&term, 0, time.Hour)
	for range 3 {
		p.found()
	}
	p.tick()
	p.walked()
	printed := func(s string) func() { return func() { term.WriteString(s) } }
	p.step(&job{result: &rewrite.Result{}}, false, printed(""))
	p.step(&job{result: &rewrite.Result{Changed: true}}, true, printed("OUTPUT\n"))
	p.tick()
	p.step(&job{err: errors.New("x")}, true, printed("ERROR\n"))
	p.stop()
	want := "\rcmdfix: 0 files, 0 changed, 0 failed\x1b[K" +
		"\r\x1b[KOUTPUT\n" +
		"\rcmdfix: 2/3 files, 1 changed, 0 failed\x1b[K" +
		"\rcmdfix: 2/3 files, 1 changed, 0 failed\x1b[K" +
		"\r\x1b[KERROR\n" +
		"\rcmdfix: 3/3 files, 1 changed, 1 failed\x1b[K" +
		"\r\x1b[K"
	if got := term.String(); got != want {
		t.Errorf("progress output:\n%q\nwant:\n%q", got, want)
	}
}

// TestProgressWaitsForDelay: before its delay nothing is drawn, and a
// file's output is printed with no line to erase or redraw.
func TestProgressWaitsForDelay(t *testing.T) {
	var term syncBuffer
	p := startProgress(&term, time.Hour, time.Hour)
	p.tick()
	p.step(&job{result: &rewrite.Result{}}, true, func() { term.WriteString("OUTPUT\n") })
	p.stop()
	if got := term.String(); got != "OUTPUT\n" {
		t.Errorf("progress output before its delay: %q", got)
	}
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) WriteString(s string) {
	b.Write([]byte(s))
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestSettingsCacheBounded: looking up settings for many folders keeps a
// bounded cache, so a run over any number of folders keeps memory flat,
// and the answers stay right after the cache is emptied.
func TestSettingsCacheBounded(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, configName), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	var c configs
	for i := range maxCachedDirs + 100 {
		dir := filepath.Join(root, fmt.Sprintf("d%d", i), "sub")
		if got := c.forDir(dir); got.err != nil || got.cfg == nil {
			t.Fatalf("%s: settings %+v, want the file at the root", dir, got)
		}
		if len(c.byDir) > maxCachedDirs+3 {
			t.Fatalf("cache holds %d folders after %d lookups", len(c.byDir), i+1)
		}
	}
}
