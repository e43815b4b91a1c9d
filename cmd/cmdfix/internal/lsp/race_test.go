//go:build race

package lsp

// raceEnabled: the race detector slows the 10,000-edit memory test
// tenfold, and it measures the heap, not races.
const raceEnabled = true
