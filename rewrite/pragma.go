package rewrite

import (
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Pragmas let users keep a deliberate instruction. Three spellings are
// honoured above an instruction:
//
//	# cmdfix ignore=exec-form,redundant-instruction   (or ignore=all)
//	# hadolint ignore=DL3025,DL4003                    (mapped by Rule.Hadolint)
//	# check=skip=JSONArgsRecommended                   (mapped by Rule.BuildKit)
//
// The cmdfix and hadolint forms apply when they are in the run of comment
// lines directly above the instruction (a blank line ends the run). The
// check form applies where BuildKit applies it: anywhere among the comments
// BuildKit attaches to the instruction, that is the comment lines since the
// previous instruction, across blank lines, back to the nearest "#" line
// with no text.
//
// Two file-wide forms turn rules off for the whole file: BuildKit's
// "# check=skip=..." parser directive at the top of the file, and
// hadolint's "# hadolint global ignore=..." anywhere.
//
// A BuildKit or hadolint pragma speaks only for that tool's checks, so it
// silences only the cmdfix rules that name those checks: "skip=all" does
// not turn off a cmdfix rule with no BuildKit counterpart. "# cmdfix
// ignore=all" turns off every cmdfix rule.

// fileSkips returns the rules turned off for the whole file: by the
// "# check=skip=" parser directive and by "# hadolint global ignore=" lines.
func fileSkips(f *dockerfile.File, rules []*rule.Rule) map[string]bool {
	out := map[string]bool{}
	if v, ok := f.Directives["check"]; ok {
		addCheckSkips(out, v, rules)
	}
	for i, l := range f.Lines() {
		if f.Kind(i+1) != dockerfile.LineOther || !dockerfile.IsCommentLine(l) {
			continue
		}
		if codes, global := hadolintPragma(commentText(l)); global {
			addHadolint(out, codes, rules)
		}
	}
	return out
}

// ignoredAt returns the rules silenced for instruction in by pragma
// comments above it.
func ignoredAt(f *dockerfile.File, in *dockerfile.Instruction, rules []*rule.Rule) map[string]bool {
	out := map[string]bool{}
	adjacent := true // still in the run of comment lines directly above
	buildkit := true // still among the comments BuildKit attaches to in
	for n := in.Start - 1; n >= 1 && f.Kind(n) == dockerfile.LineOther && (adjacent || buildkit); n-- {
		l := f.Line(n)
		if !dockerfile.IsCommentLine(l) {
			adjacent = false // a blank line: only BuildKit looks further up
			continue
		}
		text := commentText(l)
		if text == "" {
			buildkit = false // BuildKit drops the comments above an empty "#"
			continue
		}
		// BuildKit reads a comment without its first byte, so an indented
		// "# check=skip=..." keeps its "#" and is no check directive there.
		read := strings.TrimSpace(string(dockerfile.LineBody(l))[1:])
		if d, _ := (&parser.DirectiveParser{}).ParseLine([]byte("#" + read)); d != nil && d.Name == "check" {
			if !buildkit {
				continue
			}
			// As BuildKit reads a check comment: the value up to the
			// first space.
			v, _, _ := strings.Cut(d.Value, " ")
			addCheckSkips(out, v, rules)
			continue
		}
		if !adjacent {
			continue
		}
		if names, ok := cmdfixPragma(text); ok {
			for _, name := range names {
				for _, r := range rules {
					if strings.EqualFold(name, "all") || strings.EqualFold(name, r.Name) {
						out[r.Name] = true
					}
				}
			}
		}
		if codes, global := hadolintPragma(text); !global {
			addHadolint(out, codes, rules)
		}
	}
	return out
}

// commentText returns a comment line's text after the "#", trimmed.
func commentText(line []byte) string {
	t := dockerfile.LineBody(dockerfile.TrimLeftSpace(line))
	return strings.TrimSpace(string(t[1:]))
}

// addCheckSkips adds the rules a BuildKit check value such as
// "skip=JSONArgsRecommended,StageNameCasing;error=true" skips. A value
// BuildKit rejects skips nothing, as in BuildKit.
func addCheckSkips(out map[string]bool, v string, rules []*rule.Rule) {
	cfg, err := linter.ParseLintOptions(v)
	if err != nil {
		return
	}
	for _, r := range rules {
		if len(r.BuildKit) == 0 {
			continue
		}
		if cfg.SkipAll {
			out[r.Name] = true
			continue
		}
		for _, name := range cfg.SkipRules {
			if r.AnswersBuildKit(name) {
				out[r.Name] = true
			}
		}
	}
}

// addHadolint adds the rules that match hadolint codes.
func addHadolint(out map[string]bool, codes []string, rules []*rule.Rule) {
	for _, code := range codes {
		for _, r := range rules {
			if r.AnswersHadolint(code) {
				out[r.Name] = true
			}
		}
	}
}

// cmdfixPragma reads "cmdfix ignore=NAME[,NAME...]" (comment text after
// "#"). Spaces may surround "=" and the commas; anything after the list is
// a free-text reason.
func cmdfixPragma(text string) ([]string, bool) {
	rest, ok := cutWord(text, "cmdfix")
	if !ok {
		return nil, false
	}
	return ignoreList(rest)
}

// hadolintPragma reads hadolint's "hadolint ignore=DL3025,DL4003" and
// "hadolint global ignore=DL3025" (comment text after "#"), with hadolint's
// spacing rules: blanks around "=" and the commas, and an optional
// trailing "# reason".
func hadolintPragma(text string) (codes []string, global bool) {
	rest, ok := cutWord(text, "hadolint")
	if !ok {
		return nil, false
	}
	if r, ok := cutWord(rest, "global"); ok {
		rest, global = r, true
	}
	codes, _ = ignoreList(rest)
	return codes, global
}

// cutWord removes word and the blanks after it from the start of s; the
// word must be followed by a blank or end s.
func cutWord(s, word string) (string, bool) {
	rest, ok := strings.CutPrefix(s, word)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return s, false
	}
	return strings.TrimLeft(rest, " \t"), true
}

// ignoreList reads `ignore = a, b, c` at the start of s and returns the
// names. It stops at the first name not followed by a comma.
func ignoreList(s string) ([]string, bool) {
	rest, ok := strings.CutPrefix(s, "ignore")
	if !ok {
		return nil, false
	}
	rest = strings.TrimLeft(rest, " \t")
	if rest, ok = strings.CutPrefix(rest, "="); !ok {
		return nil, false
	}
	var names []string
	for {
		rest = strings.TrimLeft(rest, " \t")
		end := strings.IndexFunc(rest, func(r rune) bool {
			return !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
		})
		if end < 0 {
			end = len(rest)
		}
		if end == 0 {
			break
		}
		names = append(names, rest[:end])
		rest = strings.TrimLeft(rest[end:], " \t")
		if rest, ok = strings.CutPrefix(rest, ","); !ok {
			break
		}
	}
	return names, len(names) > 0
}
