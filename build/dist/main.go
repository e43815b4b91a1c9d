// Command dist builds cmdfix's release archives: a static binary for each
// of linux, darwin and windows on amd64 and arm64, packed with LICENSE and
// README.md in a .tar.gz (a .zip for windows), and a SHA256SUMS file.
//
// Run it from the repository root (make dist does):
//
//	go run ./build/dist [-o dist] [-targets linux/amd64,...]
//
// The output depends only on the source, the Go toolchain and three values:
// the version, the commit and the commit time. They come from git (the tag
// at HEAD, else a pseudo-version like the go command's, with +dirty for a
// tree with changes), or from the environment: VERSION, COMMIT and
// SOURCE_DATE_EPOCH (seconds) override them, for a build outside a git
// checkout. Binaries are built with CGO_ENABLED=0, -trimpath and
// -buildvcs=false, the three values passed with -ldflags -X (see
// cmd/cmdfix/version.go): the go command's own VCS stamping is left off
// because it silently stamps nothing in a git worktree and counts untracked
// files as changes. Archive entries are sorted, owned by uid/gid 0, dated
// at the commit time, and gzip headers carry no time or name, so two builds
// of one commit give the same bytes.
//
// Next to the archives, bin/GOOS-GOARCH/ holds each unpacked binary, for
// packaging (npm/scripts/packages.js); it is not listed in SHA256SUMS.
package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Targets are the platforms a release has binaries for.
var Targets = []Target{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// Target is one GOOS/GOARCH pair.
type Target struct{ GOOS, GOARCH string }

func (t Target) String() string { return t.GOOS + "/" + t.GOARCH }

// Exe is the binary's file name on the target.
func (t Target) Exe() string {
	if t.GOOS == "windows" {
		return "cmdfix.exe"
	}
	return "cmdfix"
}

// Release is what a build stamps into the binary and the archives.
type Release struct {
	Version string    // v1.2.3 or a pseudo-version
	Commit  string    // the full revision
	Time    time.Time // the commit time: the archives' mtimes, and the version's date
}

// ArchiveName is the archive's file name for t: cmdfix_1.2.3_linux_amd64.tar.gz.
func (r Release) ArchiveName(t Target) string {
	ext := ".tar.gz"
	if t.GOOS == "windows" {
		ext = ".zip"
	}
	return "cmdfix_" + strings.TrimPrefix(r.Version, "v") + "_" + t.GOOS + "_" + t.GOARCH + ext
}

func main() {
	out := flag.String("o", "dist", "output folder (emptied first)")
	only := flag.String("targets", "", "comma-separated GOOS/GOARCH pairs to build (default: all)")
	flag.Parse()
	if err := run(*out, *only); err != nil {
		fmt.Fprintf(os.Stderr, "dist: %v\n", err)
		os.Exit(1)
	}
}

func run(out, only string) error {
	if _, err := os.Stat("go.mod"); err != nil {
		return errors.New("run from the repository root (no go.mod here)")
	}
	targets := Targets
	if only != "" {
		targets = nil
		for s := range strings.SplitSeq(only, ",") {
			goos, goarch, ok := strings.Cut(strings.TrimSpace(s), "/")
			if !ok {
				return fmt.Errorf("-targets: %q is not GOOS/GOARCH", s)
			}
			targets = append(targets, Target{goos, goarch})
		}
	}
	rel, err := ReleaseFromEnv(".")
	if err != nil {
		return err
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "dist: cmdfix %s (commit %s, %s)\n", rel.Version, rel.Commit, rel.Time.Format(time.RFC3339))
	var names []string
	for _, t := range targets {
		bin := filepath.Join(out, "bin", t.GOOS+"-"+t.GOARCH, t.Exe())
		if err := Build(".", bin, t, rel, nil); err != nil {
			return err
		}
		name := rel.ArchiveName(t)
		if err := Archive(filepath.Join(out, name), t, rel, bin, "LICENSE", "README.md"); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "dist: %s\n", name)
		names = append(names, name)
	}
	return WriteSums(out, names)
}

// ReleaseFromEnv finds the version, commit and commit time of the checkout
// at dir, each overridden by VERSION, COMMIT and SOURCE_DATE_EPOCH when set.
func ReleaseFromEnv(dir string) (Release, error) {
	var rel Release
	rel.Version, rel.Commit = os.Getenv("VERSION"), os.Getenv("COMMIT")
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return rel, fmt.Errorf("SOURCE_DATE_EPOCH=%q: not a number of seconds", s)
		}
		rel.Time = time.Unix(sec, 0).UTC()
	}
	if rel.Version == "" || rel.Commit == "" || rel.Time.IsZero() {
		g, err := gitRelease(dir)
		if err != nil {
			return rel, fmt.Errorf("%v (outside a git checkout, set VERSION, COMMIT and SOURCE_DATE_EPOCH)", err)
		}
		if rel.Commit == "" {
			rel.Commit = g.Commit
		}
		if rel.Time.IsZero() {
			rel.Time = g.Time
		}
		if rel.Version == "" {
			rel.Version = g.Version
		}
	}
	if !strings.HasPrefix(rel.Version, "v") || rel.Version == "devel" {
		return rel, fmt.Errorf("version %q does not start with v (v1.2.3)", rel.Version)
	}
	return rel, nil
}

// gitRelease reads HEAD: its tag (v*) if it has one, else a pseudo-version
// v0.0.0-YYYYMMDDHHMMSS-REV12 as the go command writes them; +dirty is
// added when the tree has changes (ignored files do not count).
func gitRelease(dir string) (Release, error) {
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, bytes.TrimSpace(ee.Stderr))
			}
			return "", fmt.Errorf("git %s: %v", strings.Join(args, " "), err)
		}
		return strings.TrimSpace(string(out)), nil
	}
	var rel Release
	line, err := git("log", "-1", "--format=%H %ct")
	if err != nil {
		return rel, err
	}
	rev, ct, _ := strings.Cut(line, " ")
	sec, err := strconv.ParseInt(ct, 10, 64)
	if err != nil {
		return rel, fmt.Errorf("git log: commit time %q", ct)
	}
	rel.Commit, rel.Time = rev, time.Unix(sec, 0).UTC()
	status, err := git("status", "--porcelain")
	if err != nil {
		return rel, err
	}
	if tag, err := git("describe", "--tags", "--exact-match", "--match", "v[0-9]*", "HEAD"); err == nil && tag != "" {
		rel.Version = tag
	} else {
		rel.Version = "v0.0.0-" + rel.Time.Format("20060102150405") + "-" + rev[:12]
	}
	if status != "" {
		rel.Version += "+dirty"
	}
	return rel, nil
}

// Build compiles ./cmd/cmdfix in dir for t into bin: static, with paths
// trimmed, symbols stripped and rel stamped in. env is added to the go
// command's environment (tests set GOCACHE).
func Build(dir, bin string, t Target, rel Release, env []string) error {
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return err
	}
	abs, err := filepath.Abs(bin)
	if err != nil {
		return err
	}
	ldflags := fmt.Sprintf("-s -w -X main.version=%s -X main.commit=%s -X main.date=%s",
		rel.Version, rel.Commit, rel.Time.UTC().Format(time.RFC3339))
	cmd := exec.Command(goTool(), "build", "-o", abs, "-trimpath", "-buildvcs=false", "-ldflags="+ldflags, "./cmd/cmdfix")
	cmd.Dir = dir
	// The environment pins what changes the code generated: no cgo, the
	// baseline instruction sets, and no GOFLAGS from the user.
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS="+t.GOOS, "GOARCH="+t.GOARCH,
		"GOAMD64=v1", "GOARM64=v8.0", "GOFLAGS=-mod=readonly", "GOEXPERIMENT=")
	cmd.Env = append(cmd.Env, env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build for %s: %v\n%s", t, err, out)
	}
	return nil
}

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(os.Getenv("GOROOT"), "bin", "go")
}

// Archive writes path, a .tar.gz or (for windows) a .zip holding bin as
// t.Exe() and the other files under their base names, in name order, with
// rel.Time as every entry's time.
func Archive(path string, t Target, rel Release, bin string, others ...string) error {
	type entry struct {
		name string
		mode os.FileMode
		data []byte
	}
	var entries []entry
	data, err := os.ReadFile(bin)
	if err != nil {
		return err
	}
	entries = append(entries, entry{t.Exe(), 0o755, data})
	for _, o := range others {
		data, err := os.ReadFile(o)
		if err != nil {
			return err
		}
		entries = append(entries, entry{filepath.Base(o), 0o644, data})
	}
	slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.name, b.name) })

	var buf bytes.Buffer
	mtime := rel.Time.UTC()
	if t.GOOS == "windows" {
		zw := zip.NewWriter(&buf)
		for _, e := range entries {
			h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: mtime}
			h.SetMode(e.mode)
			w, err := zw.CreateHeader(h)
			if err != nil {
				return err
			}
			if _, err := w.Write(e.data); err != nil {
				return err
			}
		}
		if err := zw.Close(); err != nil {
			return err
		}
	} else {
		gz, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return err
		}
		// gzip.Header's zero ModTime and Name write no time and no name.
		tw := tar.NewWriter(gz)
		for _, e := range entries {
			h := &tar.Header{
				Typeflag: tar.TypeReg, Name: e.name, Mode: int64(e.mode), Size: int64(len(e.data)),
				ModTime: mtime, Uid: 0, Gid: 0, Format: tar.FormatUSTAR,
			}
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			if _, err := tw.Write(e.data); err != nil {
				return err
			}
		}
		if err := tw.Close(); err != nil {
			return err
		}
		if err := gz.Close(); err != nil {
			return err
		}
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// WriteSums writes dir/SHA256SUMS for the named files in dir, in name
// order, in the format sha256sum -c reads.
func WriteSums(dir string, names []string) error {
	names = slices.Sorted(slices.Values(names))
	var b strings.Builder
	for _, name := range names {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), name)
	}
	return os.WriteFile(filepath.Join(dir, "SHA256SUMS"), []byte(b.String()), 0o644)
}
