package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/cache"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// generation is what the test-generation rule reports: a test changes it
// between runs, so a result made by an earlier run is told from a fresh one.
var generation int

var generationRule = &rule.Rule{
	Name: "test-generation",
	Run: func(p *rule.Pass) {
		if ins := p.File.Instructions; len(ins) > 0 {
			p.Report(ins[0], rule.Info, fmt.Sprintf("generation %d", generation), nil)
		}
	},
}

// cmdfixIn runs cmdfix in process and returns its standard output, its
// standard error and its exit code.
func cmdfixIn(args ...string) (string, string, int) {
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

// TestCacheNeverStale changes, one at a time, each thing a result depends
// on, and checks that the next run makes a fresh result rather than reuse
// the cached one; and that without a change the cached one is used (so
// the test could fail).
func TestCacheNeverStale(t *testing.T) {
	saved, savedID := ruleSet, buildID
	t.Cleanup(func() { ruleSet, buildID = saved, savedID })
	ruleSet = append(slices.Clip(rules.All), generationRule)
	dir := t.TempDir()
	t.Chdir(dir)
	cacheDir := filepath.Join(t.TempDir(), "results")
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Dockerfile", "FROM alpine\nRUN echo hi\nCMD echo hi\n")
	args := []string{"--check", "--cache-dir", cacheDir, "Dockerfile"}

	generation = 1
	_, stderr, _ := cmdfixIn(args...)
	if !strings.Contains(stderr, "generation 1") {
		t.Fatalf("first run:\n%s", stderr)
	}
	cases := []struct {
		name   string
		change func() // makes the change, on the files or on args
	}{
		{"one byte of the file", func() { write("Dockerfile", "FROM alpine\nRUN echo hi\nCMD echo ho\n") }},
		{"settings file", func() { write(".cmdfix.toml", "[format]\nindent = 8\n") }},
		{"severity override", func() { write(".cmdfix.toml", "[format]\nindent = 8\n[severity]\nexec-form = \"error\"\n") }},
		{"per-file ignore", func() {
			write(".cmdfix.toml", "[format]\nindent = 8\n[severity]\nexec-form = \"error\"\n[per-file-ignores]\n\"Dockerfile\" = [\"exec-form\"]\n")
		}},
		{"--indent", func() { args = append(args, "--indent", "2") }},
		{"--unsafe", func() { args = append(args, "--unsafe") }},
		{"--split", func() { args = append(args, "--split") }},
		{"--no-format", func() { args = append(args, "--no-format") }},
		{"--ignore", func() { args = append(args, "--ignore", "json-array") }},
		{"--select", func() { args = append(args, "--select", "exec-form,test-generation,entrypoint-cmd") }},
		{"--fail-on", func() { args = append(args, "--fail-on", "warning") }},
		{"the name reported", func() { args[3] = filepath.Join(dir, "Dockerfile") }}, // args[3] is the path
		{"the rules run", func() {
			ruleSet = append(slices.Clip(ruleSet), &rule.Rule{Name: "test-nothing", Run: func(*rule.Pass) {}})
		}},
		{"the version", func() { buildID = func() string { return "cmdfix v9.9.9" } }},
	}
	for _, c := range cases {
		// Unchanged: the cached result (of the previous generation).
		prev := generation
		generation++
		if _, stderr, _ := cmdfixIn(args...); !strings.Contains(stderr, fmt.Sprintf("generation %d", prev)) {
			t.Fatalf("before %s: the cached result was not used:\n%s", c.name, stderr)
		}
		c.change()
		if _, stderr, _ := cmdfixIn(args...); !strings.Contains(stderr, fmt.Sprintf("generation %d", generation)) {
			t.Errorf("after a change of %s: a stale result:\n%s", c.name, stderr)
		}
	}
}

// TestCacheContextInputs: a result that read a script from the build
// context is used again only while that script (and every path the
// context looked at) is unchanged.
func TestCacheContextInputs(t *testing.T) {
	saved := ruleSet
	t.Cleanup(func() { ruleSet = saved })
	ruleSet = append(slices.Clip(rules.All), generationRule)
	dir := t.TempDir()
	t.Chdir(dir)
	cacheDir := filepath.Join(t.TempDir(), "results")
	write := func(name, text string, age time.Duration) {
		t.Helper()
		if err := os.WriteFile(name, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
		when := time.Now().Add(-age)
		if err := os.Chtimes(name, when, when); err != nil {
			t.Fatal(err)
		}
	}
	write("Dockerfile", "FROM alpine\nCOPY start.sh /start.sh\nCMD /start.sh\n", time.Hour)
	write("start.sh", "#!/bin/sh\necho hi\n", time.Hour)
	args := []string{"--check", "--cache-dir", cacheDir, "Dockerfile"}
	run := func(want string, gen int) {
		t.Helper()
		generation = gen
		_, stderr, _ := cmdfixIn(args...)
		if !strings.Contains(stderr, want) {
			t.Fatalf("want %q in:\n%s", want, stderr)
		}
	}
	run("generation 1", 1)
	run("generation 1", 2) // unchanged: cached
	// The script loses its #! line: exec form would now fail to start.
	write("start.sh", "echo hi\n", 0)
	run("generation 3", 3)
	run("has no #! line", 4)
	run("generation 3", 5) // unchanged again: cached
	// A .dockerignore appears and hides the script.
	write(".dockerignore", "start.sh\n", 0)
	run("generation 6", 6)
}

// TestCacheDamaged: packs damaged on disk are not used; the run prints
// what a run without a cache prints, and stores good entries again.
func TestCacheDamaged(t *testing.T) {
	tree := goldenTree(t)
	cacheDir := filepath.Join(t.TempDir(), "results")
	want, wantErr, wantCode := cmdfixIn("-d", "--no-cache", tree)
	cmdfixIn("-d", "--cache-dir", cacheDir, tree)
	packs := entryFiles(t, cacheDir)
	if len(packs) != 1 {
		t.Fatalf("%d packs after one run", len(packs))
	}
	good, err := os.ReadFile(packs[0])
	if err != nil {
		t.Fatal(err)
	}
	// Every tenth byte of the entries changed (each such entry is a
	// miss), the index changed (the whole pack is), the pack cut short,
	// or not a pack at all.
	spoiled := bytes.Clone(good)
	for i := 20; i < len(spoiled)*9/10; i += 10 {
		spoiled[i] ^= 0x04
	}
	index := bytes.Clone(good)
	index[len(index)-60] ^= 1
	for name, data := range map[string][]byte{"entries": spoiled, "index": index, "cut": good[:len(good)/2], "foreign": []byte("foreign")} {
		if err := os.WriteFile(packs[0], data, 0o644); err != nil {
			t.Fatal(err)
		}
		got, gotErr, code := cmdfixIn("-d", "--cache-dir", cacheDir, tree)
		if got != want || gotErr != wantErr || code != wantCode {
			t.Errorf("damaged %s: exit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", name, code, wantCode, got, want, gotErr, wantErr)
		}
		for _, p := range entryFiles(t, cacheDir) {
			if p != packs[0] {
				os.Remove(p) // the good pack that run wrote
			}
		}
	}
	os.Remove(packs[0])
	cmdfixIn("-d", "--cache-dir", cacheDir, tree)
	checkEntries(t, cacheDir)
}

// goldenTree lays the golden cases' inputs out as a tree of Dockerfiles.
func goldenTree(t *testing.T) string {
	t.Helper()
	files, err := filepath.Glob("../../golden/*/*.in.Dockerfile")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	root := t.TempDir()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, filepath.Base(filepath.Dir(f)), strings.TrimSuffix(filepath.Base(f), ".in.Dockerfile"))
		os.MkdirAll(dir, 0o755)
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// entryFiles lists the packs of a store.
func entryFiles(t *testing.T, dir string) []string {
	t.Helper()
	packs, err := filepath.Glob(filepath.Join(dir, "pack-*"))
	if err != nil {
		t.Fatal(err)
	}
	return packs
}

// checkEntries checks that every pack in a store holds only whole
// entries, and that no temporary file is left.
func checkEntries(t *testing.T, dir string) {
	t.Helper()
	s, err := cache.Open(dir, cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Verify()
	if err != nil {
		t.Error(err)
	}
	if n == 0 {
		t.Error("no entries")
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// TestCacheConcurrentRuns runs several cmdfix processes at once on one
// cache, cold and then warm: each prints what a run without the cache
// prints, and the cache holds only whole entries.
func TestCacheConcurrentRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmdfix")
	}
	bin := buildCmdfix(t)
	tree := goldenTree(t)
	cacheDir := filepath.Join(t.TempDir(), "results")
	cmdfix := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		var out bytes.Buffer
		cmd.Stdout = &out
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Error(err)
		}
		return out.String(), code
	}
	want, wantCode := cmdfix("-d", "--no-cache", tree)
	for _, round := range []string{"cold", "warm"} {
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				args := []string{"-d", "--cache-dir", cacheDir, "-j", fmt.Sprint(1 + i%2), tree}
				if got, code := cmdfix(args...); got != want || code != wantCode {
					t.Errorf("%s run %d: exit %d (want %d), output differs from a run without the cache:\n%s", round, i, code, wantCode, got)
				}
			})
		}
		wg.Wait()
		checkEntries(t, cacheDir)
	}
}

// TestCacheCorpusWarmEqualsCold runs each output mode over a copy of the
// corpus without the cache, then twice with it (filling it, then from it):
// every run prints the same bytes and exits with the same code.
func TestCacheCorpusWarmEqualsCold(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the corpus")
	}
	tree := corpusTree(t, 1)
	cacheDir := filepath.Join(t.TempDir(), "results")
	for _, mode := range [][]string{
		{"--check"}, {"-l"}, {"-d"}, {"--output-format", "json"}, {"--output-format", "sarif"},
		{"--output-format", "github"}, {}, {"--statistics", "--fail-on", "info"},
	} {
		want, wantErr, wantCode := cmdfixIn(append(slices.Clip(mode), "--no-cache", tree)...)
		for _, round := range []string{"cold", "warm"} {
			got, gotErr, code := cmdfixIn(append(slices.Clip(mode), "--cache-dir", cacheDir, tree)...)
			if got != want || gotErr != wantErr || code != wantCode {
				t.Errorf("%v, %s: exit %d (want %d); output equal: %t, diagnostics equal: %t", mode, round, code, wantCode, got == want, gotErr == wantErr)
			}
		}
	}
}
