package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/internal/fileutil"
	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

// TestPreCommitFilesPattern checks that the hooks' file pattern, read by
// Python's re as pre-commit does, picks the same names as the walk does.
func TestPreCommitFilesPattern(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed; the pattern is checked with Python's re, as pre-commit reads it")
	}
	var names []string
	for _, dir := range []string{"", "a/b/"} {
		for _, base := range []string{"Dockerfile", "dockerfile", "DOCKERFILE", "Containerfile", "app.Dockerfile", "web.dockerfile", "base.containerfile", ".dockerfile", ".containerfile", "Dockerfiles", "MyDockerfile", "README", "docker-compose"} {
			for _, suffix := range []string{"", ".", ".dev", ".prod.release", ".windows", ".dockerfile",
				".dockerignore", ".md", ".txt", ".sh", ".ps1", ".py", ".json", ".yaml", ".yml", ".tmpl", ".template", ".tpl",
				".j2", ".jinja", ".jinja2", ".erb", ".mustache", ".orig", ".rej", ".bak", ".swp", ".patch", ".diff", "~",
				".MD", ".Template", ".release.j2", ".md.bak"} {
				names = append(names, dir+base+suffix)
			}
		}
	}
	script := `
import re, sys, yaml
hooks = yaml.safe_load(open(sys.argv[1]))
patterns = {h["id"]: h["files"] for h in hooks}
assert len(set(patterns.values())) == 1, patterns
r = re.compile(hooks[0]["files"])
for name in sys.stdin.read().split("\n"):
    print("1" if r.search(name) else "0")
`
	cmd := exec.Command("python3", "-c", script, filepath.Join(sourcetree.Root(t), ".pre-commit-hooks.yaml"))
	cmd.Stdin = strings.NewReader(strings.Join(names, "\n"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		if strings.Contains(string(out), "No module named 'yaml'") {
			t.Skip("python3 has no yaml module (Debian package python3-yaml)")
		}
		t.Fatalf("python3: %v\n%s", err, out)
	}
	got := strings.Fields(string(out))
	if len(got) != len(names) {
		t.Fatalf("python3 answered %d names of %d:\n%s", len(got), len(names), out)
	}
	for i, name := range names {
		if want := fileutil.IsDockerfile(name); (got[i] == "1") != want {
			t.Errorf("%q: the hooks' pattern says %v, the walk says %v", name, got[i] == "1", want)
		}
	}
}

// TestPreCommitHooks runs the real pre-commit with try-repo, which builds
// cmdfix from this repository as a user's pre-commit would, against a
// temporary repository holding a Dockerfile cmdfix changes.
func TestPreCommitHooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmdfix through pre-commit; skipped with -short")
	}
	for _, tool := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed (Debian package %s); the pre-commit hooks are not tested", tool, tool)
		}
	}
	root := sourcetree.Root(t)
	if err := exec.Command("git", "-C", root, "rev-parse", "--git-dir").Run(); err != nil {
		t.Skipf("%s is not a git repository; pre-commit try-repo needs one", root)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()

	// Build offline from the module cache this test already uses.
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"GOMODCACHE="+strings.TrimSpace(string(modcache)),
		"GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly",
		"PRE_COMMIT_HOME="+t.TempDir(),
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"NO_COLOR=1",
	)
	repo := t.TempDir()
	run := func(name string, args ...string) (string, int) {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out), code
	}
	write := func(name, content string) {
		t.Helper()
		path := filepath.Join(repo, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(repo, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// What cmdfix makes of the input, run here in-process.
	preCommitOutput, preCommitDiff := cmdfixOutput(t, preCommitInput, "web/Dockerfile")
	if preCommitOutput == preCommitInput {
		t.Fatalf("cmdfix no longer changes the test input; pick one it changes:\n%s", preCommitInput)
	}

	write(".cmdfix.toml", "") // defaults, whatever is above the temporary folder
	write("web/Dockerfile", preCommitInput)
	write("web/Dockerfile.template", preCommitInput) // not a Dockerfile by name
	write("README.md", "CMD not a Dockerfile\n")
	run("git", "init", "-q")
	run("git", "add", ".")
	run("git", "commit", "-qm", "init")

	// The check hook fails and shows the diff; it changes nothing.
	out, code := run("pre-commit", "try-repo", root, "cmdfix-check", "--all-files", "--color=never")
	if code != 1 || !strings.Contains(out, "Failed") || !strings.Contains(out, preCommitDiff) {
		t.Errorf("cmdfix-check: exit %d, want 1 with the diff\n%s\nwant the diff:\n%s", code, out, preCommitDiff)
	}
	if strings.Contains(out, "Dockerfile.template") {
		t.Errorf("cmdfix-check ran on Dockerfile.template:\n%s", out)
	}
	if got := read("web/Dockerfile"); got != preCommitInput {
		t.Errorf("cmdfix-check changed the file:\n%s", got)
	}

	// Both hooks, in pre-commit's order (by id): the fixing hook rewrites
	// the file, which pre-commit reports as a failure; the check hook then
	// passes on the fixed file. (Each try-repo builds cmdfix afresh, so the
	// two runs cover both hooks' failing and passing.)
	out, code = run("pre-commit", "try-repo", root, "--all-files", "--color=never")
	if code != 1 || !regexp.MustCompile(`(?m)^cmdfix\.+Failed$`).MatchString(out) ||
		!strings.Contains(out, "files were modified by this hook") ||
		!regexp.MustCompile(`(?m)^cmdfix \(check\)\.+Passed$`).MatchString(out) {
		t.Errorf("both hooks: exit %d, want 1, cmdfix failing with 'files were modified by this hook' and cmdfix (check) passing\n%s", code, out)
	}
	if got := read("web/Dockerfile"); got != preCommitOutput {
		t.Errorf("cmdfix wrote:\n%s\nwant:\n%s", got, preCommitOutput)
	}
	if got := read("web/Dockerfile.template"); got != preCommitInput {
		t.Errorf("cmdfix changed Dockerfile.template:\n%s", got)
	}

	// A finding with no safe fix: nothing to change, but the check hook
	// fails on it (--fail-on=warning) and so shows it.
	write("worker/Dockerfile", "FROM alpine\nENTRYPOINT /usr/local/bin/worker\nCMD [\"--verbose\"]\n")
	run("git", "add", ".")
	out, code = run("pre-commit", "try-repo", root, "cmdfix-check", "--all-files", "--color=never")
	if code != 1 || !strings.Contains(out, "worker/Dockerfile:2:1: entrypoint-cmd: ") {
		t.Errorf("cmdfix-check on a finding without a fix: exit %d, want 1 with the finding\n%s", code, out)
	}
}

// preCommitInput is a Dockerfile cmdfix changes with its default settings:
// a CMD the next one overrides, and single-quoted pseudo-JSON, which Docker
// runs as a shell command.
const preCommitInput = "FROM python:3.12-slim\nCMD [\"python\", \"old.py\"]\nCMD ['python', 'app.py']\n"

// cmdfixOutput runs cmdfix in-process on src, named name, and returns the
// result and the diff -d prints.
func cmdfixOutput(t *testing.T, src, name string) (output, diff string) {
	t.Helper()
	for _, args := range [][]string{nil, {"-d"}} {
		var out, errs bytes.Buffer
		args = append(args, "--no-config", "--stdin-filename", name)
		if code := run(args, strings.NewReader(src), &out, &errs); code > 1 {
			t.Fatalf("cmdfix %s: exit %d\n%s", strings.Join(args, " "), code, errs.String())
		}
		if args[0] == "-d" {
			diff = out.String()
		} else {
			output = out.String()
		}
	}
	return output, diff
}

// TestPreCommitPatternInREADME checks that the local-hook recipe in
// README.md uses the hooks' own file pattern.
func TestPreCommitPatternInREADME(t *testing.T) {
	root := sourcetree.Root(t)
	hooks, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^  files: &dockerfiles ('[^']+')$`).FindSubmatch(hooks)
	if m == nil {
		t.Fatal("no files: &dockerfiles '...' line in .pre-commit-hooks.yaml")
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(readme, []byte("files: "+string(m[1])+"\n")) {
		t.Errorf("README.md's local hook does not use the pattern of .pre-commit-hooks.yaml: %s", m[1])
	}
}
