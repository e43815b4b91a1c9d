package lsp

import (
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
)

// runSample has a stage whose CMD a child stage's ENTRYPOINT resets, and
// a shell-form ENTRYPOINT.
const runSample = `FROM python:3.12-slim AS base
CMD ["python3", "app.py"]

FROM base AS worker
RUN pip install celery
ENTRYPOINT ["celery", \
    "-A", "tasks", "worker"]
`

func hoverAt(t *testing.T, c *client, line int) string {
	t.Helper()
	var h *protocol.Hover
	if err := c.call("textDocument/hover", protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: uri}, Position: protocol.Position{Line: line}}, &h); err != nil {
		t.Fatalf("hover at line %d: %v", line+1, err)
	}
	if h == nil {
		return ""
	}
	if h.Contents.Kind != "markdown" {
		t.Errorf("hover at line %d is %s, not markdown", line+1, h.Contents.Kind)
	}
	return h.Contents.Value
}

// TestHoverRun hovers over FROM, CMD and ENTRYPOINT lines, as an editor
// does, and gets what docker run executes for the stage: the answer
// cmdfix --show-run prints, in Markdown, for the buffer as edited.
func TestHoverRun(t *testing.T) {
	c := newClient(t, &Server{})
	c.initialize()
	c.open(uri, runSample)
	c.diagnostics(uri, 1)

	wantBase := "**docker run IMAGE** (stage base (FROM python:3.12-slim)) executes\n\n" +
		"```\n[\"python3\", \"app.py\"]\n```\n\n" +
		"**docker run IMAGE ARGS** executes `[ARGS...]`: ARGS replace the CMD: they are the command.\n\n" +
		"- ENTRYPOINT `none`: base image python:3.12-slim (cmdfix's image table)\n" +
		"- CMD `[\"python3\", \"app.py\"]`: this stage, line 2"
	for _, line := range []int{0, 1} {
		if got := hoverAt(t, c, line); got != wantBase {
			t.Errorf("hover on line %d:\n%s\nwant:\n%s", line+1, got, wantBase)
		}
	}
	// Every line of the ENTRYPOINT, and the stage's FROM, answer for the
	// worker stage, whose ENTRYPOINT reset the CMD of base.
	for _, line := range []int{3, 5, 6} {
		got := hoverAt(t, c, line)
		for _, want := range []string{
			"(stage worker (FROM base))",
			"[\"celery\", \"-A\", \"tasks\", \"worker\"]",
			"- CMD `none`: reset by the ENTRYPOINT (this stage, line 6)",
		} {
			if !strings.Contains(got, want) {
				t.Errorf("hover on line %d lacks %q:\n%s", line+1, want, got)
			}
		}
	}
	// Other lines have nothing to say (no finding there either).
	for _, line := range []int{2, 4} {
		if got := hoverAt(t, c, line); got != "" {
			t.Errorf("hover on line %d: %q, want none", line+1, got)
		}
	}

	// The answer follows the buffer: a shell-form ENTRYPOINT ignores ARGS.
	edited := strings.Replace(runSample, "ENTRYPOINT [\"celery\", \\\n    \"-A\", \"tasks\", \"worker\"]", "ENTRYPOINT celery -A tasks worker", 1)
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{URI: uri, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: edited}},
	})
	c.diagnostics(uri, 2)
	got := hoverAt(t, c, 5)
	for _, want := range []string{
		"[\"/bin/sh\", \"-c\", \"celery -A tasks worker\"]",
		"a shell-form ENTRYPOINT ignores ARGS: they become $0, $1, ... of the shell",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("hover on the shell-form ENTRYPOINT lacks %q:\n%s", want, got)
		}
	}
	// With a finding on the line too, both are shown.
	if !strings.Contains(got, "**cmdfix: exec-form**") || !strings.Contains(got, "\n\n---\n\n**docker run IMAGE**") {
		t.Errorf("hover on a line with a finding:\n%s", got)
	}

	// A buffer BuildKit cannot parse has no answer, and no crash.
	c.notify("textDocument/didChange", protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{URI: uri, Version: 3},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{{Text: "FROM alpine\nCMD [\"a\", 1]\n"}},
	})
	c.diagnostics(uri, 3)
	if got := hoverAt(t, c, 1); strings.Contains(got, "docker run") {
		t.Errorf("hover on an unparsable buffer: %q", got)
	}
}
