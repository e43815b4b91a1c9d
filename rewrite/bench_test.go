package rewrite

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
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
	var files [][]byte
	for _, path := range corpus.Files(b) {
		data, err := os.ReadFile(path)
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
// whole corpus, one file after another (parse, rules, format, parse again,
// safety net); BenchmarkProcessCorpusNoFormat does without the formatter.
func BenchmarkProcessCorpus(b *testing.B) { benchProcess(b, Options{}, false) }

func BenchmarkProcessCorpusNoFormat(b *testing.B) { benchProcess(b, Options{NoFormat: true}, false) }

// BenchmarkProcessCorpusFormatted runs Process on files cmdfix has
// processed already (the steady state of CI checks and format-on-save):
// formatting changes nothing, so nothing is parsed twice.
func BenchmarkProcessCorpusFormatted(b *testing.B) { benchProcess(b, Options{}, true) }

func benchProcess(b *testing.B, opts Options, processed bool) {
	files := benchCorpus(b)
	if processed {
		for i, s := range files {
			res, err := Process("Dockerfile", s, opts)
			if err == nil {
				files[i] = res.Output
			}
		}
	}
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	cpu := corpus.CPUTime()
	b.ResetTimer()
	for b.Loop() {
		for _, src := range files {
			Process("Dockerfile", src, opts)
		}
	}
	reportPerFile(b, len(files), &before)
	b.ReportMetric((corpus.CPUTime()-cpu).Seconds()*1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkParseCorpus is the baseline: BuildKit's parser alone over the
// same files.
func BenchmarkParseCorpus(b *testing.B) {
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
	src, err := os.ReadFile(filepath.Join("..", "bench", "typical.Dockerfile"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		parser.Parse(bytes.NewReader(src))
	}
}
