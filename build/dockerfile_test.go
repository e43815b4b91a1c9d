// Package build holds the tests of cmdfix's release files: its own
// Dockerfile and image, the GitHub Action and workflows, and the npm
// packages. The programs that make and check them live below it: dist
// (make dist) and, in a module of their own, tools (buildkitlint and
// actionlint).
package build

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// run runs name with args in dir and returns its standard output and
// error together, and its exit code; it fails the test if the command
// could not start.
func run(t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return string(out), ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out), 0
}

// TestDockerfileCmdfix checks that cmdfix's own Dockerfile is one cmdfix
// leaves alone and has nothing to say about.
func TestDockerfileCmdfix(t *testing.T) {
	root := sourcetree.Root(t)
	out, code := run(t, root, nil, goTool(), "run", "./cmd/cmdfix", "--check", "--output-format", "json", "Dockerfile")
	if code != 0 {
		t.Fatalf("cmdfix --check Dockerfile: exit %d\n%s", code, out)
	}
	var report struct {
		Files []struct {
			Path     string
			Changed  bool
			Findings []json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("cmdfix's JSON report: %v\n%s", err, out)
	}
	if len(report.Files) != 1 || report.Files[0].Changed || len(report.Files[0].Findings) != 0 {
		t.Errorf("cmdfix reports on its Dockerfile:\n%s", out)
	}
}

// buildkitVersion reads the version of github.com/moby/buildkit that a
// go.mod requires.
func buildkitVersion(t *testing.T, gomod string) string {
	t.Helper()
	data, err := os.ReadFile(gomod)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?github\.com/moby/buildkit (v\S+)`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("%s requires no github.com/moby/buildkit", gomod)
	}
	return string(m[1])
}

// TestDockerfileBuildKitLint runs BuildKit's checks, as docker build
// --check does, on cmdfix's Dockerfile: no warning. The same run on a
// Dockerfile with known problems must report them, so the check can fail.
func TestDockerfileBuildKitLint(t *testing.T) {
	root := sourcetree.Root(t)
	tools := filepath.Join(root, "build", "tools")
	if main, lint := buildkitVersion(t, filepath.Join(root, "go.mod")), buildkitVersion(t, filepath.Join(tools, "go.mod")); main != lint {
		t.Errorf("build/tools lints with BuildKit %s but cmdfix parses with %s: make them the same", lint, main)
	}
	// cmdfix itself uses BuildKit's parser and linter rules only, never
	// the frontend that buildkitlint runs.
	deps, code := run(t, root, nil, goTool(), "list", "-deps", "./cmd/cmdfix")
	if code != 0 {
		t.Fatalf("go list -deps ./cmd/cmdfix: exit %d\n%s", code, deps)
	}
	if strings.Contains(deps, "/dockerfile2llb") {
		t.Error("cmdfix depends on BuildKit's dockerfile2llb")
	}
	bin := filepath.Join(t.TempDir(), "buildkitlint")
	if out, code := run(t, tools, nil, goTool(), "build", "-o", bin, "./buildkitlint"); code != 0 {
		t.Fatalf("go build ./buildkitlint: exit %d\n%s", code, out)
	}

	bad := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(bad, []byte("FROM alpine as base\nENV A b\nCMD echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code := run(t, root, nil, bin, bad)
	if code != 1 {
		t.Errorf("buildkitlint on a bad Dockerfile: exit %d, want 1\n%s", code, out)
	}
	for _, rule := range []string{"FromAsCasing", "LegacyKeyValueFormat", "JSONArgsRecommended"} {
		if !strings.Contains(out, "WARNING: "+rule+" - ") {
			t.Errorf("buildkitlint on a bad Dockerfile does not report %s:\n%s", rule, out)
		}
	}

	out, code = run(t, root, nil, bin, "Dockerfile")
	if code != 0 || out != "" {
		t.Errorf("BuildKit's checks on cmdfix's Dockerfile: exit %d\n%s", code, out)
	}
}

// TestImage builds cmdfix's image from its Dockerfile with buildah, with
// no Docker daemon, and checks the image: its config (entrypoint, user,
// working folder) and that the binary runs in it, as the user, on a
// mounted folder. The builder stage's base image cannot be pulled here, so
// the test builds its output with build/dist, as that stage does, and
// hands it to buildah as the stage (--build-context build=...): the final
// stage is built from the Dockerfile as written.
func TestImage(t *testing.T) {
	if _, err := exec.LookPath("buildah"); err != nil {
		t.Skip("buildah is not installed (Debian package buildah); the image is not built")
	}
	if runtime.GOOS != "linux" {
		t.Skip("images are built on Linux")
	}
	if os.Geteuid() != 0 {
		t.Skip("buildah runs here as root (rootless buildah needs subordinate ids); not root")
	}
	root := sourcetree.Root(t)
	tmp := t.TempDir()
	stage := filepath.Join(tmp, "stage")
	for _, f := range []struct{ from, to string }{
		{hostBinary(t), "out/cmdfix"},
		{filepath.Join(root, "LICENSE"), "out/LICENSE"},
	} {
		data, err := os.ReadFile(f.from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(stage, filepath.Dir(f.to)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(stage, f.to), data, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	storage := []string{"--storage-driver", "vfs", "--root", filepath.Join(tmp, "storage"), "--runroot", filepath.Join(tmp, "run")}
	buildah := func(args ...string) (string, int) {
		t.Helper()
		return run(t, root, []string{"BUILDAH_ISOLATION=chroot"}, "buildah", append(slicesClone(storage), args...)...)
	}
	const image = "localhost/cmdfix:test"
	if out, code := buildah("bud", "--isolation", "chroot", "--build-context", "build="+stage,
		"--build-arg", "VERSION="+testVersion, "-f", "Dockerfile", "-t", image, "."); code != 0 {
		t.Fatalf("buildah bud: exit %d\n%s", code, out)
	}
	out, code := buildah("inspect", "--type", "image", image)
	if code != 0 {
		t.Fatalf("buildah inspect: exit %d\n%s", code, out)
	}
	var info struct {
		OCIv1 struct {
			Config struct {
				Entrypoint []string
				Cmd        []string
				User       string
				WorkingDir string
				Env        []string
				Labels     map[string]string
			} `json:"config"`
		}
	}
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatalf("buildah inspect: %v\n%s", err, out)
	}
	c := info.OCIv1.Config
	if strings.Join(c.Entrypoint, " ") != "cmdfix" || len(c.Cmd) != 0 {
		t.Errorf("entrypoint %q, cmd %q; want [cmdfix] and none", c.Entrypoint, c.Cmd)
	}
	if c.User != "65532:65532" {
		t.Errorf("user %q, want 65532:65532", c.User)
	}
	if c.WorkingDir != "/src" {
		t.Errorf("working folder %q, want /src", c.WorkingDir)
	}
	if !slicesContainsFunc(c.Env, func(e string) bool {
		return strings.HasPrefix(e, "PATH=") && strings.Contains(":"+e[5:]+":", ":/usr/local/bin:")
	}) {
		t.Errorf("env %q: PATH does not hold /usr/local/bin, where cmdfix is", c.Env)
	}
	if c.Labels["org.opencontainers.image.version"] != testVersion || c.Labels["org.opencontainers.image.licenses"] != "Apache-2.0" {
		t.Errorf("labels %v", c.Labels)
	}

	// The binary runs in the image, as its user, on a folder mounted at
	// /src: docker run --rm -v "$PWD:/src" -w /src IMAGE --check .
	work := filepath.Join(tmp, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "Dockerfile"), []byte("from alpine\ncmd echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctr, code := buildah("from", image)
	if code != 0 {
		t.Fatalf("buildah from: exit %d\n%s", code, ctr)
	}
	ctr = strings.TrimSpace(ctr)
	defer buildah("rm", ctr)
	// buildah run once printed nothing, exit 0, in this test's first run
	// on a new storage (not seen again in many runs): one more try then.
	out, code = buildah("run", "--isolation", "chroot", ctr, "--", "cmdfix", "--version")
	if code == 0 && out == "" {
		t.Log("buildah run printed nothing; running it again")
		out, code = buildah("run", "--isolation", "chroot", ctr, "--", "cmdfix", "--version")
	}
	if code != 0 || !strings.HasPrefix(out, "cmdfix "+testVersion+"\ncommit: "+testCommit+"\n") {
		t.Errorf("cmdfix --version in the image: exit %d\n%s", code, out)
	}
	out, code = buildah("run", "--isolation", "chroot", "--volume", work+":/src", ctr, "--", "cmdfix", "--check", ".")
	if code != 1 || !strings.Contains(out, "Dockerfile") {
		t.Errorf("cmdfix --check . in the image on a Dockerfile to fix: exit %d, want 1 and its name\n%s", code, out)
	}
	// Without write access for the image's user, -w must fail: the user is
	// not root.
	if err := os.Chmod(work, 0o555); err != nil {
		t.Fatal(err)
	}
	out, code = buildah("run", "--isolation", "chroot", "--volume", work+":/src", ctr, "--", "cmdfix", "-w", ".")
	if code != 2 || !strings.Contains(out, "permission denied") {
		t.Errorf("cmdfix -w . as the image's user in a folder only root may write: exit %d, want 2 and permission denied\n%s", code, out)
	}
	os.Chmod(work, 0o755)
	if data, _ := os.ReadFile(filepath.Join(work, "Dockerfile")); !bytes.Equal(data, []byte("from alpine\ncmd echo hi\n")) {
		t.Errorf("the Dockerfile changed:\n%s", data)
	}
}

func slicesClone(s []string) []string { return append([]string(nil), s...) }

func slicesContainsFunc(s []string, f func(string) bool) bool {
	for _, e := range s {
		if f(e) {
			return true
		}
	}
	return false
}
