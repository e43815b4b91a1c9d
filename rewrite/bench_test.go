package rewrite

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Benchmarks of the engine's hot path, Process: parse, rules, format and
// the safety net's re-parse. They report per-file figures next to a
// parse-only baseline (BenchmarkParseCorpus), the floor make bench
// measures the command against. Run with
//
//	go test ./rewrite -run '^$' -bench . -benchmem
//
// and profile with -cpuprofile / -memprofile before optimising.

// benchCorpus loads every corpus file (../shared/corpus from the module
// root, or $CMDFIX_CORPUS), or skips.
func benchCorpus(b *testing.B) [][]byte {
	dir := os.Getenv("CMDFIX_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "corpus")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Skipf("no corpus at %s (set CMDFIX_CORPUS): %v", dir, err)
	}
	var files [][]byte
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || name == "manifest.tsv" || name == "SOURCES.md" || strings.HasPrefix(name, ".") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	return files
}

// reportPerFile adds per-file time and allocations to a benchmark whose
// every iteration handles n files.
func reportPerFile(b *testing.B, n int, before *runtime.MemStats) {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	files := float64(b.N) * float64(n)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/files, "ns/file")
	b.ReportMetric(files/b.Elapsed().Seconds(), "files/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/files, "allocs/file")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/files, "B/file")
}

// BenchmarkProcessCorpus runs Process with the default options over the
// whole corpus, one file after another.
func BenchmarkProcessCorpus(b *testing.B) {
	benchmarking(b)
	files := benchCorpus(b)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		for _, src := range files {
			Process("Dockerfile", src, Options{})
		}
	}
	reportPerFile(b, len(files), &before)
}

// BenchmarkParseCorpus is the baseline: BuildKit's parser alone over the
// same files.
func BenchmarkParseCorpus(b *testing.B) {
	benchmarking(b)
	files := benchCorpus(b)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for b.Loop() {
		for _, src := range files {
			parser.Parse(bytes.NewReader(src))
		}
	}
	reportPerFile(b, len(files), &before)
}

// BenchmarkProcessTypical runs Process on bench/typical.Dockerfile, the
// 60-line multi-stage file of the editor measurement.
func BenchmarkProcessTypical(b *testing.B) {
	benchmarking(b)
	src, err := os.ReadFile(filepath.Join("..", "bench", "typical.Dockerfile"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Process("Dockerfile", src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseTypical is BuildKit's parser alone on the same file.
func BenchmarkParseTypical(b *testing.B) {
	benchmarking(b)
	src, err := os.ReadFile(filepath.Join("..", "bench", "typical.Dockerfile"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		parser.Parse(bytes.NewReader(src))
	}
}
