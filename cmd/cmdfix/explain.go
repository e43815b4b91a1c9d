package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cmdfix/cmdfix/docs"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// ruleHelp returns a rule's full description (the summary paragraph of its
// page) and its help text (the whole page, Markdown), from the embedded
// docs/rules/RULE.md, or from the rule's Doc when it has no page.
func ruleHelp(r *rule.Rule) (full, help string) {
	if doc, ok := docs.Rule(r.Name); ok {
		return docs.Summary(doc), doc
	}
	_, detail, _ := strings.Cut(r.Doc, "\n")
	full = strings.Join(strings.Fields(detail), " ")
	if full == "" {
		full = r.Summary()
	}
	return full, r.Doc + "\n"
}

// listRuleTable prints the rules, one a line: name, fix safety, summary.
func listRuleTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range ruleSet {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Safety, r.Summary())
	}
	tw.Flush()
}

// explainRule prints a rule's documentation page.
func explainRule(w io.Writer, name string) error {
	r := rule.ByName(ruleSet, name)
	if r == nil {
		return fmt.Errorf("--explain: %v", &unknownRuleError{Name: name, Suggest: closest(name, allRules())})
	}
	_, help := ruleHelp(r)
	io.WriteString(w, help)
	return nil
}
