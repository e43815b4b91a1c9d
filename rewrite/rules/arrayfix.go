package rules

import (
	"slices"
	"strings"
	"unicode"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// arrayInstructionFix builds the edit that writes in (inside its ONBUILD
// when it is a trigger) as the text head returns followed by argv as a
// JSON array, hoisting comment (if any) above it. It returns nil and why
// when that cannot be done; mismatch is the rule's words for a result
// BuildKit would not read as in's keyword and options with argv.
func arrayInstructionFix(f *dockerfile.File, in *dockerfile.Instruction, head func(*dockerfile.Instruction) (string, bool), argv []string, comment, mismatch string) (*rule.Fix, string) {
	j, ok := dockerfile.JSONArray(argv)
	if !ok {
		return nil, "an argument is not valid UTF-8"
	}
	h, ok := head(in)
	if !ok {
		return nil, "its options could not be kept exactly"
	}
	text := h + " " + j
	top := in
	if in.OnBuild {
		top = f.Instructions[in.Index]
		text = top.Node.Value + " " + text
	}
	if !rewritesTo(f, in, text, argv) {
		return nil, mismatch
	}
	var hoist []string
	if comment != "" {
		hoist = append(hoist, comment)
	}
	e, ok := f.ReplaceInstruction(top, text, hoist...)
	if !ok {
		return nil, "it has heredoc bodies"
	}
	return &rule.Fix{Edits: []dockerfile.Edit{e}}, ""
}

// rewriteHead returns what precedes the shell-form argument of in as
// written (the keyword, options and, for HEALTHCHECK, the CMD word), with
// runs of blanks outside quotes collapsed to one space.
func rewriteHead(in *dockerfile.Instruction) (string, bool) {
	args := in.Args()
	if len(args) == 0 {
		return "", false
	}
	arg := args[len(args)-1]
	orig := strings.TrimRightFunc(in.Node.Original, unicode.IsSpace)
	if !strings.HasSuffix(orig, arg) {
		return "", false
	}
	head := strings.TrimRightFunc(orig[:len(orig)-len(arg)], unicode.IsSpace)
	if head == "" {
		return "", false
	}
	var b strings.Builder
	var quote rune
	blank := false
	for _, r := range head {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == ' ' || r == '\t':
			blank = true
			continue
		}
		if blank {
			b.WriteByte(' ')
			blank = false
		}
		b.WriteRune(r)
	}
	return b.String(), true
}

// rewritesTo reports whether BuildKit reads text (an instruction, or an
// ONBUILD with one) as in's keyword with in's options and args in exec form.
func rewritesTo(f *dockerfile.File, in *dockerfile.Instruction, text string, args []string) bool {
	src := text + "\n"
	if f.Escape == '`' {
		src = "# escape=`\n\n" + src
	}
	res, err := parser.Parse(strings.NewReader(src))
	if err != nil || len(res.AST.Children) != 1 {
		return false
	}
	n := res.AST.Children[0]
	if in.OnBuild {
		if !strings.EqualFold(n.Value, "onbuild") || n.Next == nil || len(n.Next.Children) != 1 {
			return false
		}
		n = n.Next.Children[0]
	}
	want := args
	if in.Keyword == "healthcheck" {
		want = append([]string{in.Args()[0]}, args...)
	}
	var got []string
	for a := n.Next; a != nil; a = a.Next {
		got = append(got, a.Value)
	}
	return strings.EqualFold(n.Value, in.Keyword) && n.Attributes["json"] &&
		slices.Equal(n.Flags, in.Node.Flags) && slices.Equal(got, want)
}
