package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// SARIF 2.1.0 (OASIS), the format code-scanning services read. Only the
// objects cmdfix fills in are declared.

const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// srcRoot is the base relative artifact URIs are resolved against: the
	// folder cmdfix ran in.
	srcRoot = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string          `json:"$schema"`
	Version string          `json:"version"`
	Runs    []sarifRunField `json:"runs"`
}

type sarifRunField struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	Name             string         `json:"name"`
	ShortDescription sarifMessage   `json:"shortDescription"`
	FullDescription  sarifMessage   `json:"fullDescription"`
	Help             sarifMessage   `json:"help"`
	HelpURI          string         `json:"helpUri,omitempty"`
	Properties       sarifRuleProps `json:"properties"`
}

type sarifRuleProps struct {
	// Hadolint and BuildKit name the matching checks of those tools.
	Hadolint  []string `json:"hadolint"`
	BuildKit  []string `json:"buildkit"`
	FixSafety string   `json:"fixSafety"`
	Tags      []string `json:"tags"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints,omitempty"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	// Fixed: cmdfix -w wrote the fix. FixStatus says what cmdfix does
	// with the fix: "fixed" (written), "fixable" (applied by cmdfix -w),
	// "unsafe" (applied with --unsafe), "suggestion" (with --split).
	Fixed     bool   `json:"fixed"`
	FixStatus string `json:"fixStatus,omitempty"`
	FixSafety string `json:"fixSafety,omitempty"`
}

// fingerprintKey names cmdfix's partial fingerprint: a hash of the rule
// and the instruction's text with its blanks collapsed, then the
// occurrence of that pair in the file, so it survives edits elsewhere in
// the file (lines moving) and changes only when the instruction does.
const fingerprintKey = "cmdfixInstruction/v1"

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// sarifRegion is a text region: lines are 1-based, columns count UTF-16
// code units from 1, and the end column is exclusive.
type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifFix struct {
	Description     sarifMessage          `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	Properties      sarifFixProps         `json:"properties"`
}

type sarifFixProps struct {
	Safety string `json:"safety"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion   `json:"deletedRegion"`
	InsertedContent *sarifContent `json:"insertedContent,omitempty"`
}

type sarifContent struct {
	Text string `json:"text"`
}

// sarifRun accumulates results file by file, so no file's source is kept
// after it is reported.
type sarifRun struct {
	results       []sarifResult
	notifications []sarifNotification
	failed        bool
}

// add records a job's findings, or its error, and a format result when
// formatting changes the file.
func (s *sarifRun) add(j *job) {
	loc := artifactLocation(j.path)
	if j.err != nil {
		s.failed = true
		n := sarifNotification{Level: "error", Message: sarifMessage{Text: strings.TrimPrefix(errorLine(j), "cmdfix: ")}}
		phys := sarifPhysical{ArtifactLocation: loc}
		var pe *dockerfile.ParseError
		if errors.As(j.err, &pe) && pe.Line > 0 {
			phys.Region = &sarifRegion{StartLine: pe.Line}
		}
		n.Locations = []sarifLocation{{phys}}
		s.notifications = append(s.notifications, n)
		return
	}
	text := newLineIndex(j.src)
	seen := map[string]int{}
	written := j.wroteTo != ""
	for _, fd := range j.result.Findings {
		fp := fingerprint(fd.Rule, fd.Before)
		seen[fp]++
		r := sarifResult{
			RuleID:              fd.Rule,
			RuleIndex:           ruleIndex(fd.Rule),
			Level:               sarifLevel(fd.Severity),
			Message:             sarifMessage{Text: fd.Message},
			PartialFingerprints: map[string]string{fingerprintKey: fmt.Sprintf("%s:%d", fp, seen[fp])},
			Locations: []sarifLocation{{sarifPhysical{
				ArtifactLocation: loc,
				Region: &sarifRegion{
					StartLine:   fd.Line,
					StartColumn: text.column(fd.Line, fd.Col),
					EndLine:     fd.EndLine,
					EndColumn:   text.lineEndColumn(fd.EndLine),
				},
			}}},
			Properties: sarifResultProps{Fixed: fd.Fixed && written, FixStatus: fixStatus(fd, written)},
		}
		if fd.Fix != nil {
			r.Properties.FixSafety = fd.Fix.Safety.String()
			if fd.Edits != nil {
				r.Fixes = []sarifFix{{
					Description:     sarifMessage{Text: fixDescription(fd.Fix)},
					ArtifactChanges: []sarifArtifactChange{{ArtifactLocation: loc, Replacements: text.replacements(fd.Edits)}},
					Properties:      sarifFixProps{Safety: fd.Fix.Safety.String()},
				}}
			}
		}
		s.results = append(s.results, r)
	}
	if line, ok := formatLine(j); ok {
		msg := "cmdfix would reformat this file from this line on"
		status := "fixable"
		if written {
			msg, status = "cmdfix reformatted this file from this line on", "fixed"
		}
		fp := fingerprint(formatRule, "")
		s.results = append(s.results, sarifResult{
			RuleID:              formatRule,
			RuleIndex:           len(ruleSet),
			Level:               "note",
			Message:             sarifMessage{Text: msg},
			Locations:           []sarifLocation{{sarifPhysical{ArtifactLocation: loc, Region: &sarifRegion{StartLine: line}}}},
			PartialFingerprints: map[string]string{fingerprintKey: fp + ":1"},
			Properties:          sarifResultProps{Fixed: written, FixStatus: status, FixSafety: "safe"},
		})
	}
}

// fixStatus says what cmdfix does with a finding's fix (see
// sarifResultProps), or "" when it has none.
func fixStatus(fd rule.Finding, written bool) string {
	switch {
	case fd.Fixed && written:
		return "fixed"
	case fd.Fixed:
		return "fixable"
	case fd.Fix != nil && fd.Fix.Safety == rule.Unsafe:
		return "unsafe"
	case fd.Fix != nil && fd.Fix.Safety == rule.Suggested:
		return "suggestion"
	}
	return ""
}

// fingerprint hashes a rule and an instruction's text with its blanks
// collapsed (so re-indenting or moving the instruction keeps it).
func fingerprint(rule, instruction string) string {
	h := sha256.Sum256([]byte(rule + "\x00" + strings.Join(strings.Fields(instruction), " ")))
	return hex.EncodeToString(h[:8])
}

// log returns the whole SARIF log of the run.
func (s *sarifRun) log() sarifLog {
	run := sarifRunField{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "cmdfix",
			Version:        versionString(),
			InformationURI: "https://github.com/cmdfix/cmdfix",
			Rules:          sarifRules(),
		}},
		Invocations: []sarifInvocation{{
			ExecutionSuccessful: !s.failed,
			Notifications:       s.notifications,
		}},
		ColumnKind: "utf16CodeUnits",
		Results:    s.results,
	}
	if run.Invocations[0].Notifications == nil {
		run.Invocations[0].Notifications = []sarifNotification{}
	}
	if run.Results == nil {
		run.Results = []sarifResult{}
	}
	if wd, err := os.Getwd(); err == nil {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(wd) + "/"}
		if !strings.HasPrefix(u.Path, "/") {
			u.Path = "/" + u.Path // a Windows drive: file:///C:/...
		}
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: u.String()}}
	}
	return sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRunField{run}}
}

// exampleMarkers are the lines of a rule page that mark its tested
// examples; they mean nothing to a reader.
var exampleMarkers = regexp.MustCompile(`(?m)^<!-- example:[^>]*-->\n`)

// sarifRules describes every rule, in registry order (results refer to
// them by index).
func sarifRules() []sarifRule {
	var out []sarifRule
	for _, r := range ruleSet {
		full, help := ruleHelp(r)
		help = exampleMarkers.ReplaceAllString(help, "")
		out = append(out, sarifRule{
			ID:               r.Name,
			Name:             r.Name,
			ShortDescription: sarifMessage{Text: r.Summary()},
			FullDescription:  sarifMessage{Text: full},
			Help:             sarifMessage{Text: help, Markdown: help},
			HelpURI:          r.URL,
			Properties: sarifRuleProps{
				Hadolint:  nonNil(r.Hadolint),
				BuildKit:  nonNil(r.BuildKit),
				FixSafety: r.Safety.String(),
				Tags:      []string{"dockerfile"},
			},
		})
	}
	return append(out, sarifRule{
		ID:               formatRule,
		Name:             formatRule,
		ShortDescription: sarifMessage{Text: "The file is not formatted as cmdfix formats it."},
		FullDescription:  sarifMessage{Text: "Formatting changes the file here (and perhaps further on): indentation, continuation lines, keyword case or blank lines. It never changes what the image does."},
		Help:             sarifMessage{Text: formatHelp, Markdown: formatHelp},
		HelpURI:          "https://github.com/cmdfix/cmdfix#formatting",
		Properties:       sarifRuleProps{Hadolint: []string{}, BuildKit: []string{}, FixSafety: "safe", Tags: []string{"dockerfile", "formatting"}},
	})
}

const formatHelp = "cmdfix formats Dockerfiles after its fixes. `cmdfix -d FILE` shows the changes and `cmdfix -w FILE` makes them; `--no-format` or `[format] enabled = false` in .cmdfix.toml turns formatting off.\n"

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func ruleIndex(name string) int {
	for i, r := range ruleSet {
		if r.Name == name {
			return i
		}
	}
	return -1
}

func sarifLevel(s rule.Severity) string {
	switch s {
	case rule.Error:
		return "error"
	case rule.Warning:
		return "warning"
	}
	return "note"
}

// fixDescription says what a fix does and, unless it is safe, how cmdfix
// would apply it.
func fixDescription(fx *rule.Fix) string {
	switch fx.Safety {
	case rule.Unsafe:
		return fx.Message + " (changes behaviour as the message says; cmdfix applies it with --unsafe)"
	case rule.Suggested:
		return fx.Message + " (a restructuring; cmdfix applies it with --split)"
	}
	return fx.Message
}

// artifactLocation names a file as a URI: relative paths against the
// folder cmdfix ran in, absolute ones as file URIs.
func artifactLocation(path string) sarifArtifactLoc {
	p := relPath(path)
	if filepath.IsAbs(path) && !strings.HasPrefix(p, "/") && filepath.IsAbs(p) {
		p = "/" + p // a Windows drive
	}
	if strings.HasPrefix(p, "/") {
		return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	return sarifArtifactLoc{URI: (&url.URL{Path: p}).String(), URIBaseID: srcRoot}
}

// lineIndex finds lines and columns in a file's source, as the engine
// numbers them (after a byte order mark).
type lineIndex struct {
	src    []byte
	starts []int // byte offset of each line
}

func newLineIndex(src []byte) *lineIndex {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	x := &lineIndex{src: src}
	for i := 0; i < len(src); {
		x.starts = append(x.starts, i)
		n := bytes.IndexByte(src[i:], '\n')
		if n < 0 {
			break
		}
		i += n + 1
	}
	return x
}

// body returns line n (1-based) without its line ending.
func (x *lineIndex) body(n int) []byte {
	if n < 1 || n > len(x.starts) {
		return nil
	}
	end := len(x.src)
	if n < len(x.starts) {
		end = x.starts[n]
	}
	return bytes.TrimRight(x.src[x.starts[n-1]:end], "\r\n")
}

// column converts a 1-based byte column on line n to UTF-16 code units.
func (x *lineIndex) column(n, byteCol int) int {
	b := x.body(n)
	if byteCol-1 > len(b) {
		return byteCol
	}
	return utf16Len(b[:byteCol-1]) + 1
}

// lineEndColumn is the column just after line n's last character.
func (x *lineIndex) lineEndColumn(n int) int {
	return utf16Len(x.body(n)) + 1
}

// position returns the line and column of a byte offset. The end of a
// file that ends with a line ending is the start of the line after it.
func (x *lineIndex) position(off int) (line, col int) {
	if len(x.starts) == 0 {
		return 1, 1
	}
	if off >= len(x.src) && x.src[len(x.src)-1] == '\n' {
		return len(x.starts) + 1, 1
	}
	line = len(x.starts)
	for i, s := range x.starts {
		if s > off {
			line = i
			break
		}
	}
	return line, utf16Len(x.src[x.starts[line-1]:off]) + 1
}

// offset returns the byte offset where line n starts; the offset of the
// line after the last is the file's length.
func (x *lineIndex) offset(n int) int {
	if n-1 < len(x.starts) {
		return x.starts[n-1]
	}
	return len(x.src)
}

// replacements states whole-line edits as SARIF replacements: the
// deleted region of the source and the text put in its place. A line
// ending shared by both is left out of both, so a replaced instruction's
// region ends on its own last line.
func (x *lineIndex) replacements(edits []dockerfile.Edit) []sarifReplacement {
	var out []sarifReplacement
	for _, e := range edits {
		from := x.offset(e.Start)
		to := from
		if e.End >= e.Start {
			to = x.offset(e.End + 1)
		}
		text := e.Text
		for _, nl := range []string{"\r\n", "\n"} {
			if to > from && strings.HasSuffix(text, nl) && bytes.HasSuffix(x.src[from:to], []byte(nl)) {
				text = strings.TrimSuffix(text, nl)
				to -= len(nl)
				break
			}
		}
		sl, sc := x.position(from)
		el, ec := x.position(to)
		r := sarifReplacement{DeletedRegion: sarifRegion{StartLine: sl, StartColumn: sc, EndLine: el, EndColumn: ec}}
		if text != "" {
			r.InsertedContent = &sarifContent{Text: text}
		}
		out = append(out, r)
	}
	return out
}

func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b) // an invalid byte is U+FFFD, one unit
		n += utf16.RuneLen(r)
		b = b[size:]
	}
	return n
}
