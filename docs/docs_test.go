package docs

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// update is accepted so that "go test ./... -update" works in every
// package; the pages are written by hand.
var _ = flag.Bool("update", false, "no golden files here")

// TestEveryRuleHasADoc checks that the registered rules and the pages
// match one to one.
func TestEveryRuleHasADoc(t *testing.T) {
	registered := map[string]bool{}
	for _, r := range rules.All {
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
	for _, r := range rules.All {
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

func checkSections(t *testing.T, r *rule.Rule, doc string) {
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
		{"What it changes", []string{"what it changes", "what it writes"}, r.Safety != rule.NoFix},
		{"How to ignore it", []string{"how to ignore", "ignoring it", "how to keep"}, true},
		{"Related checks", []string{"related"}, len(r.Hadolint)+len(r.BuildKit) > 0},
	}
	// A rule that reports several distinct patterns may give each its own
	// section instead, each showing an example and its findings; then the
	// text before the first section says what it detects and why.
	byCase := casesWithFindings(doc) >= 2 && !has("what it detects") && !has("why it matters")
	for _, s := range required {
		if byCase && (s.section == "What it detects" || s.section == "Why it matters") {
			continue
		}
		if s.need && !has(s.words...) {
			t.Error(fmt.Sprintf("no section %q (a ## heading with %q); headings: %q", s.section, s.words, headings))
		}
	}
	// When the fix is safe or unsafe: the summary table's Fix row says the
	// rule's fix safety, as --list-rules prints it.
	fixRow := regexp.MustCompile(`(?m)^\|\s*Fix\s*\|\s*([a-z]+)`).FindStringSubmatch(doc)
	switch {
	case fixRow == nil:
		t.Errorf("no | Fix | row saying whether the fix is %s", r.Safety)
	case fixRow[1] != r.Safety.String():
		t.Errorf("the | Fix | row says %q, the rule's fixes are %q", fixRow[1], r.Safety)
	}
	for _, name := range append(append([]string{}, r.Hadolint...), r.BuildKit...) {
		if !strings.Contains(doc, name) {
			t.Errorf("the related check %s (in the rule's metadata) is not named", name)
		}
	}
}

// example is one marked example of a page: a Dockerfile, the flags it is
// processed with, and what the page says cmdfix makes of it.
type example struct {
	line                  int // of the before marker
	before, flags, after  string
	hasAfter, hasFindings bool
	findings              string
	files                 map[string]string // build context files, by path
}

var marker = regexp.MustCompile(`^<!-- example: (before|flags|after|findings|file ([^ ]+)) -->$`)

// examples reads a page's marked code blocks; each before block starts a
// new example.
func examples(t *testing.T, doc string) []example {
	var out []example
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		m := marker.FindStringSubmatch(trimmed)
		if m == nil {
			if strings.HasPrefix(trimmed, "<!-- example") {
				t.Errorf("line %d: unknown example marker %q (before, flags, after, findings or file PATH)", i+1, trimmed)
			}
			continue
		}
		j := i + 1
		if j == len(lines) || !strings.HasPrefix(lines[j], "```") {
			t.Errorf("line %d: the example marker is not followed by a code block", i+1)
			continue
		}
		var body []string
		for j++; j < len(lines) && !strings.HasPrefix(lines[j], "```"); j++ {
			body = append(body, lines[j])
		}
		text := strings.Join(body, "\n") + "\n"
		if m[1] == "before" {
			out = append(out, example{line: i + 1, before: text})
		} else if len(out) == 0 {
			t.Errorf("line %d: a %s block before any before block", i+1, m[1])
		} else {
			ex := &out[len(out)-1]
			if m[2] != "" {
				// a file of the example's build context
				if ex.files == nil {
					ex.files = map[string]string{}
				}
				ex.files[m[2]] = text
			}
			switch m[1] {
			case "flags":
				ex.flags = text
			case "after":
				ex.after, ex.hasAfter = text, true
			case "findings":
				ex.findings, ex.hasFindings = text, true
			}
		}
		i = j
	}
	return out
}

// checkExamples processes each example with the page's rule alone (the
// others disabled) and the example's flags: the result must be the after
// block (the before block itself when there is none), and the findings
// exactly the findings block, when there is one.
func checkExamples(t *testing.T, r *rule.Rule, doc string) {
	exs := examples(t, doc)
	var afters int
	for _, ex := range exs {
		opts := rewrite.Options{}
		for _, other := range rules.All {
			if other != r {
				opts.Disable = append(opts.Disable, other.Name)
			}
		}
		for _, f := range strings.Fields(ex.flags) {
			switch f {
			case "--unsafe":
				opts.Unsafe = true
			case "--split":
				opts.Split = true
			case "--no-format":
				opts.NoFormat = true
			case "--explicit-shell":
				opts.ExplicitShell = true
			default:
				t.Errorf("example at line %d: unknown flag %s", ex.line, f)
			}
		}
		if ex.files != nil {
			opts.Context = exampleContext(t, ex.files)
		}
		res, err := rewrite.Process("Dockerfile", []byte(ex.before), opts)
		if err != nil {
			t.Errorf("example at line %d: %v", ex.line, err)
			continue
		}
		want := ex.before
		if ex.hasAfter {
			want = ex.after
			afters++
		}
		if got := string(res.Output); got != want {
			t.Errorf("example at line %d: cmdfix %smakes\n%s\nthe page says:\n%s", ex.line, ex.flags, got, want)
		}
		if ex.hasFindings {
			var got strings.Builder
			for _, fd := range res.Findings {
				got.WriteString(findingLine(fd) + "\n")
			}
			if got.String() != ex.findings {
				t.Errorf("example at line %d: findings\n%s\nthe page says:\n%s", ex.line, got.String(), ex.findings)
			}
		}
	}
	if len(exs) == 0 {
		t.Error("no example marked <!-- example: before -->")
	}
	if afters == 0 && r.Safety != rule.NoFix {
		t.Error("no example marked <!-- example: after --> showing the fix")
	}
}

// findingLine is a finding as cmdfix prints it for a file named Dockerfile
// when it prints the result.
func findingLine(fd rule.Finding) string {
	note := ""
	switch {
	case fd.Fixed:
		note = " (fixed)"
	case fd.Fix != nil && fd.Fix.Safety == rule.Unsafe:
		note = " (fix with --unsafe)"
	case fd.Fix != nil && fd.Fix.Safety == rule.Suggested:
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

// exampleContext writes an example's build context files (made executable,
// as scripts are) to a temporary folder and opens it.
func exampleContext(t *testing.T, files map[string]string) *buildcontext.Context {
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	c, err := buildcontext.Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}
