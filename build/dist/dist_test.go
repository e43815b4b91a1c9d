package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

var testRelease = Release{
	Version: "v1.2.3",
	Commit:  "0123456789abcdef0123456789abcdef01234567",
	Time:    time.Date(2026, 11, 24, 12, 24, 10, 0, time.UTC),
}

// TestReproducible builds linux/amd64 twice, from two copies of the source
// in different folders, and packs each: the binaries and the archives must
// be the same bytes. Without -short the second build starts from an empty
// build cache, so nothing is reused from the first.
func TestReproducible(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed (the source is copied as git lists it)")
	}
	root := sourcetree.Root(t)
	target := Target{"linux", "amd64"}
	var bins, archives [2][]byte
	for i := range 2 {
		src, err := sourcetree.Copy(t, root)
		if err != nil {
			t.Skipf("%v (the source is copied as git lists it)", err)
		}
		out := t.TempDir()
		var env []string
		if i == 1 && !testing.Short() {
			env = append(env, "GOCACHE="+t.TempDir())
		}
		bin := filepath.Join(out, "bin", target.Exe())
		if err := Build(src, bin, target, testRelease, env); err != nil {
			t.Fatal(err)
		}
		archive := filepath.Join(out, testRelease.ArchiveName(target))
		if err := Archive(archive, target, testRelease, bin, filepath.Join(src, "LICENSE"), filepath.Join(src, "README.md")); err != nil {
			t.Fatal(err)
		}
		if bins[i], err = os.ReadFile(bin); err != nil {
			t.Fatal(err)
		}
		if archives[i], err = os.ReadFile(archive); err != nil {
			t.Fatal(err)
		}
		if i == 0 && runtime.GOOS == target.GOOS && runtime.GOARCH == target.GOARCH {
			out, err := exec.Command(bin, "--version").CombinedOutput()
			if err != nil {
				t.Fatalf("cmdfix --version: %v\n%s", err, out)
			}
			want := "cmdfix v1.2.3\ncommit: 0123456789abcdef0123456789abcdef01234567\ndate: 2026-11-24T12:24:10Z\ngo: " + runtime.Version() + " linux/amd64\n"
			if string(out) != want {
				t.Errorf("--version of the release binary:\n%s\nwant:\n%s", out, want)
			}
		}
	}
	if !bytes.Equal(bins[0], bins[1]) {
		t.Errorf("the two builds' binaries differ (%d and %d bytes)", len(bins[0]), len(bins[1]))
	}
	if !bytes.Equal(archives[0], archives[1]) {
		t.Errorf("the two builds' archives differ (%d and %d bytes)", len(archives[0]), len(archives[1]))
	}
	if bytes.Contains(bins[0], []byte(root)) {
		t.Errorf("the binary contains the source folder %s despite -trimpath", root)
	}
	checkTarGz(t, archives[0], bins[0])
}

// checkTarGz checks the archive's metadata: no time or name in the gzip
// header; entries sorted, owned by 0/0, dated at the commit time, with the
// binary executable.
func checkTarGz(t *testing.T, archive, bin []byte) {
	t.Helper()
	gz, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	if !gz.ModTime.IsZero() || gz.Name != "" {
		t.Errorf("gzip header has time %v and name %q, want neither", gz.ModTime, gz.Name)
	}
	tr := tar.NewReader(gz)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, h.Name)
		if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
			t.Errorf("%s: owner %d:%d (%q:%q), want 0:0 and no names", h.Name, h.Uid, h.Gid, h.Uname, h.Gname)
		}
		if !h.ModTime.Equal(testRelease.Time) {
			t.Errorf("%s: time %v, want the commit time %v", h.Name, h.ModTime, testRelease.Time)
		}
		wantMode := int64(0o644)
		if h.Name == "cmdfix" {
			wantMode = 0o755
			data, _ := io.ReadAll(tr)
			if !bytes.Equal(data, bin) {
				t.Errorf("the archive's cmdfix is not the binary built")
			}
		}
		if h.Mode != wantMode {
			t.Errorf("%s: mode %o, want %o", h.Name, h.Mode, wantMode)
		}
	}
	if got := strings.Join(names, " "); got != "LICENSE README.md cmdfix" {
		t.Errorf("entries %q, want LICENSE README.md cmdfix", got)
	}
}

// TestZip packs a stand-in binary for windows twice and checks the zip's
// bytes are the same and its entries sorted, dated and with modes.
func TestZip(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"bin.exe": "MZ stand-in", "LICENSE": "license text\n", "README.md": "readme\n"}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	target := Target{"windows", "arm64"}
	if got, want := testRelease.ArchiveName(target), "cmdfix_1.2.3_windows_arm64.zip"; got != want {
		t.Errorf("ArchiveName = %q, want %q", got, want)
	}
	var zips [2][]byte
	for i := range 2 {
		path := filepath.Join(t.TempDir(), "a.zip")
		if err := Archive(path, target, testRelease, filepath.Join(dir, "bin.exe"), filepath.Join(dir, "README.md"), filepath.Join(dir, "LICENSE")); err != nil {
			t.Fatal(err)
		}
		var err error
		if zips[i], err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(zips[0], zips[1]) {
		t.Error("two zips of the same files differ")
	}
	zr, err := zip.NewReader(bytes.NewReader(zips[0]), int64(len(zips[0])))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if !f.Modified.Equal(testRelease.Time) {
			t.Errorf("%s: time %v, want %v", f.Name, f.Modified, testRelease.Time)
		}
		wantMode := os.FileMode(0o644)
		if f.Name == "cmdfix.exe" {
			wantMode = 0o755
		}
		if f.Mode() != wantMode {
			t.Errorf("%s: mode %v, want %v", f.Name, f.Mode(), wantMode)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		src := f.Name
		if src == "cmdfix.exe" {
			src = "bin.exe"
		}
		if string(data) != files[src] {
			t.Errorf("%s holds %q, want %q", f.Name, data, files[src])
		}
	}
	if got := strings.Join(names, " "); got != "LICENSE README.md cmdfix.exe" {
		t.Errorf("entries %q, want LICENSE README.md cmdfix.exe", got)
	}
}

func TestWriteSums(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"b.zip": "bbb", "a.tar.gz": "aaa"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteSums(dir, []string{"b.zip", "a.tar.gz"}); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	want := sum("aaa") + "  a.tar.gz\n" + sum("bbb") + "  b.zip\n"
	if string(got) != want {
		t.Errorf("SHA256SUMS:\n%s\nwant:\n%s", got, want)
	}
	if _, err := exec.LookPath("sha256sum"); err == nil {
		cmd := exec.Command("sha256sum", "--check", "--strict", "SHA256SUMS")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum --check: %v\n%s", err, out)
		}
	}
}

func TestReleaseFromEnv(t *testing.T) {
	t.Setenv("VERSION", "v2.0.0")
	t.Setenv("COMMIT", "abc")
	t.Setenv("SOURCE_DATE_EPOCH", "1764000000")
	rel, err := ReleaseFromEnv(t.TempDir()) // no git needed when all three are set
	if err != nil {
		t.Fatal(err)
	}
	if want := (Release{"v2.0.0", "abc", time.Unix(1764000000, 0).UTC()}); rel != want {
		t.Errorf("got %+v, want %+v", rel, want)
	}
	for _, tc := range []struct{ version, epoch, err string }{
		{"devel", "1764000000", `version "devel" does not start with v (v1.2.3)`},
		{"2.0.0", "1764000000", `version "2.0.0" does not start with v (v1.2.3)`},
		{"v2.0.0", "yesterday", `SOURCE_DATE_EPOCH="yesterday": not a number of seconds`},
	} {
		t.Setenv("VERSION", tc.version)
		t.Setenv("SOURCE_DATE_EPOCH", tc.epoch)
		if _, err := ReleaseFromEnv(t.TempDir()); err == nil || err.Error() != tc.err {
			t.Errorf("VERSION=%s SOURCE_DATE_EPOCH=%s: error %v, want %q", tc.version, tc.epoch, err, tc.err)
		}
	}
}

// TestReleaseFromGit reads the version of a new repository: a
// pseudo-version, then the tag, then +dirty.
func TestReleaseFromGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for _, v := range []string{"VERSION", "COMMIT", "SOURCE_DATE_EPOCH"} {
		t.Setenv(v, "")
	}
	dir := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
			"GIT_AUTHOR_DATE=2026-11-24T12:24:10Z", "GIT_COMMITTER_DATE=2026-11-24T12:24:10Z")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "f")
	git("commit", "-q", "-m", "one")
	rev := git("rev-parse", "HEAD")
	check := func(want string) {
		t.Helper()
		rel, err := ReleaseFromEnv(dir)
		if err != nil {
			t.Fatal(err)
		}
		if rel.Version != want || rel.Commit != rev || !rel.Time.Equal(testRelease.Time) {
			t.Errorf("got %+v, want version %s, commit %s, time %v", rel, want, rev, testRelease.Time)
		}
	}
	check("v0.0.0-20261124122410-" + rev[:12])
	git("tag", "v0.1.0")
	check("v0.1.0")
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte("2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check("v0.1.0+dirty")
}
