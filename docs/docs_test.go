package docs

import (
	"flag"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite"
)

// update is accepted so that "go test ./... -update" works in every
// package; the pages are written by hand.
var _ = flag.Bool("update", false, "no golden files here")

// TestEveryRuleHasADoc checks that the registered rules and the pages
// match one to one.
func TestEveryRuleHasADoc(t *testing.T) {
	registered := map[string]bool{}
	for _, r := range rewrite.Rules() {
		registered[r.Name] = true
		if _, ok := Rule(r.Name); !ok {
			t.Errorf("rule %s has no docs/rules/%s.md", r.Name, r.Name)
		}
	}
	for _, name := range Names() {
		if !registered[name] {
			t.Errorf("docs/rules/%s.md documents no registered rule", name)
		}
	}
}

// TestRuleDocs checks each page has the sections users look for, agrees
// with the rule's metadata, and that its marked examples are what the
// rules produce.
func TestRuleDocs(t *testing.T) {
	for _, r := range rewrite.Rules() {
		doc, ok := Rule(r.Name)
		if !ok {
			continue // TestEveryRuleHasADoc reports it
		}
		t.Run(r.Name, func(t *testing.T) {
			checkSections(t, r, doc)
			checkExamples(t, r, doc)
		})
	}
}

func checkSections(t *testing.T, r *rewrite.Rule, doc string) {
	if !strings.HasPrefix(doc, "# "+r.Name+"\n") {
		t.Errorf("the page does not start with the title # %s", r.Name)
	}
	if Summary(doc) == "" {
		t.Errorf("no summary paragraph after the title")
	}
	headings := Headings(doc)
	has := func(words ...string) bool {
		for _, h := range headings {
			for _, w := range words {
				if strings.Contains(strings.ToLower(h), w) {
					return true
				}
			}
		}
		return false
	}
	required := []struct {
		section string
		words   []string
		need    bool
	}{
		{"What it detects", []string{"what it detects"}, true},
		{"Why it matters", []string{"why it matters"}, true},
		{"What it changes", []string{"what it changes"}, r.Fixes != rewrite.NoFix},
		{"How to ignore it", []string{"ignore", "how to keep"}, true},
		{"Related checks", []string{"related"}, len(r.Hadolint)+len(r.BuildKit) > 0},
	}
	// A rule that reports several distinct patterns may give each its own
	// section instead, each showing an example and its findings; then the
	// text before the first section says what it detects and why.
	byCase := casesWithFindings(doc) >= 2
	for _, s := range required {
		if byCase && (s.section == "What it detects" || s.section == "Why it matters") {
			continue
		}
		if s.need && !has(s.words...) {
			t.Errorf("no section %q (a ## heading with %q); headings: %q", s.section, s.words, headings)
		}
	}
	// When the fix is safe or unsafe: the summary table's Fix row says the
	// rule's fix safety, as --list-rules prints it.
	fixRow := regexp.MustCompile(`(?m)^\|\s*Fix\s*\|\s*([a-z]+)`).FindStringSubmatch(doc)
	switch {
	case fixRow == nil:
		t.Errorf("no | Fix | row saying whether the fix is %s", r.Fixes)
	case fixRow[1] != r.Fixes.String():
		t.Errorf("the | Fix | row says %q, the rule's fixes are %q", fixRow[1], r.Fixes)
	}
	for _, name := range append(append([]string{}, r.Hadolint...), r.BuildKit...) {
		if !strings.Contains(doc, name) {
			t.Errorf("the related check %s (in the rule's metadata) is not named", name)
		}
	}
}

// example is one marked code block of a page.
type example struct {
	kind  string // before, after or findings
	flags []string
	text  string
	line  int
}

var marker = regexp.MustCompile(`^<!-- example: (before|after|findings)((?: --[a-z-]+)*) -->$`)

// examples returns a page's marked examples, in order.
func examples(t *testing.T, doc string) []example {
	var out []example
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		m := marker.FindStringSubmatch(strings.TrimSpace(lines[i]))
		if m == nil {
			if strings.HasPrefix(strings.TrimSpace(lines[i]), "<!-- example") {
				t.Errorf("line %d: unreadable example marker %q", i+1, lines[i])
			}
			continue
		}
		ex := example{kind: m[1], flags: strings.Fields(m[2]), line: i + 1}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j == len(lines) || !strings.HasPrefix(lines[j], "```") {
			t.Errorf("line %d: the example marker is not followed by a code block", i+1)
			continue
		}
		var body []string
		for j++; j < len(lines) && !strings.HasPrefix(lines[j], "```"); j++ {
			body = append(body, lines[j])
		}
		ex.text = strings.Join(body, "\n") + "\n"
		out = append(out, ex)
		i = j
	}
	return out
}

func options(t *testing.T, ex example) rewrite.Options {
	var o rewrite.Options
	for _, f := range ex.flags {
		switch f {
		case "--unsafe":
			o.Unsafe = true
		case "--split":
			o.Split = true
		case "--no-format":
			o.NoFormat = true
		default:
			t.Errorf("line %d: unknown example flag %s", ex.line, f)
		}
	}
	return o
}

func checkExamples(t *testing.T, r *rewrite.Rule, doc string) {
	exs := examples(t, doc)
	var before *example
	var befores, afters int
	for i := range exs {
		ex := exs[i]
		if ex.kind == "before" {
			before = &exs[i]
			befores++
			continue
		}
		if before == nil {
			t.Errorf("line %d: an %s example with no before example above it", ex.line, ex.kind)
			continue
		}
		res, err := rewrite.Process("Dockerfile", []byte(before.text), options(t, ex))
		if err != nil {
			t.Errorf("line %d: the before example does not process: %v", before.line, err)
			continue
		}
		switch ex.kind {
		case "after":
			afters++
			if got := string(res.Output); got != ex.text {
				t.Errorf("line %d: cmdfix%s makes of the example at line %d:\n%s\nthe page says:\n%s",
					ex.line, strings.Join(append([]string{""}, ex.flags...), " "), before.line, got, ex.text)
			}
		case "findings":
			var got, want []string
			for _, fd := range res.Findings {
				if fd.Rule == r.Name {
					got = append(got, findingLine(fd))
				}
			}
			for _, l := range strings.Split(strings.TrimSpace(ex.text), "\n") {
				if strings.Contains(l, ": "+r.Name+": ") {
					want = append(want, l)
				}
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("line %d: %s's findings for the example at line %d:\n%s\nthe page says:\n%s",
					ex.line, r.Name, before.line, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
	if befores == 0 {
		t.Errorf("no example marked <!-- example: before -->")
	}
	if afters == 0 && r.Fixes != rewrite.NoFix {
		t.Errorf("no example marked <!-- example: after --> showing the fix")
	}
}

// findingLine is a finding as cmdfix prints it for a file named Dockerfile
// when it prints the result.
func findingLine(fd rewrite.Finding) string {
	note := ""
	switch {
	case fd.Fixed:
		note = " (fixed)"
	case fd.Fix != nil && fd.Fix.Safety == rewrite.Unsafe:
		note = " (fix with --unsafe)"
	case fd.Fix != nil && fd.Fix.Safety == rewrite.Suggested:
		note = " (apply with --split)"
	}
	return fmt.Sprintf("Dockerfile:%d:%d: %s: %s%s", fd.Line, fd.Col, fd.Rule, fd.Message, note)
}

// casesWithFindings counts the ## sections that hold a marked before
// example followed by its marked findings.
func casesWithFindings(doc string) int {
	n := 0
	for _, sec := range strings.Split(doc, "\n## ")[1:] {
		b := strings.Index(sec, "<!-- example: before")
		if b >= 0 && strings.Contains(sec[b:], "<!-- example: findings") {
			n++
		}
	}
	return n
}
