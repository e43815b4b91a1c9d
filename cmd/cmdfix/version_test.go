package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

func TestMakeVersionInfo(t *testing.T) {
	goLine := runtime.GOOS + "/" + runtime.GOARCH
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-11-24T12:24:10Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	for _, tc := range []struct {
		name                string
		bi                  *debug.BuildInfo
		ldVer, ldCom, ldDat string
		want                string
	}{
		{"no build info", nil, "", "", "",
			"cmdfix devel\ngo: " + runtime.Version() + " " + goLine + "\n"},
		{"devel module, no vcs", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "", "", "",
			"cmdfix devel\ngo: go1.26.8 " + goLine + "\n"},
		{"module version from go install", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}}, "", "", "",
			"cmdfix v1.2.3\ngo: go1.26.8 " + goLine + "\n"},
		{"checkout with changes", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261124122410-0123456789ab+dirty"}, Settings: vcs}, "", "", "",
			"cmdfix v0.0.0-20261124122410-0123456789ab+dirty\ncommit: 0123456789abcdef0123456789abcdef01234567 (modified)\ndate: 2026-11-24T12:24:10Z\ngo: go1.26.8 " + goLine + "\n"},
		{"linker flags win", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: vcs[:3]}, "v2.0.0", "fedcba", "2026-12-01T00:00:00Z",
			"cmdfix v2.0.0\ncommit: fedcba\ndate: 2026-12-01T00:00:00Z\ngo: go1.26.8 " + goLine + "\n"},
		{"linker version only", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}, "v2.0.0", "", "",
			"cmdfix v2.0.0\ngo: go1.26.8 " + goLine + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			printVersion(&out, makeVersionInfo(tc.bi, tc.ldVer, tc.ldCom, tc.ldDat))
			if out.String() != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", out.String(), tc.want)
			}
		})
	}
}

// goBuild runs go build in dir with the given extra arguments and returns
// the binary's path.
func goBuild(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "cmdfix")
	cmd := exec.Command(goTool, append(append([]string{"build", "-o", bin}, args...), "./cmd/cmdfix")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return bin
}

func runVersion(t *testing.T, bin string) string {
	t.Helper()
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("%s --version: %v\n%s", bin, err, out)
	}
	return string(out)
}

// TestVersionLinkerFlags builds cmdfix as a release is built, with the
// version, commit and date set by -ldflags -X.
func TestVersionLinkerFlags(t *testing.T) {
	bin := goBuild(t, sourcetree.Root(t), nil, "-trimpath", "-buildvcs=false",
		"-ldflags=-s -w -X main.version=v9.8.7 -X main.commit=1111111111111111111111111111111111111111 -X main.date=2026-12-04T10:00:00Z")
	want := "cmdfix v9.8.7\ncommit: 1111111111111111111111111111111111111111\ndate: 2026-12-04T10:00:00Z\ngo: " +
		runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if got := runVersion(t, bin); got != want {
		t.Errorf("--version:\n%s\nwant:\n%s", got, want)
	}
}

// TestVersionFromCheckout builds cmdfix in a git checkout of the working
// tree with -buildvcs=true, as go build and go install do by default on a
// developer's machine: the version is the go command's pseudo-version of
// the commit, the commit and its time come from git, and an uncommitted
// file makes the build "+dirty" and "(modified)".
func TestVersionFromCheckout(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root := sourcetree.Root(t)
	git := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
			"GIT_AUTHOR_DATE=2026-11-24T12:24:10Z", "GIT_COMMITTER_DATE=2026-11-24T12:24:10Z")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return strings.TrimSpace(string(out))
	}
	// The files of the working tree as they are (tracked and untracked,
	// less the ignored), committed in a new repository.
	src, err := sourcetree.Copy(t, root)
	if err != nil {
		t.Fatal(err)
	}
	git(src, "init", "-q")
	git(src, "add", "-A")
	git(src, "commit", "-q", "-m", "snapshot")
	rev := git(src, "rev-parse", "HEAD")
	goEnv := []string{"GOFLAGS=-mod=readonly"}

	bin := goBuild(t, src, goEnv, "-trimpath", "-buildvcs=true")
	want := "cmdfix v0.0.0-20261124122410-" + rev[:12] + "\ncommit: " + rev + "\ndate: 2026-11-24T12:24:10Z\ngo: " +
		runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if got := runVersion(t, bin); got != want {
		t.Errorf("clean checkout --version:\n%s\nwant:\n%s", got, want)
	}

	if err := os.WriteFile(filepath.Join(src, "untracked.txt"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin = goBuild(t, src, goEnv, "-trimpath", "-buildvcs=true")
	got := runVersion(t, bin)
	if !regexp.MustCompile(`^cmdfix v0\.0\.0-20261124122410-` + rev[:12] + `\+dirty\ncommit: ` + rev + ` \(modified\)\n`).MatchString(got) {
		t.Errorf("modified checkout --version:\n%s\nwant +dirty and (modified) on %s", got, rev)
	}
}
