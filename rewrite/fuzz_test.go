package rewrite

import (
	"bytes"
	"errors"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/internal/udiff"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// Fuzz targets. Plain `go test` runs their seeds (the golden inputs and the
// shared corpus) as ordinary tests; `make fuzz` fuzzes each for FUZZTIME.

// FuzzProcess runs the whole engine, with cmdfix's rules and with the
// engine's test rules, on any input: it must not panic; a file BuildKit
// parses must come out parsable; a second run must change nothing; and the
// safety net must never fire on the engine's own output.
func FuzzProcess(f *testing.F) {
	for _, src := range corpus.Seeds(f) {
		f.Add(src, uint8(0))
	}
	f.Add([]byte("FROM a\nCMD REPLACE \\\n  # c\n  TWICE\nRUN INSERT\nCMD REMOVE\nCMD UNSAFE\n"), uint8(1))
	f.Add([]byte("\ufeff# escape=`\r\nFROM a\r\nRUN REPLACE `\r\n  x\r\n"), uint8(0))
	f.Fuzz(func(t *testing.T, src []byte, flags uint8) {
		opts := Options{
			Unsafe:   flags&1 != 0,
			Split:    flags&2 != 0,
			NoFormat: flags&4 != 0,
			Indent:   int(flags>>3)%8 + 1,
		}
		checkEngine(t, src, opts, rules.All, false)
		// The test rules remove any instruction asked to (REMOVE), even
		// all of them, or all before one that is not an instruction.
		checkEngine(t, src, opts, engineTestRules, true)
	})
}

func checkEngine(t *testing.T, src []byte, opts Options, rules []*rule.Rule, testRules bool) {
	t.Helper()
	res, err := process("Dockerfile", src, opts, rules)
	var ie *InternalError
	if errors.As(err, &ie) {
		t.Fatalf("safety net fired on the engine's own output: %v", err)
	}
	body := bytes.TrimPrefix(src, bom)
	f, parseErr := dockerfile.Parse("Dockerfile", body)
	if err != nil {
		var pe *dockerfile.ParseError
		if !errors.As(err, &pe) || pe.Msg == "" {
			t.Fatalf("error is not a ParseError with a message: %#v", err)
		}
		if parseErr == nil && bytes.IndexByte(src, 0) < 0 && dockerfile.IsInstruction(f.Instructions[0].Keyword) {
			t.Fatalf("Process fails on a Dockerfile Parse accepts: %v", err)
		}
		return
	}
	if errors.Is(parseErr, dockerfile.ErrNoInstructions) {
		if !bytes.Equal(res.Output, src) || res.Changed {
			t.Fatalf("a file with no instructions changed:\n%q\n%q", src, res.Output)
		}
		return
	}
	if parseErr != nil {
		t.Fatalf("Process accepted a file Parse rejects (%v)", parseErr)
	}
	out, err := dockerfile.Parse("Dockerfile", bytes.TrimPrefix(res.Output, bom))
	if err != nil && !(testRules && errors.Is(err, dockerfile.ErrNoInstructions)) {
		t.Fatalf("output does not parse: %v\ninput:\n%q\noutput:\n%q", err, src, res.Output)
	}
	if testRules && err == nil && !dockerfile.IsInstruction(out.Instructions[0].Keyword) {
		return // no longer taken for a Dockerfile
	}
	if res.Changed == bytes.Equal(res.Output, src) {
		t.Fatalf("Changed = %v, but output and input equal = %v", res.Changed, !res.Changed)
	}
	again, err := process("Dockerfile", res.Output, opts, rules)
	if err != nil {
		t.Fatalf("second run failed: %v\ninput:\n%q\noutput:\n%q", err, src, res.Output)
	}
	if !bytes.Equal(again.Output, res.Output) {
		t.Fatalf("second run changed the output again:\n%s", udiff.Unified("first", "second", res.Output, again.Output))
	}
}
