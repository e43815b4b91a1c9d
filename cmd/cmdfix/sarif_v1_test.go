package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// sarifRunOf runs cmdfix with args in dir and returns the parsed log's
// results.
func sarifResultsOf(t *testing.T, dir string, args ...string) []any {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errs bytes.Buffer
	if code := run(append([]string{"--no-config", "--output-format", "sarif"}, args...), nil, &out, &errs); code > 1 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	var log map[string]any
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	return at(t, log, "runs", 0, "results").([]any)
}

// TestSARIFFingerprints: a finding's partial fingerprint stays the same
// when unrelated lines are added above it and when the instruction is
// re-indented, and differs between two identical instructions (the
// occurrence counts) and after the instruction changes.
func TestSARIFFingerprints(t *testing.T) {
	dir := t.TempDir()
	write := func(src string) {
		if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fps := func() []string {
		var out []string
		for _, r := range sarifResultsOf(t, dir, "Dockerfile") {
			if at(t, r, "ruleId") == "format" {
				continue
			}
			out = append(out, at(t, r, "partialFingerprints", fingerprintKey).(string))
		}
		return out
	}
	write("FROM alpine\nENTRYPOINT /w\nCMD [\"-v\"]\n\nFROM alpine\nENTRYPOINT /w\nCMD [\"-v\"]\n")
	before := fps()
	write("# a comment\nFROM alpine\nRUN true\nENTRYPOINT   /w\nCMD [\"-v\"]\n\nFROM alpine\nENTRYPOINT /w\nCMD [\"-v\"]\n")
	after := fps()
	if len(before) == 0 || len(before) != len(after) {
		t.Fatalf("fingerprints %v, then %v", before, after)
	}
	for i := range before {
		if before[i] != after[i] {
			t.Errorf("result %d: fingerprint %s became %s after unrelated edits", i, before[i], after[i])
		}
	}
	seen := map[string]bool{}
	for _, fp := range before {
		if seen[fp] {
			t.Errorf("fingerprint %s given twice: %v", fp, before)
		}
		seen[fp] = true
	}
	write("FROM alpine\nENTRYPOINT /x\nCMD [\"-v\"]\n\nFROM alpine\nENTRYPOINT /w\nCMD [\"-v\"]\n")
	if changed := fps(); changed[0] == before[0] {
		t.Errorf("fingerprint %s kept after the instruction changed", before[0])
	}
}

// TestSARIFFormatResult: a file that only needs formatting gets one
// note-level format result at the first line formatting changes; fixed
// only once -w wrote it. A file whose only change is a fix gets none.
func TestSARIFFormatResult(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(file, []byte("FROM alpine\nRUN apk add \\\n  curl\nRUN  true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	results := sarifResultsOf(t, dir, "Dockerfile")
	if len(results) != 1 {
		t.Fatalf("%d results, want the format result: %v", len(results), results)
	}
	r := results[0]
	check(t, r, "format", "ruleId")
	check(t, r, "note", "level")
	check(t, r, 3, "locations", 0, "physicalLocation", "region", "startLine")
	check(t, r, false, "properties", "fixed")
	check(t, r, "cmdfix would reformat this file from this line on", "message", "text")

	results = sarifResultsOf(t, dir, "-w", "Dockerfile")
	check(t, results[0], true, "properties", "fixed")
	check(t, results[0], "cmdfix reformatted this file from this line on", "message", "text")

	// A fix and formatting further on: the format result is at the
	// formatted line, not at the fix's.
	if err := os.WriteFile(file, []byte("FROM python:3.12-slim\nCMD python app.py\nRUN  true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	results = sarifResultsOf(t, dir, "Dockerfile")
	if len(results) != 2 || at(t, results[1], "ruleId") != "format" {
		t.Fatalf("a fix and formatting: results %v, want the finding and the format result", results)
	}
	check(t, results[1], 3, "locations", 0, "physicalLocation", "region", "startLine")

	if err := os.WriteFile(file, []byte("FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	results = sarifResultsOf(t, dir, "Dockerfile")
	if len(results) != 1 || at(t, results[0], "ruleId") != "redundant-instruction" {
		t.Errorf("a fix-only change: results %v, want only the finding", results)
	}
	check(t, results[0], false, "properties", "fixed")
	results = sarifResultsOf(t, dir, "-w", "Dockerfile")
	check(t, results[0], true, "properties", "fixed")
	check(t, results[0], "fixed", "properties", "fixStatus")
}
