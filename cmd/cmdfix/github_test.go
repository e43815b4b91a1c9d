package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// TestGitHubAnnotations checks the workflow commands, one per finding,
// with properties and message escaped as the Actions runner unescapes
// them.
func TestGitHubAnnotations(t *testing.T) {
	var out, errs bytes.Buffer
	r := &runner{cfg: &config{outputFormat: formatGitHub}, stdout: &out, stderr: &errs}
	r.finish(findingJob("web,app/Dock:er%file", "FROM a\nCMD x\n",
		rule.Finding{Rule: "exec-form", Severity: rule.Warning, Line: 2, EndLine: 3, Col: 5,
			Message: "100% sure:\r\nline two", Fix: &rule.Fix{Safety: rule.Safe}, Fixed: true},
		rule.Finding{Rule: "split-entrypoint", Severity: rule.Info, Line: 4, EndLine: 4, Col: 1,
			Message: "m", Fix: &rule.Fix{Safety: rule.Suggested}},
		rule.Finding{Rule: "json-array", Severity: rule.Error, Line: 1, EndLine: 1, Col: 1, Message: "e"},
	))
	r.finish(&job{path: "bad/Dockerfile", err: &dockerfile.ParseError{File: "bad/Dockerfile", Line: 7, Msg: "unterminated heredoc"}})
	want := []string{
		"::warning file=web%2Capp/Dock%3Aer%25file,line=2,endLine=3,col=5,title=exec-form::100%25 sure:%0D%0Aline two (fixable)",
		"::notice file=web%2Capp/Dock%3Aer%25file,line=4,endLine=4,col=1,title=split-entrypoint::m (apply with --split)",
		"::error file=web%2Capp/Dock%3Aer%25file,line=1,endLine=1,col=1,title=json-array::e",
		"::error file=bad/Dockerfile,line=7,title=cmdfix::bad/Dockerfile:7: unterminated heredoc",
	}
	if got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("annotations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if errs.Len() > 0 {
		t.Errorf("standard error: %q, want nothing", errs.String())
	}
	if !r.failed {
		t.Errorf("a file error did not fail the run")
	}
}
