package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/lsp"
	"github.com/cmdfix/cmdfix/rewrite"
)

// runLSP is `cmdfix lsp`: a language server on standard input and output.
// It takes no flags; --stdio is accepted, as editors' defaults pass it.
func runLSP(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a != "--stdio" {
			fmt.Fprintf(stderr, "cmdfix lsp: unknown argument %q (usage: cmdfix lsp [--stdio])\n", a)
			return exitError
		}
	}
	cfg := &config{configs: &configs{}, opts: rewrite.Options{Indent: 4}, set: map[string]bool{}}
	s := &lsp.Server{
		Options: func(path string) (rewrite.Options, error) {
			j := &job{path: path, stdin: path == ""}
			if path == "" {
				// A buffer with no file: the settings of the folder the
				// server runs in, as for standard input.
				j.path = "-"
			}
			js, err := cfg.settingsFor(j)
			if err == nil {
				// the build context, as for the command (base images are
				// not resolved: an editor's call stays offline)
				cfg.withOutside(j, &js)
			}
			return js.opts, err
		},
		Version: versionString(),
		Log:     stderr,
	}
	err := s.Serve(stdin, stdout)
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, lsp.ErrNoShutdown):
		return 1
	}
	fmt.Fprintf(stderr, "cmdfix lsp: %v\n", err)
	return exitError
}
