package main

// Rule selection: which rules run for a file, and at what severity. Names
// map to rules through rule.Rule.Answers, the table the pragmas use too.

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// allRules names every rule cmdfix runs, in priority order.
func allRules() []string {
	var out []string
	for _, r := range ruleSet {
		out = append(out, r.Name)
	}
	return out
}

// unknownRuleError is a name that is none of cmdfix's rules, hadolint's
// codes or BuildKit's checks; Suggest is the closest known name, if any is
// close.
type unknownRuleError struct {
	Name, Suggest string
}

func (e *unknownRuleError) Error() string {
	if e.Suggest != "" {
		return fmt.Sprintf("unknown rule %q (did you mean %q? see cmdfix --list-rules)", e.Name, e.Suggest)
	}
	return fmt.Sprintf("unknown rule %q (see cmdfix --list-rules)", e.Name)
}

// resolveRuleNames maps names as users write them to cmdfix rule names:
// a cmdfix rule name (exec-form), a hadolint code (DL3025), a BuildKit
// check name (JSONArgsRecommended), or "all". Codes and check names match
// without regard to case, as the pragmas read them; a code or check that
// several rules share names all of them. The result is sorted and has no
// duplicates. An unknown name is an *unknownRuleError.
func resolveRuleNames(names []string) ([]string, error) {
	set := map[string]bool{}
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		matched := false
		for _, r := range ruleSet {
			if strings.EqualFold(name, "all") || r.Answers(name) {
				set[r.Name] = true
				matched = true
			}
		}
		if !matched {
			return nil, &unknownRuleError{Name: name, Suggest: closestName(name)}
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// knownNames is every name resolveRuleNames accepts.
func knownNames() []string {
	out := []string{"all"}
	for _, r := range ruleSet {
		out = append(out, r.Name)
		out = append(out, r.Hadolint...)
		out = append(out, r.BuildKit...)
	}
	return out
}

// closestName returns the known rule name nearest to name, when it is
// near enough to be what was meant.
func closestName(name string) string {
	return closest(name, knownNames())
}

// closest returns the candidate that s begins (ignoring case), or else
// the one with the smallest edit distance to s, if that distance is at
// most a third of s's length (and at least 1, at most 3); otherwise "".
func closest(s string, candidates []string) string {
	if len(s) >= 2 {
		for _, c := range candidates {
			if len(c) > len(s) && strings.HasPrefix(strings.ToLower(c), strings.ToLower(s)) {
				return c
			}
		}
	}
	best, bestD := "", 1<<30
	limit := min(max(len(s)/3, 1), 3)
	for _, c := range candidates {
		if d := levenshtein(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > limit {
		return ""
	}
	return best
}

// levenshtein is the edit distance between a and b, in bytes.
func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// level is a severity threshold or override: info < warning < error,
// with never (fail on nothing) above them all and off (a rule that does
// not run) beside them.
type level int

const (
	levelInfo level = iota
	levelWarning
	levelError
	levelNever // --fail-on=never
	levelOff   // [severity] RULE = "off"
)

var levelNames = map[string]level{"info": levelInfo, "warning": levelWarning, "error": levelError, "never": levelNever, "off": levelOff}

func (l level) String() string {
	for n, v := range levelNames {
		if v == l {
			return n
		}
	}
	return "?"
}

// parseLevel reads a level; allowed lists the names accepted here.
func parseLevel(s string, allowed ...string) (level, error) {
	if slices.Contains(allowed, s) {
		return levelNames[s], nil
	}
	msg := fmt.Sprintf("%q is not one of %s", s, strings.Join(allowed, ", "))
	if c := closest(s, allowed); c != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", c)
	}
	return 0, fmt.Errorf("%s", msg)
}

var failLevels = []string{"never", "error", "warning", "info"}
var severityLevels = []string{"error", "warning", "info", "off"}

// severityOf is a finding's severity as a level.
func severityOf(s rule.Severity) level {
	switch s {
	case rule.Error:
		return levelError
	case rule.Warning:
		return levelWarning
	}
	return levelInfo
}

// rewriteSeverity is the engine's severity for an override level.
func rewriteSeverity(l level) rule.Severity {
	switch l {
	case levelError:
		return rule.Error
	case levelWarning:
		return rule.Warning
	}
	return rule.Info
}

// selection is what the rule settings in effect for one file decide.
type selection struct {
	disable  []string                 // rules not to run, sorted
	severity map[string]rule.Severity // overrides by rule
}

// selectRules combines the rule settings: the rules run are those
// selected (all when select is nil), minus those ignored, minus those a
// per-file ignore names for rel (the file's path relative to the settings
// file's folder, with forward slashes), minus those whose severity is off.
// Every name is already resolved.
func selectRules(sel, ignore []string, perFile []perFileIgnore, rel string, severity map[string]level) selection {
	off := map[string]bool{}
	if sel != nil {
		for _, r := range allRules() {
			if !slices.Contains(sel, r) {
				off[r] = true
			}
		}
	}
	for _, r := range ignore {
		off[r] = true
	}
	if rel != "" {
		for _, p := range perFile {
			if matchGlob(p.pattern, rel) {
				for _, r := range p.rules {
					off[r] = true
				}
			}
		}
	}
	s := selection{}
	for r, l := range severity {
		if l == levelOff {
			off[r] = true
			continue
		}
		if s.severity == nil {
			s.severity = map[string]rule.Severity{}
		}
		s.severity[r] = rewriteSeverity(l)
	}
	for r := range off {
		s.disable = append(s.disable, r)
	}
	sort.Strings(s.disable)
	return s
}

// perFileIgnore is one entry of [per-file-ignores]: a glob and the rules
// (resolved) it turns off.
type perFileIgnore struct {
	pattern string
	rules   []string
}

// matchGlob matches a slash-separated path against a glob: each segment
// as path.Match reads it, and "**" for any number of segments. A pattern
// without a slash matches the last segment (the file name), as in
// .gitignore.
func matchGlob(pattern, name string) bool {
	pattern = strings.TrimPrefix(pattern, "./")
	if !strings.Contains(pattern, "/") {
		ok, _ := path.Match(pattern, path.Base(name))
		return ok
	}
	return matchSegments(strings.Split(strings.TrimPrefix(pattern, "/"), "/"), strings.Split(name, "/"))
}

func matchSegments(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchSegments(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}
