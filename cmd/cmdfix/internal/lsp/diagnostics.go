package lsp

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// diagnostics turns an analysis into the document's diagnostics.
func diagnostics(d *document, a *analysis) []protocol.Diagnostic {
	ls := lines(a.text)
	out := []protocol.Diagnostic{}
	if a.err != nil {
		n := min(errorLine(a.err), max(len(ls)-1, 0))
		return append(out, protocol.Diagnostic{
			Range:    protocol.Range{Start: protocol.Position{Line: n}, End: lineEnd(ls, n)},
			Severity: protocol.SeverityError,
			Source:   "cmdfix",
			Message:  errorMessage(a.err),
		})
	}
	for i := range a.res.Findings {
		out = append(out, diagnostic(d.uri, ls, &a.res.Findings[i]))
	}
	return out
}

// findingRange is the range of a finding's instruction: from its keyword
// to the end of its last line.
func findingRange(ls []string, f *rule.Finding) protocol.Range {
	start := protocol.Position{Line: f.Line - 1}
	if f.Line-1 < len(ls) && f.Col > 1 {
		l := body(ls[f.Line-1])
		start.Character = utf16Len(l[:min(f.Col-1, len(l))])
	}
	return protocol.Range{Start: start, End: lineEnd(ls, f.EndLine-1)}
}

var severities = map[rule.Severity]int{
	rule.Error:   protocol.SeverityError,
	rule.Warning: protocol.SeverityWarning,
	rule.Info:    protocol.SeverityInformation,
}

// lineRef finds the other instructions a message names ("the CMD at line
// 7"). TODO: the library knows these instructions (entrypoint-cmd reports
// them as related) but Finding does not carry them; once it does, use
// those instead of reading the message.
var lineRef = regexp.MustCompile(`\b(?:at|on) line (\d+)`)

func diagnostic(uri string, ls []string, f *rule.Finding) protocol.Diagnostic {
	d := protocol.Diagnostic{
		Range:           findingRange(ls, f),
		Severity:        severities[f.Severity],
		Code:            f.Rule,
		CodeDescription: &protocol.CodeDescription{Href: ruleURL(f.Rule)},
		Source:          "cmdfix",
		Message:         f.Message,
	}
	if f.Rule == "redundant-instruction" {
		d.Tags = []int{protocol.TagUnnecessary} // it never takes effect
	}
	if !strings.Contains(f.Message, " line ") {
		return d
	}
	for _, m := range lineRef.FindAllStringSubmatch(f.Message, -1) {
		n, err := strconv.Atoi(m[1])
		if err != nil || n < 1 || n > len(ls) || (n >= f.Line && n <= f.EndLine) {
			continue
		}
		d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: uri, Range: protocol.Range{Start: protocol.Position{Line: n - 1}, End: lineEnd(ls, n-1)}},
			Message:  fmt.Sprintf("line %d, named by this finding", n),
		})
	}
	return d
}
