//go:build unix

package main

import (
	"bytes"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite"
)

// These tests run the real binary, built from this package.

// buildCmdfixForAll builds cmdfix into a folder every user can read
// (tests that drop to another user run it too).
func buildCmdfixForAll(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{dir, filepath.Dir(dir)} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "cmdfix")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// corpusFile is one corpus file, as it is and as cmdfix -w must leave it.
type corpusFile struct {
	name        string
	orig, final []byte
}

var killFullCorpus = flag.Bool("kill-full-corpus", false, "TestInterruptedWrites: use every corpus file, not a sample")

// loadCorpus reads the shared corpus (see package corpus),
// computes each file's expected result with the library, and returns a
// sample of about 500 files, mostly ones cmdfix changes (or every file,
// with -kill-full-corpus).
func loadCorpus(t *testing.T) []corpusFile {
	t.Helper()
	paths := corpus.Files(t)
	var changing, same []corpusFile
	for _, p := range paths {
		name := filepath.Base(p)
		switch name {
		case "SOURCES.md", "manifest.tsv", ".gitattributes":
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		final := src
		if res, err := rewrite.Process(name, src, rewrite.Options{}); err == nil {
			final = res.Output
		}
		if bytes.Equal(src, final) {
			same = append(same, corpusFile{name, src, final})
		} else {
			changing = append(changing, corpusFile{name, src, final})
		}
	}
	if *killFullCorpus {
		return append(changing, same...)
	}
	var files []corpusFile
	for i := range changing {
		if i%(len(changing)/400+1) == 0 {
			files = append(files, changing[i])
		}
	}
	step := len(same)/max(500-len(files), 1) + 1
	for i := range same {
		if i%step == 0 {
			files = append(files, same[i])
		}
	}
	// In name order, so the writes spread over the run.
	slices.SortFunc(files, func(a, b corpusFile) int { return strings.Compare(a.name, b.name) })
	return files
}

// TestInterruptedWrites runs cmdfix -w over a copy of (a sample of) the
// corpus and interrupts it at random moments. After SIGKILL every file must
// be exactly its original or exactly its final result; after SIGINT,
// SIGTERM or SIGHUP the same, and no temporary file may be left.
func TestInterruptedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("runs cmdfix over the corpus several times")
	}
	files := loadCorpus(t)
	bin := buildCmdfixForAll(t)
	changing := 0
	args := []string{"-w"}
	for _, f := range files {
		if !bytes.Equal(f.orig, f.final) {
			changing++
		}
		args = append(args, f.name)
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("%d files, %d change; random seed %d", len(files), changing, seed)

	work := t.TempDir()
	written := make([]bool, len(files)) // holds its result
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(work, f.name), f.orig, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// reset puts back the originals of the files written, and removes
	// temporary files.
	reset := func() {
		for i, f := range files {
			if written[i] {
				if err := os.WriteFile(filepath.Join(work, f.name), f.orig, 0o644); err != nil {
					t.Fatal(err)
				}
				written[i] = false
			}
		}
		for _, tmp := range tempFilesIn(work) {
			os.Remove(tmp)
		}
	}
	// check verifies every file and returns how many hold the final
	// result and the temporary files left behind.
	check := func(what string) (done int, temps []string) {
		t.Helper()
		for i, f := range files {
			got, err := os.ReadFile(filepath.Join(work, f.name))
			switch {
			case err != nil:
				t.Fatalf("%s: %v", what, err)
			case bytes.Equal(got, f.orig):
			case bytes.Equal(got, f.final):
				written[i] = true
				done++
			default:
				t.Fatalf("%s: %s is neither its original nor its result (%d bytes)", what, f.name, len(got))
			}
		}
		entries, _ := os.ReadDir(work)
		if n := len(entries) - len(files); n > 0 {
			temps = tempFilesIn(work)
			if len(temps) != n {
				t.Fatalf("%s: %d unexpected files, %d of them temporary", what, n, len(temps))
			}
		}
		return done, temps
	}
	start := func() *exec.Cmd {
		cmd := exec.Command(bin, args...)
		cmd.Dir = work
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	// An uninterrupted run writes every result, and tells how long a run
	// takes.
	reset()
	began := time.Now()
	cmd := start()
	err := cmd.Wait()
	full := time.Since(began)
	var exitErr *exec.ExitError
	if err != nil && !(errors.As(err, &exitErr) && exitErr.ExitCode() == exitError) {
		t.Fatalf("full run: %v", err)
	}
	if done, temps := check("full run"); done != changing || len(temps) > 0 {
		t.Fatalf("full run: %d of %d results written, temporary files %v", done, changing, temps)
	}
	t.Logf("uninterrupted run: %v", full.Round(time.Millisecond))

	signame := map[syscall.Signal]string{syscall.SIGKILL: "SIGKILL", syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM", syscall.SIGHUP: "SIGHUP"}
	for i, sig := range []syscall.Signal{
		syscall.SIGKILL, syscall.SIGKILL, syscall.SIGKILL, syscall.SIGKILL,
		syscall.SIGINT, syscall.SIGINT, syscall.SIGTERM, syscall.SIGTERM, syscall.SIGHUP,
	} {
		reset()
		delay := time.Duration(rng.Int64N(int64(full)))
		cmd := start()
		time.Sleep(delay)
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		what := signame[sig] + " after " + delay.Round(time.Millisecond).String()
		status := "finished first"
		if errors.As(err, &exitErr) {
			if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
				status = "killed by " + signame[ws.Signal()]
			} else {
				status = "exit status " + strconv.Itoa(exitErr.ExitCode())
				if code := exitErr.ExitCode(); sig != syscall.SIGKILL && code != 128+int(sig) && code != exitError {
					t.Errorf("%s: exit status %d, want %d", what, code, 128+int(sig))
				}
			}
		}
		done, temps := check(what)
		t.Logf("run %d: %s: %s; %d of %d files written, %d temporary files left", i+1, what, status, done, changing, len(temps))
		if sig != syscall.SIGKILL && len(temps) > 0 {
			t.Errorf("%s left temporary files: %v", what, temps)
		}
		if sig == syscall.SIGKILL && len(temps) > 0 {
			removeLeftTemps(t, bin, work, args[1:], temps)
		}
	}
}

// removeLeftTemps ages the temporary files a killed run left past a
// minute, runs cmdfix -l over the same files, and wants every one of them
// removed and named on standard error (leftovers.go).
func removeLeftTemps(t *testing.T, bin, work string, names, temps []string) {
	t.Helper()
	then := time.Now().Add(-2 * time.Minute)
	for _, tmp := range temps {
		if err := os.Chtimes(tmp, then, then); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bin, append([]string{"-l"}, names...)...)
	cmd.Dir = work
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Run()
	if left := tempFilesIn(work); len(left) > 0 {
		t.Errorf("the next run left the killed run's temporary files: %v", left)
	}
	if n := strings.Count(stderr.String(), "a temporary file left by an interrupted cmdfix -w"); n != len(temps) {
		t.Errorf("the next run named %d removed temporary files, want %d:\n%s", n, len(temps), stderr.String())
	}
}

// TestUnreadableAsNobody covers badinput_unreadable.txtar when the tests run
// as root, who reads and writes anything: the binary runs as user nobody.
func TestUnreadableAsNobody(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("not root: badinput_unreadable.txtar covers this")
	}
	bin := buildCmdfixForAll(t)
	dir, err := os.MkdirTemp("", "cmdfix-unreadable-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	ok := "FROM alpine\nCMD [\"sh\"]\n"
	if err := os.WriteFile(filepath.Join(dir, "secret.Dockerfile"), []byte(ok), 0o000); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ok.Dockerfile"), []byte(ok), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "secret.Dockerfile", "ok.Dockerfile")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		t.Skipf("cannot run as user nobody here: %v", err)
	}
	if exitErr == nil || exitErr.ExitCode() != exitError {
		t.Errorf("exit: %v, want status 2", err)
	}
	if got, want := stderr.String(), "cmdfix: secret.Dockerfile: permission denied\n"; !strings.HasPrefix(got, want) || strings.Count(got, "Dockerfile") != 2 ||
		!strings.HasSuffix(got, "\ncmdfix: failed: secret.Dockerfile\n") {
		t.Errorf("stderr %q, want %q (and the run's summary, which names the file again)", got, want)
	}
	if stdout.String() != ok {
		t.Errorf("stdout %q, want the other file, %q", stdout.String(), ok)
	}

	// -w where nobody may not create files: an error, the file untouched.
	twice := "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n" // redundant-instruction removes a CMD
	if err := os.WriteFile(filepath.Join(dir, "twice.Dockerfile"), []byte(twice), 0o666); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(bin, "-w", "twice.Dockerfile")
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	stderr.Reset()
	cmd.Stderr = &stderr
	err = cmd.Run()
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != exitError {
		t.Errorf("-w in a folder nobody cannot write: %v, want exit status 2", err)
	}
	if want := "cmdfix: twice.Dockerfile: cannot create a temporary file in .: permission denied; not written"; !strings.Contains(stderr.String(), want) {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "twice.Dockerfile")); string(got) != twice {
		t.Errorf("file changed to %q", got)
	}
}
