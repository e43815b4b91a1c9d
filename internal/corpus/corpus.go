// Package corpus gives tests the shared corpus of real Dockerfiles, which
// lives beside the project (../shared/corpus from the module root) and
// not in it. A test that needs it skips when it is absent, or in -short
// mode, and Main prints one line per package saying how many tests
// skipped and why, so a checkout without the corpus does not pass quietly.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// skipped counts the tests of this test binary that skipped for want of
// the corpus.
var skipped atomic.Int64

// Root returns the module's root folder.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Dir returns the corpus folder: $CMDFIX_CORPUS when set (make bench sets
// it), else ../shared/corpus from the module root.
func Dir() string {
	if d := os.Getenv("CMDFIX_CORPUS"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(Root()), "shared", "corpus")
}

// Seeds returns fuzz seeds: the golden inputs (golden/*/*.in.Dockerfile)
// and, unless -short, the corpus files (an absent corpus is fine).
func Seeds(tb testing.TB) [][]byte {
	paths, _ := filepath.Glob(filepath.Join(Root(), "golden", "*", "*.in.Dockerfile"))
	if len(paths) == 0 {
		tb.Fatal("no golden inputs found")
	}
	if !testing.Short() {
		entries, _ := os.ReadDir(Dir())
		for _, e := range entries {
			switch e.Name() {
			case "SOURCES.md", "manifest.tsv", ".gitattributes":
				continue
			}
			paths = append(paths, filepath.Join(Dir(), e.Name()))
		}
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// Files returns the paths of the corpus's Dockerfiles, sorted. It skips
// tb when the corpus is not there or when tests run with -short.
func Files(tb testing.TB) []string {
	tb.Helper()
	if testing.Short() {
		skipped.Add(1)
		tb.Skip("corpus sweep skipped in -short mode")
	}
	dir := Dir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		skipped.Add(1)
		tb.Skipf("corpus not available at %s (%v): corpus test skipped", dir, err)
	}
	var files []string
	for _, e := range entries {
		switch e.Name() {
		case "SOURCES.md", "manifest.tsv", ".gitattributes":
			continue
		}
		if e.Type().IsRegular() {
			files = append(files, filepath.Join(dir, e.Name()))
		}
	}
	if len(files) < 1000 {
		tb.Fatalf("corpus at %s has only %d files", dir, len(files))
	}
	return files
}

// ForEach runs check on every corpus file, on every CPU, with the file's
// base name and content. check reports problems with t.Errorf, naming the
// file.
func ForEach(t *testing.T, check func(name string, src []byte)) {
	files := Files(t)
	work := make(chan string)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range work {
				src, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%v", err)
					continue
				}
				check(filepath.Base(path), src)
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
}

// Main runs a package's tests (call it from TestMain) and then, when some
// skipped for want of the corpus, prints one line that says how many and
// why.
func Main(m *testing.M) { os.Exit(Reporting(m).Run()) }

// Reporting wraps m so that its Run prints that line after the tests, for
// a TestMain that hands m on (testscript.Main, say).
func Reporting(m interface{ Run() int }) interface{ Run() int } { return reporting{m} }

type reporting struct{ m interface{ Run() int } }

func (r reporting) Run() int {
	code := r.m.Run()
	if n := skipped.Load(); n > 0 {
		why := "no corpus at " + Dir()
		if testing.Short() {
			why = "-short"
		}
		fmt.Printf("corpus: %d corpus tests skipped (%s)\n", n, why)
	}
	return code
}
