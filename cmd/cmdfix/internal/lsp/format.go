package lsp

import (
	"github.com/cmdfix/cmdfix/rewrite"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp/protocol"
)

// format answers textDocument/formatting: Process with the command's
// options, as `cmdfix --stdin-filename PATH` prints it, sent as edits of
// the changed lines. A text cmdfix cannot process is an error, so the
// editor says why nothing changed.
func (s *Server) format(p protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	d, c, ok := s.snapshot(p.TextDocument.URI)
	if !ok {
		return nil, errorf(codeInvalidParams, "%s is not open", p.TextDocument.URI)
	}
	opts, err := s.options(&d, c)
	if err != nil {
		return nil, err
	}
	res, err := rewrite.Process(d.name(), []byte(d.text), opts)
	if err != nil {
		return nil, errorf(codeRequestFailed, "%s", err.Error())
	}
	return diffEdits(d.text, string(res.Output)), nil
}
