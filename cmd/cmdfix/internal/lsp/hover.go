package lsp

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/showrun"
	"github.com/cmdfix/cmdfix/docs"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// hover explains the rules of the findings under the position, and adds
// what runHover says about the instruction there.
func (s *Server) hover(p protocol.TextDocumentPositionParams) (*protocol.Hover, error) {
	a, d, _, ok := s.analyze(p.TextDocument.URI)
	if !ok {
		return nil, errorf(codeInvalidParams, "%s is not open", p.TextDocument.URI)
	}
	var parts []string
	var rng *protocol.Range
	if a.err == nil {
		ls := lines(a.text)
		seen := map[string]bool{}
		for i := range a.res.Findings {
			f := &a.res.Findings[i]
			if p.Position.Line < f.Line-1 || p.Position.Line > f.EndLine-1 || seen[f.Rule] {
				continue
			}
			seen[f.Rule] = true
			r := findingRange(ls, f)
			rng = &r
			part := ruleHover(f.Rule)
			if fx := f.Fix; fx != nil {
				part += fmt.Sprintf("\n\nFix (%s): %s", fx.Safety, fx.Message)
			}
			parts = append(parts, part)
		}
	}
	if run := runHover(d.name(), []byte(d.text), p.Position.Line+1); run != "" {
		parts = append(parts, run)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	return &protocol.Hover{Contents: protocol.MarkupContent{Kind: "markdown", Value: strings.Join(parts, "\n\n---\n\n")}, Range: rng}, nil
}

// ruleHover is a rule's explanation: the first paragraph of its page, and
// a link to the page.
func ruleHover(name string) string {
	summary := ""
	if page, ok := docs.Rule(name); ok {
		summary = docs.Summary(page)
	} else if r := rule.ByName(rules.All, name); r != nil {
		summary = r.Summary()
	}
	return fmt.Sprintf("**cmdfix: %s**\n\n%s\n\n[%s](%s)", name, summary, name+".md", ruleURL(name))
}

// runHover says, on a FROM, CMD or ENTRYPOINT line (1-based), what
// `docker run IMAGE` executes for the image that instruction's stage
// builds and where each part comes from: the answer cmdfix --show-run
// prints for the stage, in Markdown. It returns "" on any other line, or
// when BuildKit cannot parse src.
func runHover(name string, src []byte, line int) string {
	f, err := dockerfile.Parse(name, bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF")))
	if err != nil {
		return ""
	}
	for _, in := range f.Instructions {
		if line < in.Start || line > in.End {
			continue
		}
		switch in.Keyword {
		case "from", "cmd", "entrypoint":
			if in.Stage != nil {
				return showrun.Markdown(showrun.Of(f, in.Stage))
			}
		}
		return ""
	}
	return ""
}

// ruleURL returns the address of the named rule's page, or "".
func ruleURL(name string) string {
	if r := rule.ByName(rules.All, name); r != nil {
		return r.URL
	}
	return ""
}
