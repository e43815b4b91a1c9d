package main

import (
	"io"
	"strings"
	"testing"
)

// Benchmarks of the command around the engine: walking with ignore rules,
// and a whole --check run over a tree of corpus files. Run with
//
//	go test ./cmd/cmdfix -run '^$' -bench . -benchmem

// BenchmarkWalk walks a tree of corpus files with .gitignore handling on.
func BenchmarkWalk(b *testing.B) {
	tree := corpusTree(b, 1)
	n := 0
	for b.Loop() {
		n = 0
		w := &walker{emit: func(*job) { n++ }}
		w.walk([]string{tree})
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/file")
}

// BenchmarkCheckTree runs cmdfix --check over the tree, in process, with
// the default parallelism and no result cache: a first run.
func BenchmarkCheckTree(b *testing.B) {
	tree := corpusTree(b, 1)
	for b.Loop() {
		run([]string{"--check", "--no-cache", tree}, strings.NewReader(""), io.Discard, io.Discard)
	}
}

// BenchmarkCheckTreeWarm runs cmdfix --check over the tree again, every
// result in the cache: a run on a tree that has not changed.
func BenchmarkCheckTreeWarm(b *testing.B) {
	tree := corpusTree(b, 1)
	args := []string{"--check", "--cache-dir", b.TempDir(), tree}
	run(args, strings.NewReader(""), io.Discard, io.Discard)
	for b.Loop() {
		run(args, strings.NewReader(""), io.Discard, io.Discard)
	}
}
