package lsp

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Benchmarks of what an editor waits for, each beside BuildKit's parse of
// the same text (the floor: cmdfix parses with it). Run with
//
//	go test ./cmd/cmdfix/internal/lsp -run '^$' -bench . -benchmem
//
// and divide Diagnostics/X (or CodeAction/X) by Parse/X for the ratio.

// benchTexts are the example Dockerfile and a generated 2,000-line one of
// 250 stages, each with a shell-form CMD the exec-form rule fixes.
func benchTexts(tb testing.TB) map[string]string {
	tb.Helper()
	example, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "examples", "Dockerfile"))
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for i := range 250 {
		fmt.Fprintf(&b, "FROM alpine:3.20 AS s%d\n", i)
		fmt.Fprintf(&b, "RUN apk add --no-cache curl \\\n    && echo %d > /n\n", i)
		fmt.Fprintf(&b, "ENV A%d=1\nCOPY . /app\nWORKDIR /app\n", i)
		fmt.Fprintf(&b, "CMD python app%d.py --port 80%02d\n", i, i%100)
	}
	return map[string]string{"example": string(example), "2000lines": b.String()}
}

// benchServer is a server with one open document and no client: what it
// publishes goes nowhere.
func benchServer(text string) *Server {
	s := &Server{w: &writer{out: io.Discard}, docs: map[string]*document{}}
	s.initialized = true
	s.docs[uri] = &document{uri: uri, path: "/work/app/Dockerfile", text: text, version: 1}
	return s
}

func BenchmarkParse(b *testing.B) {
	for name, text := range benchTexts(b) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := parser.Parse(strings.NewReader(text)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDiagnostics is a change's whole cost after the pause: Process,
// the diagnostics, and their JSON.
func BenchmarkDiagnostics(b *testing.B) {
	for name, text := range benchTexts(b) {
		b.Run(name, func(b *testing.B) {
			s := benchServer(text)
			for b.Loop() {
				s.docs[uri].cache = nil
				s.publish(uri)
			}
		})
	}
}

// BenchmarkCodeAction asks for the actions on the example's exec-form CMD
// (line 22): "first" right after an edit (the findings and every verdict
// computed anew), "again" as an editor asks on each cursor move over the
// same text (the verdicts remembered).
func BenchmarkCodeAction(b *testing.B) {
	texts := benchTexts(b)
	p := protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Range: protocol.Range{Start: protocol.Position{Line: 21}, End: protocol.Position{Line: 21}}}
	for _, again := range []bool{false, true} {
		name := "first"
		if again {
			name = "again"
		}
		b.Run(name, func(b *testing.B) {
			s := benchServer(texts["example"])
			as, err := s.codeActions(p)
			if err != nil || len(as) < 2 {
				b.Fatalf("actions: %v %v", as, err)
			}
			for b.Loop() {
				if !again {
					s.docs[uri].cache = nil
				}
				if _, err := s.codeActions(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestMemoryFlat edits one document 10,000 times, computing its
// diagnostics after each edit, and checks that the live heap does not
// grow with the number of edits.
func TestMemoryFlat(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("10,000 analyses; skipped with -short and -race")
	}
	text := benchTexts(t)["example"]
	s := benchServer(text)
	s.Debounce = 1 << 40 // no timer fires: each edit is analysed here
	var before, after runtime.MemStats
	edit := func(i int) {
		// Type a digit at the end of line 9, or delete it again.
		r := protocol.Range{Start: protocol.Position{Line: 8, Character: 8}, End: protocol.Position{Line: 8, Character: 8}}
		newText := fmt.Sprint(i % 10)
		if i%2 == 1 {
			r.End.Character = 9
			newText = ""
		}
		if err := s.change(protocol.DidChangeTextDocumentParams{
			TextDocument:   protocol.VersionedTextDocumentIdentifier{URI: uri, Version: i + 2},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{{Range: &r, Text: newText}},
		}); err != nil {
			t.Fatal(err)
		}
		s.publish(uri)
	}
	for i := range 1000 { // warm up: caches, pools
		edit(i)
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 1000; i < 10000; i++ {
		edit(i)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if s.docs[uri].text != text {
		t.Fatalf("the edits did not cancel out:\n%s", s.docs[uri].text)
	}
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("live heap after 1,000 edits %d bytes, after 10,000 %d bytes (%+d); %d bytes allocated per edit",
		before.HeapAlloc, after.HeapAlloc, growth, (after.TotalAlloc-before.TotalAlloc)/9000)
	if growth > 1<<20 {
		t.Errorf("the live heap grew by %d bytes over 9,000 edits", growth)
	}
}
