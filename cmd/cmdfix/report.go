package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/internal/udiff"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// Output formats (--output-format).
const (
	formatText   = "text"   // diagnostics on standard error
	formatJSON   = "json"   // one JSON report on standard output
	formatGitHub = "github" // GitHub Actions workflow commands on standard output
	formatSARIF  = "sarif"  // one SARIF 2.1.0 log on standard output
)

var outputFormats = []string{formatText, formatJSON, formatGitHub, formatSARIF}

// reports accumulates the formats printed whole at the end of the run.
type reports struct {
	files []fileReport // json
	sarif sarifRun     // sarif
}

// collect records a job for a report printed at the end, and reports
// whether it did: the json and sarif formats own standard output, so
// nothing else is printed per file.
func (r *runner) collect(j *job) bool {
	switch r.cfg.outputFormat {
	case formatJSON:
		r.report.files = append(r.report.files, newFileReport(j))
		return true
	case formatSARIF:
		r.report.sarif.add(j)
		return true
	}
	return false
}

// diagnose prints a job's error or findings as they come: lines on
// standard error for text, annotations on standard output for github.
func (r *runner) diagnose(j *job) {
	if r.cfg.outputFormat == formatGitHub {
		for _, a := range annotations(j, r.reportFixedWord()) {
			fmt.Fprintln(r.stdout, a)
		}
		return
	}
	if j.err != nil {
		fmt.Fprintln(r.stderr, paint(r.cfg.colorErr, sgrRed, errorLine(j)))
		return
	}
	if r.cfg.quiet {
		return
	}
	for _, fd := range j.result.Findings {
		fmt.Fprintln(r.stderr, colorDiagnostic(r.cfg.colorErr, j.path, fd, r.fixedWord()))
	}
}

// reportFixedWord is how the github and sarif reports describe a fix that
// is in the result: fixed only when -w wrote it, since these formats never
// print the result itself.
func (r *runner) reportFixedWord() string {
	if r.cfg.write {
		return "fixed"
	}
	return "fixable"
}

// flushReport prints the report collected over the run, for the formats
// that print one.
func (r *runner) flushReport() {
	var v any
	switch r.cfg.outputFormat {
	case formatJSON:
		files := r.report.files
		if files == nil {
			files = []fileReport{}
		}
		v = jsonReport{Version: reportVersion, Tool: reportTool{Name: "cmdfix", Version: versionString()}, Files: files}
	case formatSARIF:
		v = r.report.sarif.log()
	default:
		return
	}
	enc := json.NewEncoder(r.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// reportVersion is the version of the JSON report's shape
// (docs/report.schema.json). Within a version fields are only added.
const reportVersion = 1

// jsonReport is the --output-format json report.
type jsonReport struct {
	Version int          `json:"version"`
	Tool    reportTool   `json:"tool"`
	Files   []fileReport `json:"files"`
}

type reportTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// fileReport is one file in the --output-format json report.
type fileReport struct {
	Path     string          `json:"path"`
	Changed  bool            `json:"changed"`
	Written  bool            `json:"written,omitempty"`
	Error    string          `json:"error,omitempty"`
	Findings []findingReport `json:"findings"`
}

type findingReport struct {
	Rule      string `json:"rule"`
	Severity  string `json:"severity"`
	Line      int    `json:"line"`
	EndLine   int    `json:"end_line"`
	Column    int    `json:"column"`
	Message   string `json:"message"`
	Fixed     bool   `json:"fixed"`
	Fix       string `json:"fix,omitempty"`
	FixSafety string `json:"fix_safety,omitempty"`
	Before    string `json:"before"`
	After     string `json:"after,omitempty"`
}

func newFileReport(j *job) fileReport {
	fr := fileReport{Path: j.path, Findings: []findingReport{}}
	if j.err != nil {
		fr.Error = strings.TrimPrefix(errorLine(j), "cmdfix: ")
		return fr
	}
	fr.Changed = j.result.Changed
	fr.Written = j.wroteTo != ""
	for _, fd := range j.result.Findings {
		r := findingReport{
			Rule:     fd.Rule,
			Severity: fd.Severity.String(),
			Line:     fd.Line,
			EndLine:  fd.EndLine,
			Column:   fd.Col,
			Message:  fd.Message,
			Fixed:    fd.Fixed,
			Before:   fd.Before,
			After:    fd.After,
		}
		if fd.Fix != nil {
			r.Fix = fd.Fix.Message
			r.FixSafety = fd.Fix.Safety.String()
		}
		fr.Findings = append(fr.Findings, r)
	}
	return fr
}

// formatRule is the rule id of the results that say formatting changes
// a file.
const formatRule = "format"

// formatLine returns the first line of a job's input that formatting
// changes, beyond the lines of the fixes in the result: the first line
// the diff between input and result changes outside every fixed
// finding's lines. ok is false when formatting changes nothing.
func formatLine(j *job) (line int, ok bool) {
	if j.err != nil || j.result == nil || !j.result.Changed {
		return 0, false
	}
	fixed := func(n int) bool {
		for _, fd := range j.result.Findings {
			if fd.Fixed && n >= fd.Line && n <= fd.EndLine {
				return true
			}
		}
		return false
	}
	old := 0 // the input's line before the diff line being read
	for _, l := range strings.SplitAfter(string(udiff.Unified("a", "b", j.src, j.result.Output)), "\n") {
		switch {
		case strings.HasPrefix(l, "@@ "):
			// @@ -START[,N] +...: lines before START are unchanged.
			var start int
			fmt.Sscanf(strings.TrimPrefix(l, "@@ -"), "%d", &start)
			old = start - 1
			if strings.HasPrefix(l, fmt.Sprintf("@@ -%d,0 ", start)) {
				old = start // an insertion after line START
			}
		case strings.HasPrefix(l, "--- "), strings.HasPrefix(l, "+++ "):
		case strings.HasPrefix(l, "-"):
			old++
			if !fixed(old) {
				return old, true
			}
		case strings.HasPrefix(l, "+"):
			// An insertion before the next input line: it is formatting
			// unless a fix is at that line or the one before.
			if n := old + 1; !fixed(n) && !fixed(old) {
				return max(min(n, bytes.Count(j.src, []byte("\n"))), 1), true
			}
		case strings.HasPrefix(l, " "):
			old++
		}
	}
	return 0, false
}

// fixNote is what diagnostics add after a finding's message: whether its
// fix is in the result, or which flag applies it.
func fixNote(fd rule.Finding, fixedWord string) string {
	note := fd.Note()
	if fd.Fixed {
		note = fixedWord // fixed, or fixable when only checked
	}
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

// annotations returns a job's findings, or its error, as GitHub Actions
// workflow commands, which the runner shows on the file and line:
//
//	::warning file=PATH,line=3,endLine=4,col=1,title=exec-form::MESSAGE
func annotations(j *job, fixedWord string) []string {
	file := relPath(j.path)
	if j.err != nil {
		props := []string{"file=" + escapeProperty(file)}
		var pe *dockerfile.ParseError
		if errors.As(j.err, &pe) && pe.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", pe.Line))
		}
		props = append(props, "title=cmdfix")
		return []string{"::error " + strings.Join(props, ",") + "::" + escapeData(strings.TrimPrefix(errorLine(j), "cmdfix: "))}
	}
	var out []string
	for _, fd := range j.result.Findings {
		out = append(out, fmt.Sprintf("::%s file=%s,line=%d,endLine=%d,col=%d,title=%s::%s",
			annotationLevel(fd.Severity), escapeProperty(file), fd.Line, fd.EndLine, fd.Col,
			escapeProperty(fd.Rule), escapeData(fd.Message+fixNote(fd, fixedWord))))
	}
	if line, ok := formatLine(j); ok {
		msg := "cmdfix would reformat this file from this line on (see cmdfix -d)"
		if j.wroteTo != "" {
			msg = "cmdfix reformatted this file from this line on"
		}
		out = append(out, fmt.Sprintf("::notice file=%s,line=%d,title=%s::%s", escapeProperty(file), line, formatRule, escapeData(msg)))
	}
	return out
}

// annotationLevel maps a severity to a workflow command.
func annotationLevel(s rule.Severity) string {
	switch s {
	case rule.Error:
		return "error"
	case rule.Warning:
		return "warning"
	}
	return "notice"
}

// escapeData escapes a workflow command's message the way the runner
// unescapes it: %, CR and LF.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value: as data,
// plus the : and , that separate properties.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
