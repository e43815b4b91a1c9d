package rules

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	bkshell "github.com/moby/buildkit/frontend/dockerfile/shell"
)

// LegacyKeyValue rewrites ENV key value and LABEL key value as key=value.
// In both forms BuildKit keeps the raw key and value (parser.parseNameVal:
// the legacy form's value is the rest of the line) and the dispatcher
// expands each with its shell lexer (ProcessWord), which also removes
// quotes. The new text is chosen so that BuildKit's parser reads one
// key=value pair whose key and value expand exactly as before, with every
// variable set and with none: the rule parses its own text and compares.
var LegacyKeyValue = &rule.Rule{
	Name: "legacy-key-value",
	Doc: `write ENV and LABEL as key=value instead of the legacy "key value"

"ENV key value" is the legacy form; BuildKit warns (LegacyKeyValueFormat),
and it cannot set several variables at once. It is rewritten as key=value,
quoted so that BuildKit reads the same key and value.`,
	URL:      pageURL + "legacy-key-value.md",
	Safety:   rule.Safe,
	BuildKit: []string{linter.RuleLegacyKeyValueFormat.Name},
	Run:      runLegacyKeyValue,
}

func runLegacyKeyValue(p *rule.Pass) {
	f := p.File
	for _, in := range f.Instructions {
		if in.Keyword != "env" && in.Keyword != "label" {
			continue
		}
		args := in.Args()
		if len(args) != 3 || args[2] != "" {
			continue // not the legacy form
		}
		key, val := args[0], args[1]
		kw := strings.ToUpper(in.Keyword)
		msg := fmt.Sprintf("%s %s uses the legacy \"key value\" form: write %s=value", kw, key, key)
		l := f.Line(in.Start)
		fs := fields(l)
		if len(fs) == 0 || in.HasHeredoc() {
			p.Report(in, rule.Warning, msg, nil)
			continue
		}
		written := string(l[fs[0].lo:fs[0].hi])
		for _, cand := range valueCandidates(val, f.Escape) {
			text := written + " " + key + "=" + cand
			if !sameKeyValue(f.Escape, key, val, text) {
				continue
			}
			if e, ok := f.ReplaceInstruction(in, text); ok {
				p.Report(in, rule.Warning, msg, &rule.Fix{Message: "write " + key + "=" + cand, Safety: rule.Safe, Edits: []dockerfile.Edit{e}})
				goto next
			}
		}
		p.Report(in, rule.Warning, msg+" (not fixed: no quoting reads the same)", nil)
	next:
	}
}

// valueCandidates returns ways to write val as one key=value word, the
// plainest first; sameKeyValue decides which read the same.
func valueCandidates(val string, escape byte) []string {
	var out []string
	if !strings.ContainsAny(val, " \t") {
		out = append(out, val)
	}
	if !strings.ContainsAny(val, `"`) {
		out = append(out, `"`+val+`"`)
	}
	if !strings.ContainsAny(val, "'") {
		out = append(out, "'"+val+"'")
	}
	var b strings.Builder
	for i := 0; i < len(val); i++ {
		if val[i] == ' ' || val[i] == '\t' {
			b.WriteByte(escape)
		}
		b.WriteByte(val[i])
	}
	out = append(out, b.String())
	// A value without variables: written again, quoted, as BuildKit reads it.
	lex := bkshell.NewLex(rune(escape))
	v1, _, err1 := lex.ProcessWord(val, allSet{})
	v2, _, err2 := lex.ProcessWord(val, noneSet{})
	if err1 == nil && err2 == nil && v1 == v2 {
		if q, ok := quoteLiteral(v1, escape); ok {
			out = append(out, q)
		}
	}
	return out
}

// quoteLiteral returns a word BuildKit expands to s itself, whatever the
// variables, for a label value.
func quoteLiteral(s string, escape byte) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(`"$`, s[i]) >= 0 || s[i] == escape {
			b.WriteByte(escape)
		}
		b.WriteByte(s[i])
	}
	for _, c := range []string{"'" + s + "'", `"` + b.String() + `"`} {
		if expandsTo(escape, c, s) {
			return c, true
		}
	}
	return "", false
}

// expandsTo reports whether word, as the value of a LABEL, is one word
// that BuildKit expands to want with every variable set and with none.
func expandsTo(escape byte, word, want string) bool {
	n := parseOne(escape, "LABEL k="+word)
	if n == nil {
		return false
	}
	var args []string
	for a := n.Next; a != nil; a = a.Next {
		args = append(args, a.Value)
	}
	if len(args) != 3 || args[0] != "k" || args[2] != "=" {
		return false
	}
	lex := bkshell.NewLex(rune(escape))
	for _, env := range []bkshell.EnvGetter{allSet{}, noneSet{}} {
		if v, _, err := lex.ProcessWord(args[1], env); err != nil || v != want {
			return false
		}
	}
	return true
}

// sameKeyValue reports whether text, an ENV or LABEL instruction, is one
// key=value pair that BuildKit expands like key and the legacy value val.
func sameKeyValue(escape byte, key, val, text string) bool {
	n := parseOne(escape, text)
	if n == nil {
		return false
	}
	var args []string
	for a := n.Next; a != nil; a = a.Next {
		args = append(args, a.Value)
	}
	if len(args) != 3 || args[2] != "=" {
		return false
	}
	lex := bkshell.NewLex(rune(escape))
	for _, env := range []bkshell.EnvGetter{allSet{}, noneSet{}} {
		k1, _, err1 := lex.ProcessWord(key, env)
		k2, _, err2 := lex.ProcessWord(args[0], env)
		v1, _, err3 := lex.ProcessWord(val, env)
		v2, _, err4 := lex.ProcessWord(args[1], env)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil || k1 != k2 || v1 != v2 {
			return false
		}
	}
	return true
}

// parseOne parses one instruction with BuildKit's parser, under the
// escape character, and returns its node, or nil.
func parseOne(escape byte, text string) *parser.Node {
	src := "FROM scratch\n" + text + "\n"
	if escape == '`' {
		src = "# escape=`\n" + src
	}
	res, err := parser.Parse(bytes.NewReader([]byte(src)))
	if err != nil || len(res.AST.Children) != 2 {
		return nil
	}
	return res.AST.Children[1]
}

// allSet sets every variable, to a value naming it.
type allSet struct{}

func (allSet) Get(k string) (string, bool) { return "<" + k + ">", true }
func (allSet) Keys() []string              { return nil }

type noneSet struct{}

func (noneSet) Get(string) (string, bool) { return "", false }
func (noneSet) Keys() []string            { return nil }
