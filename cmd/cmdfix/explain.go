package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/cmdfix/cmdfix/rewrite"
)

// ruleHelp returns a rule's full description and its help text.
func ruleHelp(r *rewrite.Rule) (full, help string) {
	_, detail, _ := strings.Cut(r.Doc, "\n")
	full = strings.TrimSpace(detail)
	if full == "" {
		full = r.Summary()
	}
	return full, r.Doc
}

// listRuleTable prints the rules, one a line: name, fix safety, summary.
func listRuleTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range rewrite.Rules() {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Name, r.Fixes, r.Summary())
	}
	tw.Flush()
}

// explainRule prints a rule's documentation.
func explainRule(w io.Writer, name string) error {
	r := rewrite.RuleByName(name)
	if r == nil {
		return fmt.Errorf("--explain: unknown rule %q (see cmdfix --list-rules)", name)
	}
	_, help := ruleHelp(r)
	fmt.Fprintln(w, strings.TrimRight(help, "\n"))
	return nil
}
