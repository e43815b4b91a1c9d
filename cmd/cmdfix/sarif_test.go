package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// sarifOf runs jobs through the sarif report and returns the parsed log.
func sarifOf(t *testing.T, cfg *config, jobs ...*job) map[string]any {
	t.Helper()
	var out bytes.Buffer
	cfg.outputFormat = formatSARIF
	r := &runner{cfg: cfg, stdout: &out, stderr: &out}
	for _, j := range jobs {
		r.finish(j)
	}
	r.flushReport()
	var log map[string]any
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatalf("the SARIF output is not JSON: %v\n%s", err, out.Bytes())
	}
	return log
}

// at walks a parsed JSON value by object keys and array indexes.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for i, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("%v: not an object at %v", path, path[:i])
			}
			if v, ok = m[k]; !ok {
				t.Fatalf("%v: no %q at %v (keys %v)", path, k, path[:i], keys(m))
			}
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("%v: no element %d at %v", path, k, path[:i])
			}
			v = a[k]
		}
	}
	return v
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// check compares a field with what it should be; numbers are float64.
func check(t *testing.T, v any, want any, path ...any) {
	t.Helper()
	got := at(t, v, path...)
	if n, ok := want.(int); ok {
		want = float64(n)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%v = %#v, want %#v", path, got, want)
	}
}

// findingJob makes a processed job by hand, so the report is tested
// independently of what the rules find.
func findingJob(path, src string, findings ...rule.Finding) *job {
	return &job{path: path, src: []byte(src), result: &rewrite.Result{Output: []byte(src), Findings: findings}}
}

func TestSARIFLog(t *testing.T) {
	src := "FROM alpine\n" +
		"RUN apk add curl\n" +
		"CMD python \\\n" +
		"    app.py\n" +
		"ENTRYPOINT [\"é\"] \n"
	fixed := rule.Finding{
		Rule: "exec-form", Severity: rule.Warning, Line: 3, EndLine: 4, Col: 1,
		Message: "CMD at line 3 runs through /bin/sh -c",
		Fix:     &rule.Fix{Message: "rewrite in exec form", Safety: rule.Safe},
		Fixed:   true,
		Edits:   []dockerfile.Edit{{Start: 3, End: 4, Text: "CMD [\"python\", \"app.py\"]\n"}},
	}
	unsafe := rule.Finding{
		Rule: "split-entrypoint", Severity: rule.Info, Line: 5, EndLine: 5, Col: 1,
		Message: "ENTRYPOINT could be split",
		Fix:     &rule.Fix{Message: "split", Safety: rule.Unsafe},
		Edits:   []dockerfile.Edit{{Start: 5, End: 5, Text: "ENTRYPOINT [\"x\"]\nCMD [\"y\"]\n"}},
	}
	noInputFix := rule.Finding{
		Rule: "json-array", Severity: rule.Error, Line: 2, EndLine: 2, Col: 1,
		Message: "depends on another fix",
		Fix:     &rule.Fix{Message: "repair", Safety: rule.Safe},
	}
	log := sarifOf(t, &config{}, findingJob("web/Dockerfile", src, noInputFix, fixed, unsafe))

	check(t, log, "2.1.0", "version")
	if s := at(t, log, "$schema").(string); !strings.HasSuffix(s, "sarif-schema-2.1.0.json") {
		t.Errorf("$schema = %q", s)
	}
	run := at(t, log, "runs", 0)
	check(t, run, "cmdfix", "tool", "driver", "name")
	check(t, run, "utf16CodeUnits", "columnKind")
	check(t, run, true, "invocations", 0, "executionSuccessful")
	if u := at(t, run, "originalUriBaseIds", "%SRCROOT%", "uri").(string); !strings.HasPrefix(u, "file:///") || !strings.HasSuffix(u, "/") {
		t.Errorf("%%SRCROOT%% = %q, want a file URI of a folder", u)
	}

	results := at(t, run, "results").([]any)
	if len(results) != 3 {
		t.Fatalf("%d results, want 3", len(results))
	}
	// A finding whose fix cannot be stated on the input has no fix object.
	check(t, results[0], "json-array", "ruleId")
	check(t, results[0], "error", "level")
	if _, ok := results[0].(map[string]any)["fixes"]; ok {
		t.Errorf("result 0 has fixes; its fix only applies after another")
	}
	check(t, results[0], "safe", "properties", "fixSafety")

	r := results[1]
	check(t, r, "exec-form", "ruleId")
	check(t, r, "warning", "level")
	// The message has no command-line hint; the fix is in the result,
	// but not written (no -w), so it is fixable, not fixed.
	check(t, r, "CMD at line 3 runs through /bin/sh -c", "message", "text")
	check(t, r, false, "properties", "fixed")
	check(t, r, "fixable", "properties", "fixStatus")
	loc := at(t, r, "locations", 0, "physicalLocation")
	check(t, loc, "web/Dockerfile", "artifactLocation", "uri")
	check(t, loc, "%SRCROOT%", "artifactLocation", "uriBaseId")
	check(t, loc, map[string]any{"startLine": 3.0, "startColumn": 1.0, "endLine": 4.0, "endColumn": 11.0}, "region")
	fix := at(t, r, "fixes", 0)
	check(t, fix, "rewrite in exec form", "description", "text")
	check(t, fix, "web/Dockerfile", "artifactChanges", 0, "artifactLocation", "uri")
	// Lines 3-4 up to the end of line 4's text, replaced without the
	// line ending both share.
	check(t, fix, map[string]any{"startLine": 3.0, "startColumn": 1.0, "endLine": 4.0, "endColumn": 11.0},
		"artifactChanges", 0, "replacements", 0, "deletedRegion")
	check(t, fix, `CMD ["python", "app.py"]`, "artifactChanges", 0, "replacements", 0, "insertedContent", "text")

	r = results[2]
	check(t, r, "note", "level")
	check(t, r, "ENTRYPOINT could be split", "message", "text")
	check(t, r, "unsafe", "properties", "fixStatus")
	// é is one UTF-16 unit; the trailing space counts.
	check(t, r, 18, "locations", 0, "physicalLocation", "region", "endColumn") // 17 units
	fix = at(t, r, "fixes", 0)
	check(t, fix, "unsafe", "properties", "safety")
	if d := at(t, fix, "description", "text").(string); !strings.Contains(d, "--unsafe") {
		t.Errorf("unsafe fix description %q does not say it needs --unsafe", d)
	}
	check(t, fix, "ENTRYPOINT [\"x\"]\nCMD [\"y\"]", "artifactChanges", 0, "replacements", 0, "insertedContent", "text")
}

// TestSARIFReplacements checks each kind of whole-line edit as a SARIF
// replacement, and that applying the replacements to the source gives
// what applying the edits gives.
func TestSARIFReplacements(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		edit      dockerfile.Edit
		want      string // the source after the edit
	}{
		{"replace", "FROM a\nCMD x\nUSER u\n", dockerfile.Edit{Start: 2, End: 2, Text: "CMD [\"x\"]\n"}, "FROM a\nCMD [\"x\"]\nUSER u\n"},
		{"replace CRLF", "FROM a\r\nCMD x\r\nUSER u\r\n", dockerfile.Edit{Start: 2, End: 2, Text: "CMD [\"x\"]\r\n"}, "FROM a\r\nCMD [\"x\"]\r\nUSER u\r\n"},
		{"replace last line without newline", "FROM a\nCMD x", dockerfile.Edit{Start: 2, End: 2, Text: "CMD [\"x\"]"}, "FROM a\nCMD [\"x\"]"},
		{"remove", "FROM a\nCMD x\nCMD y\n", dockerfile.Edit{Start: 2, End: 2, Text: ""}, "FROM a\nCMD y\n"},
		{"remove last line", "FROM a\nCMD x\n", dockerfile.Edit{Start: 2, End: 2, Text: ""}, "FROM a\n"},
		{"remove keeping a comment", "FROM a\nCMD x \\\n# c\n  y\nUSER u\n", dockerfile.Edit{Start: 2, End: 4, Text: "# c\n"}, "FROM a\n# c\nUSER u\n"},
		{"insert", "FROM a\nCMD x\n", dockerfile.Edit{Start: 2, End: 1, Text: "ENTRYPOINT [\"e\"]\n"}, "FROM a\nENTRYPOINT [\"e\"]\nCMD x\n"},
		{"insert at end", "FROM a\n", dockerfile.Edit{Start: 2, End: 1, Text: "CMD [\"x\"]\n"}, "FROM a\nCMD [\"x\"]\n"},
		{"after a BOM", "\xef\xbb\xbfFROM a\nCMD x\n", dockerfile.Edit{Start: 2, End: 2, Text: "CMD [\"x\"]\n"}, "\xef\xbb\xbfFROM a\nCMD [\"x\"]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := newLineIndex([]byte(tc.src))
			reps := x.replacements([]dockerfile.Edit{tc.edit})
			if len(reps) != 1 {
				t.Fatalf("%d replacements, want 1", len(reps))
			}
			got := applyReplacement(t, tc.src, reps[0])
			if got != tc.want {
				t.Errorf("applying %+v to %q gives %q, want %q", reps[0], tc.src, got, tc.want)
			}
		})
	}
}

// applyReplacement applies a SARIF replacement the way a consumer does:
// by line and UTF-16 column, on the text after any BOM.
func applyReplacement(t *testing.T, src string, r sarifReplacement) string {
	t.Helper()
	bom, body := "", src
	if strings.HasPrefix(src, "\xef\xbb\xbf") {
		bom, body = src[:3], src[3:]
	}
	offset := func(line, col int) int {
		off := 0
		for l := 1; l < line; l++ {
			i := strings.IndexByte(body[off:], '\n')
			if i < 0 {
				t.Fatalf("line %d is past the end", line)
			}
			off += i + 1
		}
		for c := 1; c < col; c++ { // ASCII in these cases
			off++
		}
		return off
	}
	d := r.DeletedRegion
	from, to := offset(d.StartLine, d.StartColumn), offset(d.EndLine, d.EndColumn)
	text := ""
	if r.InsertedContent != nil {
		text = r.InsertedContent.Text
	}
	return bom + body[:from] + text + body[to:]
}

func TestSARIFErrorsAndURIs(t *testing.T) {
	bad := &job{path: "odd dir/Dockerfile", err: &dockerfile.ParseError{File: "odd dir/Dockerfile", Line: 3, Msg: "unterminated heredoc"}}
	unreadable := &job{path: "/abs/Dockerfile", err: errors.New("/abs/Dockerfile: permission denied")}
	log := sarifOf(t, &config{}, bad, unreadable)
	run := at(t, log, "runs", 0)
	check(t, run, false, "invocations", 0, "executionSuccessful")
	check(t, run, []any{}, "results")
	n := at(t, run, "invocations", 0, "toolExecutionNotifications", 0)
	check(t, n, "error", "level")
	check(t, n, "odd dir/Dockerfile:3: unterminated heredoc", "message", "text")
	check(t, n, "odd%20dir/Dockerfile", "locations", 0, "physicalLocation", "artifactLocation", "uri")
	check(t, n, 3, "locations", 0, "physicalLocation", "region", "startLine")
	n = at(t, run, "invocations", 0, "toolExecutionNotifications", 1)
	check(t, n, "file:///abs/Dockerfile", "locations", 0, "physicalLocation", "artifactLocation", "uri")
	if _, ok := at(t, n, "locations", 0, "physicalLocation", "artifactLocation").(map[string]any)["uriBaseId"]; ok {
		t.Errorf("an absolute file URI has a uriBaseId")
	}
}

// TestSARIFEndToEnd runs the command on a file and checks the rule
// metadata and a fix against the registered rules and their pages.
func TestSARIFEndToEnd(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Dockerfile")
	src := "FROM python:3.12-slim\nCMD [\"python\", \"old.py\"]\nCMD [\"python\", \"app.py\"]\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	if code := run([]string{"--no-config", "--output-format", "sarif", path}, nil, &out, &errs); code != 0 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if errs.Len() > 0 {
		t.Errorf("standard error: %s", errs.String())
	}
	var log map[string]any
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	sarifRun := at(t, log, "runs", 0)
	rules := at(t, sarifRun, "tool", "driver", "rules").([]any)
	if len(rules) != len(ruleSet)+1 {
		t.Fatalf("%d rules described, %d registered (and format)", len(rules), len(ruleSet))
	}
	check(t, rules[len(rules)-1], "format", "id")
	for i, r := range ruleSet {
		check(t, rules[i], r.Name, "id")
		check(t, rules[i], r.Summary(), "shortDescription", "text")
		check(t, rules[i], r.Safety.String(), "properties", "fixSafety")
		check(t, rules[i], toAny(r.Hadolint), "properties", "hadolint")
		check(t, rules[i], toAny(r.BuildKit), "properties", "buildkit")
		check(t, rules[i], "https://github.com/cmdfix/cmdfix/blob/main/docs/rules/"+r.Name+".md", "helpUri")
		help := at(t, rules[i], "help", "markdown").(string)
		if !strings.HasPrefix(help, "# "+r.Name+"\n") || strings.Contains(help, "<!-- example") {
			t.Errorf("%s: help.markdown is not the rule's page without its example markers:\n%.200s", r.Name, help)
		}
		if full := at(t, rules[i], "fullDescription", "text").(string); full == "" || strings.Contains(full, "\n") {
			t.Errorf("%s: fullDescription %q, want the page's summary paragraph on one line", r.Name, full)
		}
	}
	res := at(t, sarifRun, "results", 0)
	check(t, res, "redundant-instruction", "ruleId")
	check(t, res, ruleIndex("redundant-instruction"), "ruleIndex")
	check(t, res, "file://"+filepath.ToSlash(path), "locations", 0, "physicalLocation", "artifactLocation", "uri")
	check(t, res, map[string]any{"startLine": 2.0, "startColumn": 1.0, "endLine": 3.0, "endColumn": 1.0},
		"fixes", 0, "artifactChanges", 0, "replacements", 0, "deletedRegion")
	if _, ok := at(t, res, "fixes", 0, "artifactChanges", 0, "replacements", 0).(map[string]any)["insertedContent"]; ok {
		t.Errorf("a removal has insertedContent")
	}
}

func toAny(s []string) []any {
	out := []any{}
	for _, x := range s {
		out = append(out, x)
	}
	return out
}
