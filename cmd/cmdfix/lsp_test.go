package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// frame frames JSON-RPC bodies as a client sends them.
func frame(bodies ...string) string {
	var b strings.Builder
	for _, body := range bodies {
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	}
	return b.String()
}

// TestLSPCommand runs `cmdfix lsp` through run, as main does: its exit
// status after shutdown and exit, after a vanished client, and on a bad
// argument; and the settings file of the document's folder.
func TestLSPCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".cmdfix.toml"), []byte("[rules]\ndisable = [\"exec-form\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	uri := "file://" + filepath.ToSlash(filepath.Join(dir, "Dockerfile"))
	initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
	open := `{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"` + uri + `","languageId":"dockerfile","version":1,"text":"FROM alpine\nCMD echo a\nCMD echo b\n"}}}`
	shutdown := `{"jsonrpc":"2.0","id":2,"method":"shutdown"}`
	exit := `{"jsonrpc":"2.0","method":"exit"}`

	var stdout, stderr bytes.Buffer
	if code := run([]string{"lsp", "--stdio"}, strings.NewReader(frame(initialize, open, shutdown, exit)), &stdout, &stderr); code != 0 {
		t.Errorf("after shutdown and exit: exit status %d, stderr %q", code, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, `"code":"redundant-instruction"`) || strings.Contains(out, `"code":"exec-form"`) {
		t.Errorf("diagnostics under a .cmdfix.toml disabling exec-form:\n%s", out)
	}
	if !strings.Contains(out, `"id":2,"result":null`) {
		t.Errorf("no answer to shutdown:\n%s", out)
	}

	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"lsp"}, strings.NewReader(frame(initialize)), &stdout, &stderr); code != 1 {
		t.Errorf("a client gone without shutdown: exit status %d, want 1", code)
	}

	stdout.Reset()
	stderr.Reset()
	if code := run([]string{"lsp", "--tcp"}, strings.NewReader(""), &stdout, &stderr); code != exitError || stderr.String() != "cmdfix lsp: unknown argument \"--tcp\" (usage: cmdfix lsp [--stdio])\n" {
		t.Errorf("a bad argument: exit status %d, stderr %q", code, stderr.String())
	}
}

// TestLSPRecipesInREADME checks that the eglot and ALE lines README.md
// shows are those the editor tests run.
func TestLSPRecipesInREADME(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ script, file, from, to string }{
		{"emacs-eglot.txtar", "drive.el", "(with-eval-after-load 'eglot", "\n\n"},
		{"vim-ale.txtar", "vimrc", "call ale#linter#Define", "\n-- "},
	} {
		ar, err := txtar.ParseFile(filepath.Join("testdata", "editor", tc.script))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, f := range ar.Files {
			if f.Name != tc.file {
				continue
			}
			text := string(f.Data) + "\n-- "
			i := strings.Index(text, tc.from)
			if i < 0 {
				t.Fatalf("%s: %s has no %q", tc.script, tc.file, tc.from)
			}
			recipe := text[i:]
			recipe = strings.TrimSpace(recipe[:strings.Index(recipe, tc.to)])
			if !strings.Contains(string(readme), recipe+"\n") {
				t.Errorf("README.md does not show the recipe %s runs:\n%s", tc.script, recipe)
			}
			found = true
		}
		if !found {
			t.Errorf("%s has no %s", tc.script, tc.file)
		}
	}
}
