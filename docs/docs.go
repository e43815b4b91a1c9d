// Package docs holds the rule documentation, docs/rules/RULE.md, embedded
// so that the cmdfix binary can print it (cmdfix --explain RULE) and put it
// in SARIF logs, the same text as in the repository.
//
// Every rule's page has a title (# RULE), a one-paragraph summary, and
// these sections, which TestRuleDocs checks: what it detects, why it
// matters, what it changes, when the fix is safe or unsafe (at least the
// summary table's "Fix" row), examples, how to ignore it, and the related
// hadolint and BuildKit checks. A rule that reports several distinct
// patterns may instead give each pattern its own section, with a marked
// example and its findings, after an introduction that says what the rule
// detects and why it matters.
//
// Examples are marked with HTML comments, each directly above a code block;
// each before block starts an example, which TestRuleDocs processes with
// the page's rule alone:
//
//	<!-- example: before -->    a Dockerfile
//	<!-- example: flags -->     optional: --unsafe, --split or --no-format
//	<!-- example: after -->     what cmdfix makes of it (absent: unchanged)
//	<!-- example: findings -->  optional: exactly the diagnostics printed
package docs

import (
	"embed"
	"sort"
	"strings"
)

//go:embed rules/*.md
var files embed.FS

// rulesURL is where the rule pages are published.
const rulesURL = "https://github.com/cmdfix/cmdfix/blob/main/docs/rules/"

// RuleURL returns the address of the named rule's published page, for
// reports and editors that link it (SARIF's helpUri, an LSP diagnostic's
// codeDescription).
func RuleURL(name string) string {
	return rulesURL + name + ".md"
}

// Rule returns the Markdown documentation of the named rule, and whether
// it has one.
func Rule(name string) (string, bool) {
	b, err := files.ReadFile("rules/" + name + ".md")
	if err != nil {
		return "", false
	}
	return string(b), true
}

// Names returns the names of the documented rules, sorted.
func Names() []string {
	entries, _ := files.ReadDir("rules")
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".md"); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Summary returns a page's first paragraph after its title, joined into
// one line.
func Summary(doc string) string {
	var para []string
	started := false
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case !started && (line == "" || strings.HasPrefix(line, "# ")):
			continue
		case line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "|") || strings.HasPrefix(line, "```"):
			return strings.Join(para, " ")
		}
		started = true
		para = append(para, line)
	}
	return strings.Join(para, " ")
}

// Headings returns the texts of a page's second-level (## ) headings,
// outside code blocks.
func Headings(doc string) []string {
	var out []string
	fenced := false
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "```") {
			fenced = !fenced
			continue
		}
		if h, ok := strings.CutPrefix(line, "## "); ok && !fenced {
			out = append(out, strings.TrimSpace(h))
		}
	}
	return out
}
