package lsp

import (
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// codeActions answers textDocument/codeAction for the findings on the
// requested lines, and the fix-all action for the whole document.
func (s *Server) codeActions(p protocol.CodeActionParams) ([]protocol.CodeAction, error) {
	a, d, c, ok := s.analyze(p.TextDocument.URI)
	if !ok {
		return nil, errorf(codeInvalidParams, "%s is not open", p.TextDocument.URI)
	}
	actions := []protocol.CodeAction{}
	if a.err != nil {
		return actions, nil // nothing to fix in a text cmdfix cannot read
	}
	ls := lines(a.text)
	for i := range a.res.Findings {
		f := &a.res.Findings[i]
		if f.EndLine-1 < p.Range.Start.Line || f.Line-1 > p.Range.End.Line {
			continue
		}
		diag := diagnostic(d.uri, ls, f)
		if fx := f.Fix; fx != nil && len(f.Edits) > 0 && wanted(p.Context.Only, fixKind(fx)) && offered(fx, c) {
			if a.fixVerified(d.name(), i) {
				actions = append(actions, protocol.CodeAction{
					Title:       fixTitle(fx),
					Kind:        fixKind(fx),
					Diagnostics: []protocol.Diagnostic{diag},
					IsPreferred: fx.Safety == rule.Safe,
					Edit:        edit(d.uri, lineEdits(a.text, f.Edits)),
				})
			}
		}
		if wanted(p.Context.Only, protocol.KindQuickFix) {
			if e, ok := a.ignore(d.name(), i); ok {
				actions = append(actions, protocol.CodeAction{
					Title:       fmt.Sprintf("Ignore %s here", f.Rule),
					Kind:        protocol.KindQuickFix,
					Diagnostics: []protocol.Diagnostic{diag},
					Edit:        edit(d.uri, lineEdits(a.text, []dockerfile.Edit{e})),
				})
			}
		}
	}
	if wanted(p.Context.Only, protocol.KindFixAllCmdfix) {
		a.mu.Lock()
		if a.fixAll == nil {
			act, ok := s.fixAll(&d, c, a.text)
			a.fixAll, a.fixAllOK = &act, ok
		}
		act, ok := *a.fixAll, a.fixAllOK
		a.mu.Unlock()
		if ok {
			actions = append(actions, act)
		}
	}
	return actions, nil
}

// fixVerified is verifyFix for finding i, remembered.
func (a *analysis) fixVerified(name string, i int) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	ok, done := a.verified[i]
	if !done {
		if a.verified == nil {
			a.verified = map[int]bool{}
		}
		ok = verifyFix(name, a.text, a.opts, &a.res.Findings[i])
		a.verified[i] = ok
	}
	return ok
}

// ignore is ignoreEdit for finding i, remembered.
func (a *analysis) ignore(name string, i int) (dockerfile.Edit, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	e, done := a.ignores[i]
	if !done {
		if a.ignores == nil {
			a.ignores = map[int]*dockerfile.Edit{}
		}
		if edit, ok := ignoreEdit(name, a.text, a.opts, &a.res.Findings[i]); ok {
			e = &edit
		}
		a.ignores[i] = e
	}
	if e == nil {
		return dockerfile.Edit{}, false
	}
	return *e, true
}

// wanted reports whether a kind passes the request's "only" filter: equal
// to one of its kinds or below it (quickfix is below "", refactor.rewrite
// below refactor).
func wanted(only []string, kind string) bool {
	if len(only) == 0 {
		return true
	}
	for _, o := range only {
		if kind == o || strings.HasPrefix(kind, o+".") {
			return true
		}
	}
	return false
}

func fixKind(fx *rule.Fix) string {
	if fx.Safety == rule.Suggested {
		return protocol.KindRefactorRewrite
	}
	return protocol.KindQuickFix
}

// offered reports whether the client's settings let a fix of this safety
// be offered.
func offered(fx *rule.Fix, c settings) bool {
	switch fx.Safety {
	case rule.Safe:
		return true
	case rule.Unsafe:
		return c.unsafe()
	case rule.Suggested:
		return c.split()
	}
	return false
}

// fixTitle is the fix's message; an unsafe fix's message says what
// changes, and the title says that it does.
func fixTitle(fx *rule.Fix) string {
	if fx.Safety == rule.Unsafe {
		return "Unsafe: " + fx.Message
	}
	return fx.Message
}

func edit(uri string, edits []protocol.TextEdit) *protocol.WorkspaceEdit {
	return &protocol.WorkspaceEdit{Changes: map[string][]protocol.TextEdit{uri: edits}}
}

// verifyFix reports whether applying finding f's own edits to text passes
// the safety net exactly as the command's run would. Process is run with
// f's rule alone, at the level its fix needs (unsafe or split), without
// formatting: it must apply f's fix (Fixed) and accept the outcome. That
// outcome must be the text with f's edits alone applied or, when the rule
// fixed other instructions too, what Process makes of that text with the
// same options, so that the one edit is a step the verified run takes.
func verifyFix(name, text string, base rewrite.Options, f *rule.Finding) bool {
	opts := base
	opts.NoFormat = true
	opts.Disable = nil
	for _, r := range rules.All {
		if r.Name != f.Rule {
			opts.Disable = append(opts.Disable, r.Name)
		}
	}
	switch f.Fix.Safety {
	case rule.Unsafe:
		opts.Unsafe = true
	case rule.Suggested:
		opts.Split = true
	}
	res, err := rewrite.Process(name, []byte(text), opts)
	if err != nil || !fixedIn(res, f) {
		return false
	}
	applied := applyLineEdits(text, f.Edits)
	if applied == string(res.Output) {
		return true
	}
	again, err := rewrite.Process(name, []byte(applied), opts)
	return err == nil && string(again.Output) == string(res.Output)
}

// fixedIn reports whether res applied the fix of the finding like f.
func fixedIn(res *rewrite.Result, f *rule.Finding) bool {
	for _, g := range res.Findings {
		if g.Rule == f.Rule && g.Line == f.Line && g.EndLine == f.EndLine && g.Fixed {
			return true
		}
	}
	return false
}

// ignoreEdit inserts "# cmdfix ignore=RULE" above f's instruction, indented
// as the instruction is, and reports whether the pragma really silences f
// (Process on the result no longer reports it).
func ignoreEdit(name, text string, opts rewrite.Options, f *rule.Finding) (dockerfile.Edit, bool) {
	ls := lines(text)
	if f.Line < 1 || f.Line > len(ls) {
		return dockerfile.Edit{}, false
	}
	line := ls[f.Line-1]
	indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
	eol := "\n"
	if strings.HasSuffix(line, "\r\n") {
		eol = "\r\n"
	}
	e := dockerfile.Edit{Start: f.Line, End: f.Line - 1, Text: indent + "# cmdfix ignore=" + f.Rule + eol}
	res, err := rewrite.Process(name, []byte(applyLineEdits(text, []dockerfile.Edit{e})), opts)
	if err != nil {
		return e, false
	}
	for _, g := range res.Findings {
		if g.Rule == f.Rule && g.Line == f.Line+1 {
			return e, false
		}
	}
	return e, true
}

// fixAll is source.fixAll.cmdfix: the fixes the command applies with the
// document's settings, without formatting, as edits of the changed lines.
func (s *Server) fixAll(d *document, c settings, text string) (protocol.CodeAction, bool) {
	opts, err := s.options(d, c)
	if err != nil {
		return protocol.CodeAction{}, false
	}
	opts.NoFormat = true
	res, err := rewrite.Process(d.name(), []byte(text), opts)
	if err != nil || !res.Changed {
		return protocol.CodeAction{}, false
	}
	title := "Fix all safe problems (cmdfix)"
	if opts.Unsafe || opts.Split {
		title = "Fix all problems cmdfix is set to fix"
	}
	return protocol.CodeAction{Title: title, Kind: protocol.KindFixAllCmdfix, Edit: edit(d.uri, diffEdits(text, string(res.Output)))}, true
}
