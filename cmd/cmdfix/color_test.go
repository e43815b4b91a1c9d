//go:build linux || darwin || freebsd

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/creack/pty"
)

// sgr matches a colour or style escape sequence (the progress line's
// erase sequences are not colours).
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// runInPTY runs cmdfix with standard output, standard error or both on a
// real pseudo-terminal, the others on pipes, and returns what each got.
func runInPTY(t *testing.T, bin string, env []string, stdoutTTY, stderrTTY bool, args ...string) (tty, out, errOut string) {
	t.Helper()
	ptmx, tt, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdin = tt
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdoutTTY {
		cmd.Stdout = tt
	}
	if stderrTTY {
		cmd.Stderr = tt
	}
	read := make(chan string)
	go func() {
		var b bytes.Buffer
		io.Copy(&b, ptmx) // ends with EIO once the terminal is closed
		read <- b.String()
	}()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tt.Close()
	cmd.Wait()
	got := <-read
	return got, stdout.String(), stderr.String()
}

// TestColorInTerminal runs cmdfix -d in a pseudo-terminal: the stream
// that is a terminal is coloured and the other is not; NO_COLOR,
// --color=never and TERM=dumb turn colour off.
func TestColorInTerminal(t *testing.T) {
	bin := buildCmdfix(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "Dockerfile")
	if err := os.WriteFile(file, []byte("FROM python:3.12-slim\nCMD python app.py\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var base []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NO_COLOR=") && !strings.HasPrefix(kv, "FORCE_COLOR=") && !strings.HasPrefix(kv, "TERM=") {
			base = append(base, kv)
		}
	}
	env := func(extra ...string) []string { return append(append([]string{}, base...), extra...) }

	tty, out, errOut := runInPTY(t, bin, env("TERM=xterm"), true, false, "-d", file)
	if !strings.Contains(tty, "\x1b[31m-CMD python app.py\x1b[0m") || !strings.Contains(tty, "\x1b[32m+CMD [\"python\", \"app.py\"]\x1b[0m") {
		t.Errorf("diff on a terminal not coloured:\n%q", tty)
	}
	if out != "" || sgr.MatchString(errOut) || !strings.Contains(errOut, "exec-form: ") {
		t.Errorf("diagnostics on a pipe: %q (stdout %q)", errOut, out)
	}

	tty, out, _ = runInPTY(t, bin, env("TERM=xterm"), false, true, "-d", file)
	if !strings.Contains(tty, "\x1b[33m\x1b[1mexec-form:\x1b[0m") {
		t.Errorf("diagnostics on a terminal not coloured:\n%q", tty)
	}
	if sgr.MatchString(out) || !strings.Contains(out, "-CMD python app.py\n") {
		t.Errorf("diff on a pipe: %q", out)
	}

	for _, tc := range []struct {
		name string
		env  []string
		args []string
	}{
		{"NO_COLOR", env("TERM=xterm", "NO_COLOR=1"), nil},
		{"NO_COLOR over FORCE_COLOR", env("TERM=xterm", "NO_COLOR=1", "FORCE_COLOR=1"), nil},
		{"--color=never", env("TERM=xterm", "FORCE_COLOR=1"), []string{"--color=never"}},
		{"TERM=dumb", env("TERM=dumb"), nil},
	} {
		tty, _, _ := runInPTY(t, bin, tc.env, true, true, append(tc.args, "-d", file)...)
		if sgr.MatchString(tty) {
			t.Errorf("%s: colour on the terminal:\n%q", tc.name, tty)
		}
		if !strings.Contains(tty, "-CMD python app.py") || !strings.Contains(tty, "exec-form: ") {
			t.Errorf("%s: output missing:\n%q", tc.name, tty)
		}
	}
}
