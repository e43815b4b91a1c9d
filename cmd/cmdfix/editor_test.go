package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// editorFiles are the editor set-ups README.md points to; the scripts in
// testdata/editor load them, as users would, into a real Neovim and Vim.
var editorFiles = []string{"cmdfix.lua", "cmdfix-lsp.lua", "dockerfile.vim"}

// TestEditors runs testdata/editor/*.txtar: a headless Neovim or Vim opens
// Dockerfiles, formats them on save through cmdfix (on the PATH), and the
// scripts compare the saved files byte for byte. Each script skips when
// its editor is not installed.
func TestEditors(t *testing.T) {
	dir := filepath.Join("..", "..", "docs", "editors")
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/editor",
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "eglot":
				// Emacs before 29 has eglot only as a package (elpa-eglot).
				return exec.Command("emacs", "--batch", "--eval", "(require 'eglot)").Run() == nil, nil
			case "ale":
				// Debian's vim-ale is an optional package of Vim's.
				return exec.Command("vim", "-N", "-u", "NONE", "-i", "NONE", "-n", "-es",
					"-c", "packadd ale", "-c", "if exists(':ALELint') != 2 | cquit | endif", "-c", "qall!").Run() == nil, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			for _, name := range editorFiles {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(env.WorkDir, name), b, 0o644); err != nil {
					return err
				}
			}
			// Editors write state under HOME and the XDG folders.
			home := filepath.Join(env.WorkDir, ".home")
			env.Setenv("HOME", home)
			env.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			env.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
			env.Setenv("XDG_STATE_HOME", filepath.Join(home, ".local", "state"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
			return os.MkdirAll(home, 0o755)
		},
	})
}

// TestEditorSnippetsInREADME checks that the Vim lines README.md shows
// are those of the tested file.
func TestEditorSnippetsInREADME(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	vim, err := os.ReadFile(filepath.Join("..", "..", "docs", "editors", "dockerfile.vim"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(line, "setlocal ") && !strings.Contains(string(vim), line+"\n") {
			t.Errorf("README.md shows %q, which docs/editors/dockerfile.vim does not have", line)
		}
	}
}
