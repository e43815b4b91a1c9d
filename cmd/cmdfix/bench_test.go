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
// the default parallelism.
func BenchmarkCheckTree(b *testing.B) {
	tree := corpusTree(b, 1)
	for b.Loop() {
		run([]string{"--check", tree}, strings.NewReader(""), io.Discard, io.Discard)
	}
}
