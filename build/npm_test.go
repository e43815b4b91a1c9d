package build

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

// npmPlatform is npm's name for this machine's platform package.
func npmPlatform() string {
	os := map[string]string{"linux": "linux", "darwin": "darwin", "windows": "win32"}[runtime.GOOS]
	cpu := map[string]string{"amd64": "x64", "arm64": "arm64"}[runtime.GOARCH]
	if os == "" || cpu == "" {
		return ""
	}
	return os + "-" + cpu
}

// npmPack packs the package in dir into dest and returns the tarball.
func npmPack(t *testing.T, dir, dest string, env []string) string {
	t.Helper()
	out, code := run(t, dir, env, "npm", "pack", "--json", "--pack-destination", dest)
	if code != 0 {
		t.Fatalf("npm pack in %s: exit %d\n%s", dir, code, out)
	}
	// npm pack --json may print notices before the JSON.
	var packed []struct {
		Filename string
		Files    []struct {
			Path string
			Mode int
		}
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "["):]), &packed); err != nil || len(packed) != 1 {
		t.Fatalf("npm pack --json in %s: %v\n%s", dir, err, out)
	}
	return filepath.Join(dest, packed[0].Filename)
}

// TestNPMPackages makes the npm packages from build/dist's output for this
// machine (npm/scripts/packages.js), packs the platform package and the
// main package with npm pack, installs both tarballs into a new project
// offline, and runs cmdfix through npx and the installed bin: the Go
// binary runs, with its arguments, output and exit status passed through.
// Installed without its platform package, the launcher says so.
func TestNPMPackages(t *testing.T) {
	for _, tool := range []string{"node", "npm", "npx"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the npm packages are not checked", tool)
		}
	}
	platform := npmPlatform()
	if platform == "" {
		t.Skipf("no npm package for %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	root := sourcetree.Root(t)
	dist := hostDist(t)
	tmp := t.TempDir()
	// npm's cache and settings stay in the test's folder.
	env := []string{"npm_config_cache=" + filepath.Join(tmp, "npm-cache"), "npm_config_userconfig=" + filepath.Join(tmp, "npmrc"),
		"npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false"}

	pkgs := filepath.Join(tmp, "packages")
	out, code := run(t, root, env, "node", "npm/scripts/packages.js", dist, pkgs)
	if code != 0 {
		t.Fatalf("packages.js: exit %d\n%s", code, out)
	}
	want := filepath.Join(pkgs, platform) + " @cmdfix/" + platform + "@1.2.3\n"
	if !strings.Contains(out, want) || !strings.Contains(out, filepath.Join(pkgs, "cmdfix")+" cmdfix@1.2.3\n") {
		t.Errorf("packages.js output:\n%s\nwant the lines %q and cmdfix@1.2.3", out, want)
	}
	var main struct {
		Version              string
		Bin                  map[string]string
		OptionalDependencies map[string]string
	}
	data, err := os.ReadFile(filepath.Join(pkgs, "cmdfix", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &main); err != nil {
		t.Fatal(err)
	}
	if main.Version != "1.2.3" || main.Bin["cmdfix"] != "bin/cmdfix.js" || len(main.OptionalDependencies) != 6 || main.OptionalDependencies["@cmdfix/"+platform] != "1.2.3" {
		t.Errorf("main package.json: %s", data)
	}

	tarballs := filepath.Join(tmp, "tarballs")
	if err := os.MkdirAll(tarballs, 0o755); err != nil {
		t.Fatal(err)
	}
	platformTgz := npmPack(t, filepath.Join(pkgs, platform), tarballs, env)
	mainTgz := npmPack(t, filepath.Join(pkgs, "cmdfix"), tarballs, env)

	project := filepath.Join(tmp, "project")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(project, "package.json"), []byte(`{"private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, project, env, "npm", "install", "--offline", "--no-audit", "--no-fund", platformTgz, mainTgz); code != 0 {
		t.Fatalf("npm install --offline: exit %d\n%s", code, out)
	}

	wantVersion := "cmdfix v1.2.3\ncommit: " + testCommit + "\n"
	out, code = run(t, project, env, "npx", "--offline", "--no-install", "cmdfix", "--version")
	if code != 0 || !strings.HasPrefix(out, wantVersion) {
		t.Errorf("npx cmdfix --version: exit %d\n%s\nwant it to start with:\n%s", code, out, wantVersion)
	}
	bin := filepath.Join(project, "node_modules", ".bin", "cmdfix")
	if runtime.GOOS == "windows" {
		bin += ".cmd"
	}
	if err := os.WriteFile(filepath.Join(project, "Dockerfile"), []byte("from alpine\ncmd echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, project, env, bin, "--check", "Dockerfile")
	if code != 1 || !strings.Contains(out, "Dockerfile") {
		t.Errorf("node_modules/.bin/cmdfix --check Dockerfile: exit %d, want 1 and the name\n%s", code, out)
	}
	out, code = run(t, project, env, bin, "--no-such-flag")
	if code != 2 || !strings.Contains(out, "cmdfix: unknown flag --no-such-flag") {
		t.Errorf("cmdfix --no-such-flag through npm: exit %d, want 2 and the flag error\n%s", code, out)
	}

	t.Run("pre-commit", func(t *testing.T) { preCommitNode(t, env, platformTgz, mainTgz) })

	// The main package alone: the launcher names the missing package.
	alone := filepath.Join(tmp, "alone")
	if err := os.MkdirAll(alone, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(alone, "package.json"), []byte(`{"private": true}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, alone, env, "npm", "install", "--offline", "--omit=optional", mainTgz); code != 0 {
		t.Fatalf("npm install --offline --omit=optional: exit %d\n%s", code, out)
	}
	out, code = run(t, alone, env, "node", filepath.Join(alone, "node_modules", "cmdfix", "bin", "cmdfix.js"), "--version")
	wantErr := "cmdfix: the package @cmdfix/" + platform + ", which holds cmdfix for "
	if code != 2 || !strings.HasPrefix(out, wantErr) {
		t.Errorf("launcher without its platform package: exit %d\n%s\nwant exit 2 and %q", code, out, wantErr)
	}
}

// preCommitNode runs pre-commit with a local hook of language node that
// takes cmdfix from the packed tarballs (as README's hook takes it from
// npm), offline, on a repository with a Dockerfile to fix: the hook fixes
// it and fails, as pre-commit hooks that modify files do.
func preCommitNode(t *testing.T, env []string, tarballs ...string) {
	for _, tool := range []string{"pre-commit", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	repo := t.TempDir()
	deps, _ := json.Marshal(tarballs)
	files := map[string]string{
		"Dockerfile": "from alpine\ncmd echo hi\n",
		".pre-commit-config.yaml": `repos:
  - repo: local
    hooks:
      - id: cmdfix
        name: cmdfix
        entry: cmdfix -w
        language: node
        language_version: system
        additional_dependencies: ` + string(deps) + `
        files: '(^|/)Dockerfile$'
`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(repo, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	gitEnv := []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}} {
		if out, code := run(t, repo, gitEnv, "git", args...); code != 0 {
			t.Fatalf("git %v: exit %d\n%s", args, code, out)
		}
	}
	pcEnv := append(append([]string{}, env...), "PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit"), "npm_config_offline=true")
	out, code := run(t, repo, pcEnv, "pre-commit", "run", "--all-files")
	if code != 1 || !strings.Contains(out, "files were modified by this hook") {
		t.Errorf("pre-commit run: exit %d, want 1 and files were modified\n%s", code, out)
	}
	data, err := os.ReadFile(filepath.Join(repo, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "FROM alpine\nCMD [\"echo\", \"hi\"]\n"; string(data) != want {
		t.Errorf("the hook left the Dockerfile as:\n%s\nwant:\n%s", data, want)
	}
}
