package lsp

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
	"github.com/cmdfix/cmdfix/docs"
	"github.com/cmdfix/cmdfix/rewrite"
)

const uri = "file:///work/app/Dockerfile"

// sample has a finding of each rule with a fix at each safety level.
const sample = `FROM python:3.12-slim AS web
WORKDIR /app
CMD python app.py
CMD python manage.py runserver 0.0.0.0:8000
healthcheck --interval=30s cmd ['python', '-c', 'print(1)']

FROM python:3.12-slim AS api
CMD gunicorn --bind 0.0.0.0:$PORT app:app
`

func actionTitles(as []protocol.CodeAction) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Kind+": "+a.Title)
	}
	return out
}

func findAction(t *testing.T, as []protocol.CodeAction, kind, title string) protocol.CodeAction {
	t.Helper()
	for _, a := range as {
		if a.Kind == kind && strings.Contains(a.Title, title) {
			return a
		}
	}
	t.Fatalf("no %s action titled %q among %q", kind, title, actionTitles(as))
	return protocol.CodeAction{}
}

func codeActions(t *testing.T, c *client, line int, only ...string) []protocol.CodeAction {
	t.Helper()
	var as []protocol.CodeAction
	p := protocol.CodeActionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Range: protocol.Range{Start: protocol.Position{Line: line}, End: protocol.Position{Line: line}}}
	p.Context.Only = only
	if err := c.call("textDocument/codeAction", p, &as); err != nil {
		t.Fatalf("codeAction: %v", err)
	}
	return as
}

func TestSession(t *testing.T) {
	c := newClient(t, &Server{})
	caps := c.initialize().Capabilities
	if !caps.DocumentFormattingProvider || !caps.HoverProvider || caps.TextDocumentSync.Change != protocol.SyncIncremental {
		t.Errorf("capabilities: %+v", caps)
	}
	c.open(uri, sample)
	ds := c.diagnostics(uri, 1)
	if got, want := codes(ds), "3 redundant-instruction, 4 exec-form, 4 split-entrypoint, 5 json-array, 5 keyword-case, 8 exec-form"; got != want {
		t.Fatalf("diagnostics: %s, want %s", got, want)
	}
	red := ds[0]
	if len(red.Tags) != 1 || red.Tags[0] != protocol.TagUnnecessary || red.Severity != protocol.SeverityWarning {
		t.Errorf("redundant-instruction: tags %v severity %d", red.Tags, red.Severity)
	}
	if red.CodeDescription == nil || red.CodeDescription.Href != ruleURL("redundant-instruction") {
		t.Errorf("codeDescription: %+v", red.CodeDescription)
	}
	if len(red.RelatedInformation) != 1 || red.RelatedInformation[0].Location.Range.Start.Line != 3 {
		t.Errorf("redundant-instruction names the CMD at line 4: related %+v (message %q)", red.RelatedInformation, red.Message)
	}
	if r := ds[1].Range; r != (protocol.Range{Start: protocol.Position{Line: 3}, End: protocol.Position{Line: 3, Character: 43}}) {
		t.Errorf("exec-form range: %+v", r)
	}

	// The exec-form quick fix: preferred, one edit of line 4 only.
	as := codeActions(t, c, 3)
	fix := findAction(t, as, protocol.KindQuickFix, `write CMD ["python"`)
	if !fix.IsPreferred {
		t.Errorf("a safe fix is preferred: %+v", fix)
	}
	edits := fix.Edit.Changes[uri]
	if len(edits) != 1 || edits[0].Range.Start.Line != 3 || edits[0].Range.End.Line != 4 {
		t.Fatalf("edits of the exec-form fix: %+v", edits)
	}
	fixed := applyTextEdits(sample, edits)
	want := strings.Replace(sample, "CMD python manage.py runserver 0.0.0.0:8000", `CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]`, 1)
	if fixed != want {
		t.Fatalf("after the exec-form fix:\n%s\nwant:\n%s", fixed, want)
	}
	findAction(t, as, protocol.KindQuickFix, "Ignore exec-form here")
	findAction(t, as, protocol.KindQuickFix, "Ignore split-entrypoint here")
	for _, a := range as {
		if a.Kind == protocol.KindRefactorRewrite {
			t.Errorf("the split applies only after the exec-form fix, yet it is offered: %+v", a)
		}
	}

	// The unsafe fix of the $PORT CMD says what it does.
	unsafe := findAction(t, codeActions(t, c, 7), protocol.KindQuickFix, "Unsafe: ")
	if unsafe.IsPreferred {
		t.Errorf("an unsafe fix is not preferred")
	}

	// Apply the exec-form fix as the editor does: the change comes back.
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{URI: uri, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Range: &edits[0].Range, Text: edits[0].NewText}},
	})
	if got := codes(c.diagnostics(uri, 2)); got != "3 redundant-instruction, 4 split-entrypoint, 5 json-array, 5 keyword-case, 8 exec-form" {
		t.Errorf("after the fix: %s", got)
	}
	// Now the split is offered, as a refactoring, and alone under its kind.
	split := codeActions(t, c, 3, protocol.KindRefactorRewrite)
	if len(split) != 1 || !strings.Contains(split[0].Title, "ENTRYPOINT") || split[0].IsPreferred {
		t.Errorf("only refactor.rewrite: %q", actionTitles(split))
	} else if got, want := applyTextEdits(fixed, split[0].Edit.Changes[uri]), strings.Replace(fixed, `CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]`, "ENTRYPOINT [\"python\", \"manage.py\"]\nCMD [\"runserver\", \"0.0.0.0:8000\"]", 1); got != want {
		t.Errorf("split:\n%s\nwant:\n%s", got, want)
	}

	// Formatting gives what the command prints.
	var fmtEdits []protocol.TextEdit
	if err := c.call("textDocument/formatting", protocol.DocumentFormattingParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, &fmtEdits); err != nil {
		t.Fatal(err)
	}
	res, err := rewrite.Process("/work/app/Dockerfile", []byte(fixed), rewrite.Options{Indent: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got := applyTextEdits(fixed, fmtEdits); got != string(res.Output) {
		t.Errorf("formatted:\n%s\nwant:\n%s", got, res.Output)
	}
	for _, e := range fmtEdits {
		if e.Range.Start.Line == 0 || e.Range.Start.Line == 1 {
			t.Errorf("formatting touched an unchanged line: %+v", e)
		}
	}

	// Fix all: the command's fixes without formatting.
	all := findAction(t, codeActions(t, c, 0, protocol.KindSourceFixAll), protocol.KindFixAllCmdfix, "Fix all safe problems")
	res, err = rewrite.Process("/work/app/Dockerfile", []byte(fixed), rewrite.Options{Indent: 4, NoFormat: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := applyTextEdits(fixed, all.Edit.Changes[uri]); got != string(res.Output) {
		t.Errorf("fix all:\n%s\nwant:\n%s", got, res.Output)
	}

	// Hover on the redundant CMD explains the rule.
	var h protocol.Hover
	if err := c.call("textDocument/hover", protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: 2, Character: 5}}, &h); err != nil {
		t.Fatal(err)
	}
	page, _ := docs.Rule("redundant-instruction")
	if !strings.Contains(h.Contents.Value, docs.Summary(page)) || !strings.Contains(h.Contents.Value, "Fix (safe): remove the overridden CMD") || h.Contents.Kind != "markdown" {
		t.Errorf("hover: %q", h.Contents.Value)
	}

	if err := c.call("shutdown", nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.call("textDocument/hover", protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, nil); err == nil || err.Code != codeInvalidRequest {
		t.Errorf("a request after shutdown: %v", err)
	}
	c.notify("exit", nil)
	if err := c.end(); err != nil {
		t.Errorf("Serve after shutdown and exit: %v", err)
	}
}

// TestIgnoreAction applies "Ignore RULE here" and checks that the finding
// is gone and the pragma is the documented one.
func TestIgnoreAction(t *testing.T) {
	c := newClient(t, &Server{})
	c.initialize()
	text := "FROM alpine\n  CMD echo hi\n"
	c.open(uri, text)
	c.diagnostics(uri, 1)
	ign := findAction(t, codeActions(t, c, 1), protocol.KindQuickFix, "Ignore exec-form here")
	got := applyTextEdits(text, ign.Edit.Changes[uri])
	if want := "FROM alpine\n  # cmdfix ignore=exec-form\n  CMD echo hi\n"; got != want {
		t.Fatalf("ignored:\n%q\nwant\n%q", got, want)
	}
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{URI: uri, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: got}},
	})
	if ds := c.diagnostics(uri, 2); len(ds) != 0 {
		t.Errorf("after the pragma: %s", codes(ds))
	}
	// Saving publishes again (the settings file may have changed), with
	// the text the client sends if it sends one.
	c.notify("textDocument/didSave", protocol.DidSaveTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Text: &text})
	if got := codes(c.diagnostics(uri, 2)); got != "2 exec-form" {
		t.Errorf("after a save with the old text: %s", got)
	}
	// Closing clears the document's diagnostics and forgets it.
	c.notify("textDocument/didClose", protocol.DidCloseTextDocumentParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}})
	for m := range c.notes {
		var p protocol.PublishDiagnosticsParams
		if m.Method != "textDocument/publishDiagnostics" || json.Unmarshal(m.Params, &p) != nil || p.URI != uri {
			continue
		}
		if len(p.Diagnostics) != 0 || p.Version != nil {
			t.Errorf("on close: %+v", p)
		}
		break
	}
	if err := c.call("textDocument/hover", protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, nil); err == nil || err.Code != codeInvalidParams {
		t.Errorf("hover on a closed document: %v", err)
	}
}

// TestSettings: the client's settings disable rules and unsafe offers.
func TestSettings(t *testing.T) {
	c := newClient(t, &Server{})
	c.initialize()
	c.open(uri, sample)
	c.diagnostics(uri, 1)
	c.notify("workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"cmdfix": map[string]any{"disable": []string{"redundant-instruction"}, "unsafeFixes": false, "splitFixes": false}}})
	if got := codes(c.diagnostics(uri, 1)); got != "3 exec-form, 4 exec-form, 4 split-entrypoint, 5 json-array, 5 keyword-case, 8 exec-form" {
		t.Errorf("with redundant-instruction disabled: %s", got)
	}
	for _, line := range []int{3, 7} {
		for _, a := range codeActions(t, c, line) {
			if strings.HasPrefix(a.Title, "Unsafe") || a.Kind == protocol.KindRefactorRewrite {
				t.Errorf("offered with unsafeFixes and splitFixes off: %s", a.Title)
			}
		}
	}
}

// TestSettingsFile: the Options function (the command's .cmdfix.toml)
// decides what formatting applies, and a bad settings file is shown.
func TestSettingsFile(t *testing.T) {
	bad := errors.New(".cmdfix.toml:1: unknown key")
	c := newClient(t, &Server{Options: func(path string) (rewrite.Options, error) {
		if path == "/work/bad/Dockerfile" {
			return rewrite.Options{}, bad
		}
		return rewrite.Options{Indent: 4, Disable: []string{"exec-form"}}, nil
	}})
	c.initialize()
	c.open(uri, sample)
	if got := codes(c.diagnostics(uri, 1)); strings.Contains(got, "exec-form") {
		t.Errorf("exec-form disabled by the settings file: %s", got)
	}
	c.open("file:///work/bad/Dockerfile", sample)
	ds := c.diagnostics("file:///work/bad/Dockerfile", 1)
	if len(ds) != 1 || ds[0].Message != bad.Error() || ds[0].Severity != protocol.SeverityError {
		t.Errorf("bad settings: %+v", ds)
	}
}

// TestParseError: a buffer BuildKit cannot parse gives one diagnostic at
// the error, and the server goes on.
func TestParseError(t *testing.T) {
	c := newClient(t, &Server{})
	c.initialize()
	c.open(uri, "FROM alpine\nRUN <<EOF\necho\n")
	ds := c.diagnostics(uri, 1)
	if len(ds) != 1 || ds[0].Range.Start.Line != 1 || ds[0].Severity != protocol.SeverityError || ds[0].Message != "unterminated heredoc" {
		t.Fatalf("parse error: %+v", ds)
	}
	if as := codeActions(t, c, 1); len(as) != 0 {
		t.Errorf("actions on an unparsable buffer: %q", actionTitles(as))
	}
	if err := c.call("textDocument/formatting", protocol.DocumentFormattingParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, nil); err == nil || !strings.Contains(err.Message, "unterminated heredoc") {
		t.Errorf("formatting an unparsable buffer: %v", err)
	}
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{URI: uri, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Range: &protocol.Range{Start: protocol.Position{Line: 3}, End: protocol.Position{Line: 3}}, Text: "EOF\n"}},
	})
	if ds := c.diagnostics(uri, 2); len(ds) != 0 {
		t.Errorf("after closing the heredoc: %+v", ds)
	}
}

// TestMalformed sends what a broken client might, and checks each answer
// and that the server goes on.
func TestMalformed(t *testing.T) {
	c := newClient(t, &Server{})
	errCode := func(body string) int {
		t.Helper()
		ch := c.expect("null")
		c.write([]byte(body))
		m := wait(t, ch)
		if m.Error == nil {
			t.Fatalf("%s: no error: %+v", body, m)
		}
		return m.Error.Code
	}
	if code := errCode(`{"jsonrpc": "2.0", "id": 1, "method": `); code != codeParseError {
		t.Errorf("truncated JSON: code %d", code)
	}
	if code := errCode(`42`); code != codeInvalidRequest {
		t.Errorf("a number: code %d", code)
	}
	if code := errCode(`{"jsonrpc": "2.0", "id": 1, "method": 7}`); code != codeInvalidRequest {
		t.Errorf("a method that is no string: code %d", code)
	}
	if code := errCode(`{"jsonrpc": "2.0"}`); code != codeInvalidRequest {
		t.Errorf("no method, result or error: code %d", code)
	}
	if code := errCode(`[{"jsonrpc": "2.0", "id": 1, "method": "initialize"}]`); code != codeInvalidRequest {
		t.Errorf("a batch: code %d", code)
	}
	if code := errCode(`{"jsonrpc": "2.0", "id": {"a": 1}, "method": "initialize"}`); code != codeInvalidRequest {
		t.Errorf("an object id: code %d", code)
	}
	// A string id is answered with that id.
	ch := c.expect(`"abc"`)
	c.write([]byte(`{"jsonrpc": "1.0", "id": "abc", "method": "initialize", "params": {}}`))
	if m := wait(t, ch); m.Error == nil || m.Error.Code != codeInvalidRequest {
		t.Errorf("jsonrpc 1.0: %+v", m)
	}
	ch = c.expect("null")
	if _, err := c.in.Write([]byte("Content-Type: text/plain\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	if m := wait(t, ch); m.Error == nil || m.Error.Code != codeParseError {
		t.Errorf("a header without Content-Length: %+v", m)
	}
	if err := c.call("textDocument/hover", map[string]any{}, nil); err == nil || err.Code != codeServerNotInitialized {
		t.Errorf("before initialize: %v", err)
	}
	c.initialize()
	if err := c.call("initialize", map[string]any{}, nil); err == nil || err.Code != codeInvalidRequest {
		t.Errorf("initialize twice: %v", err)
	}
	if err := c.call("textDocument/semanticTokens/full", map[string]any{}, nil); err == nil || err.Code != codeMethodNotFound || err.Message != "method not supported: textDocument/semanticTokens/full" {
		t.Errorf("unknown method: %v", err)
	}
	if err := c.call("textDocument/codeAction", []int{1}, nil); err == nil || err.Code != codeInvalidParams {
		t.Errorf("bad params: %v", err)
	}
	if err := c.call("textDocument/formatting", nil, nil); err == nil || err.Code != codeInvalidParams {
		t.Errorf("no params: %v", err)
	}
	if err := c.call("textDocument/formatting", protocol.DocumentFormattingParams{TextDocument: protocol.TextDocumentIdentifier{URI: "file:///nowhere"}}, nil); err == nil || err.Code != codeInvalidParams {
		t.Errorf("a document not open: %v", err)
	}
	c.notify("textDocument/didChange", map[string]any{"textDocument": 5})
	c.notify("$/unknownNotification", nil)
	c.open(uri, "FROM alpine\nCMD echo hi\n")
	if got := codes(c.diagnostics(uri, 1)); got != "2 exec-form" {
		t.Errorf("after the malformed messages: %s", got)
	}
	// exit without shutdown ends the session with ErrNoShutdown.
	c.notify("exit", nil)
	if err := c.end(); !errors.Is(err, ErrNoShutdown) {
		t.Errorf("exit without shutdown: %v", err)
	}
}

// TestEOF: a vanished client ends the server.
func TestEOF(t *testing.T) {
	c := newClient(t, &Server{})
	c.initialize()
	if err := c.end(); !errors.Is(err, ErrNoShutdown) {
		t.Errorf("end of input: %v", err)
	}
}

func TestDiffEdits(t *testing.T) {
	for _, tc := range [][2]string{
		{"a\nb\nc\n", "a\nB\nc\n"},
		{"a\nb", "a\nb\n"},
		{"a\nb\n", "a\nb"},
		{"", "x\n"},
		{"x\n", ""},
		{"a\nb\nc\nd\ne\n", "A\nb\nc\nd\nE\nf"},
		{"é😀\nb", "é😀\nc"},
	} {
		edits := diffEdits(tc[0], tc[1])
		if got := applyTextEdits(tc[0], edits); got != tc[1] {
			t.Errorf("%q → %q: edits %+v give %q", tc[0], tc[1], edits, got)
		}
	}
	if n := len(diffEdits("a\nb\nc\nd\ne\n", "A\nb\nc\nd\nE\n")); n != 2 {
		t.Errorf("two changed lines far apart: %d edits", n)
	}
	if !slices.Equal(lines("a\r\nb"), []string{"a\r\n", "b"}) {
		t.Error("lines")
	}
}

// TestCRLF: a CRLF document gets CRLF fixes and ranges that end before
// the line ending.
func TestCRLF(t *testing.T) {
	c := newClient(t, &Server{})
	c.initialize()
	text := "FROM alpine\r\nCMD echo hi\r\nRUN true\r\n"
	c.open(uri, text)
	ds := c.diagnostics(uri, 1)
	if len(ds) != 1 || ds[0].Range != (protocol.Range{Start: protocol.Position{Line: 1}, End: protocol.Position{Line: 1, Character: 11}}) {
		t.Fatalf("diagnostics: %+v", ds)
	}
	fix := findAction(t, codeActions(t, c, 1), protocol.KindQuickFix, "write CMD")
	if got, want := applyTextEdits(text, fix.Edit.Changes[uri]), "FROM alpine\r\nCMD [\"echo\", \"hi\"]\r\nRUN true\r\n"; got != want {
		t.Errorf("fixed: %q, want %q", got, want)
	}
	ign := findAction(t, codeActions(t, c, 1), protocol.KindQuickFix, "Ignore")
	if got, want := applyTextEdits(text, ign.Edit.Changes[uri]), "FROM alpine\r\n# cmdfix ignore=exec-form\r\nCMD echo hi\r\nRUN true\r\n"; got != want {
		t.Errorf("ignored: %q, want %q", got, want)
	}
}

// TestPanic: a bug (here a panicking Options) costs the request an
// InternalError, and the session goes on.
func TestPanic(t *testing.T) {
	c := newClient(t, &Server{Options: func(path string) (rewrite.Options, error) {
		if strings.HasSuffix(path, "boom/Dockerfile") {
			panic("boom")
		}
		return rewrite.Options{Indent: 4}, nil
	}})
	c.initialize()
	c.open("file:///boom/Dockerfile", "FROM alpine\n")
	err := c.call("textDocument/formatting", protocol.DocumentFormattingParams{TextDocument: protocol.TextDocumentIdentifier{URI: "file:///boom/Dockerfile"}}, nil)
	if err == nil || err.Code != codeInternalError || !strings.Contains(err.Message, "boom") {
		t.Errorf("a panic in a request: %v", err)
	}
	c.open(uri, "FROM alpine\nCMD echo hi\n")
	if got := codes(c.diagnostics(uri, 1)); got != "2 exec-form" {
		t.Errorf("after the panics: %s", got)
	}
}

// TestNoFinalNewline: a fix of the last line of a text without a final
// newline ends at the end of that line, and keeps it without one.
func TestNoFinalNewline(t *testing.T) {
	c := newClient(t, &Server{})
	c.initialize()
	text := "FROM alpine\nCMD echo hi"
	c.open(uri, text)
	ds := c.diagnostics(uri, 1)
	if len(ds) != 1 || ds[0].Range.End != (protocol.Position{Line: 1, Character: 11}) {
		t.Fatalf("diagnostics: %+v", ds)
	}
	fix := findAction(t, codeActions(t, c, 1), protocol.KindQuickFix, "write CMD")
	if got, want := applyTextEdits(text, fix.Edit.Changes[uri]), `FROM alpine`+"\n"+`CMD ["echo", "hi"]`; got != want {
		t.Errorf("fixed: %q, want %q", got, want)
	}
	var edits []protocol.TextEdit
	if err := c.call("textDocument/formatting", protocol.DocumentFormattingParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}}, &edits); err != nil {
		t.Fatal(err)
	}
	res, err := rewrite.Process("/work/app/Dockerfile", []byte(text), rewrite.Options{Indent: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got := applyTextEdits(text, edits); got != string(res.Output) {
		t.Errorf("formatted: %q, want %q", got, res.Output)
	}
}
