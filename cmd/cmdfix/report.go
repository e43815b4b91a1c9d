package main

import (
	"encoding/json"
)

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
		fr.Error = errorLine(j)
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

// flushReport prints the JSON report, when that is the output format.
func (r *runner) flushReport() {
	if r.cfg.outputFormat != "json" {
		return
	}
	enc := json.NewEncoder(r.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if r.report == nil {
		r.report = []fileReport{}
	}
	enc.Encode(struct {
		Files []fileReport `json:"files"`
	}{r.report})
}
