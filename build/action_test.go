package build

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

// TestActionlint lints the workflows with actionlint, built from
// build/tools (go tool). The CI workflow uses the action itself (uses: ./),
// so actionlint checks those steps' inputs against action.yml. A workflow
// with a mistake must fail, so the lint can fail.
func TestActionlint(t *testing.T) {
	root := sourcetree.Root(t)
	workflows, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(workflows) < 2 {
		t.Fatalf("workflows: %v %v", workflows, err)
	}
	tools := filepath.Join(root, "build", "tools")
	out, code := run(t, tools, nil, goTool(), append([]string{"tool", "actionlint", "-no-color"}, workflows...)...)
	if code != 0 {
		t.Errorf("actionlint: exit %d\n%s", code, out)
	}

	data, err := os.ReadFile(filepath.Join(root, ".github", "workflows", "ci.yml"))
	if err != nil {
		t.Fatal(err)
	}
	action, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	// The same workflow giving the action an input action.yml does not
	// have, in a repository of its own (actionlint finds ./ from the
	// folder that holds .git).
	broken := strings.Replace(string(data), "          paths: Dockerfile\n", "          paths: Dockerfile\n          no-such-input: x\n", 1)
	if broken == string(data) {
		t.Fatal("ci.yml has no step with paths: Dockerfile to break")
	}
	repo := t.TempDir()
	for name, content := range map[string][]byte{".github/workflows/ci.yml": []byte(broken), "action.yml": action} {
		if err := os.MkdirAll(filepath.Join(repo, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, name), content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	out, code = run(t, tools, nil, goTool(), "tool", "actionlint", "-no-color", filepath.Join(repo, ".github", "workflows", "ci.yml"))
	if code != 1 || !strings.Contains(out, `input "no-such-input" is not defined in action "cmdfix"`) {
		t.Errorf("actionlint on a workflow giving the action an unknown input: exit %d, want 1 and the input named\n%s", code, out)
	}
}

// actionEnv is the environment the runner gives the action's scripts, in
// folders of the test.
type actionEnv struct {
	dir, temp, path, output string
}

func newActionEnv(t *testing.T) actionEnv {
	t.Helper()
	dir := t.TempDir()
	e := actionEnv{dir: dir, temp: filepath.Join(dir, "runner-temp"), path: filepath.Join(dir, "github-path"), output: filepath.Join(dir, "github-output")}
	if err := os.MkdirAll(e.temp, 0o755); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e actionEnv) vars(extra ...string) []string {
	osName := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS]
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	return append([]string{"RUNNER_OS=" + osName, "RUNNER_ARCH=" + arch, "RUNNER_TEMP=" + e.temp,
		"GITHUB_PATH=" + e.path, "GITHUB_OUTPUT=" + e.output}, extra...)
}

func (e actionEnv) read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(data)
}

// TestActionScripts runs the action's two steps (build/action/install.sh
// and run.sh, which action.yml runs) with bash, as the runner would: the
// download from a release server on 127.0.0.1 serving build/dist's output
// (by tag, and the latest by GitHub's API), checked against SHA256SUMS,
// and refused when the archive does not match; the build from source; and
// cmdfix's runs in each mode and output.
func TestActionScripts(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "tar", "awk"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the action's scripts need it", tool)
		}
	}
	if runtime.GOOS == "windows" {
		t.Skip("the scripts run under Git Bash on Windows runners; not tried here")
	}
	root := sourcetree.Root(t)
	action, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, script := range []string{"install.sh", "run.sh"} {
		if !strings.Contains(string(action), `run: bash "$GITHUB_ACTION_PATH/build/action/`+script+`"`) {
			t.Errorf("action.yml does not run build/action/%s", script)
		}
	}
	if _, err := exec.LookPath("shellcheck"); err == nil {
		if out, code := run(t, root, nil, "shellcheck", "build/action/install.sh", "build/action/run.sh"); code != 0 {
			t.Errorf("shellcheck: exit %d\n%s", code, out)
		}
	}
	dist := hostDist(t)

	// The release server: /download/TAG/FILE and the API's latest release.
	tampered := false
	mux := http.NewServeMux()
	mux.HandleFunc("/download/"+testVersion+"/", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, "/download/"+testVersion+"/")
		data, err := os.ReadFile(filepath.Join(dist, filepath.Base(name)))
		if err != nil || strings.Contains(name, "/") {
			http.NotFound(w, r)
			return
		}
		if tampered && name != "SHA256SUMS" {
			data = append(data, 0)
		}
		w.Write(data)
	})
	mux.HandleFunc("/api/repos/cmdfix/cmdfix/releases/latest", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer test-token" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"tag_name": testVersion, "name": "cmdfix " + testVersion})
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	install := func(e actionEnv, extra ...string) (string, int) {
		t.Helper()
		env := e.vars(append([]string{"CMDFIX_REPOSITORY=cmdfix/cmdfix", "CMDFIX_RELEASE_URL=" + srv.URL + "/download",
			"CMDFIX_API_URL=" + srv.URL + "/api", "CMDFIX_SOURCE=" + root, "GITHUB_TOKEN=test-token"}, extra...)...)
		return run(t, e.dir, env, "bash", filepath.Join(root, "build", "action", "install.sh"))
	}
	installed := func(t *testing.T, e actionEnv, out string, code int, wantVersion string) string {
		t.Helper()
		if code != 0 {
			t.Fatalf("install.sh: exit %d\n%s", code, out)
		}
		bin := filepath.Join(e.temp, "cmdfix-bin")
		if got := e.read(t, e.path); got != bin+"\n" {
			t.Errorf("GITHUB_PATH: %q, want %q", got, bin+"\n")
		}
		if got := e.read(t, e.output); got != "version="+wantVersion+"\n" {
			t.Errorf("GITHUB_OUTPUT: %q, want version=%s", got, wantVersion)
		}
		return filepath.Join(bin, "cmdfix")
	}

	t.Run("tag", func(t *testing.T) {
		e := newActionEnv(t)
		out, code := install(e, "CMDFIX_VERSION="+testVersion)
		bin := installed(t, e, out, code, testVersion)
		if !strings.Contains(out, "Installed cmdfix "+testVersion) {
			t.Errorf("install.sh output:\n%s", out)
		}
		got, _ := run(t, e.dir, nil, bin, "--version")
		if !strings.HasPrefix(got, "cmdfix "+testVersion+"\ncommit: "+testCommit+"\n") {
			t.Errorf("the installed cmdfix --version:\n%s", got)
		}
	})
	t.Run("action ref", func(t *testing.T) {
		e := newActionEnv(t)
		out, code := install(e, "CMDFIX_ACTION_REF="+testVersion)
		installed(t, e, out, code, testVersion)
	})
	t.Run("latest", func(t *testing.T) {
		e := newActionEnv(t)
		out, code := install(e, "CMDFIX_VERSION=latest", "CMDFIX_ACTION_REF=main")
		installed(t, e, out, code, testVersion)
	})
	t.Run("no such release", func(t *testing.T) {
		e := newActionEnv(t)
		out, code := install(e, "CMDFIX_VERSION=v0.0.1")
		if code != 1 || !strings.Contains(out, "::error title=cmdfix action::could not download "+srv.URL+"/download/v0.0.1/SHA256SUMS") {
			t.Errorf("install.sh of a missing release: exit %d, want 1 and the URL\n%s", code, out)
		}
	})
	t.Run("checksum mismatch", func(t *testing.T) {
		tampered = true
		defer func() { tampered = false }()
		e := newActionEnv(t)
		out, code := install(e, "CMDFIX_VERSION="+testVersion)
		if code != 1 || !regexp.MustCompile(`::error title=cmdfix action::checksum mismatch for cmdfix_1\.2\.3_\w+_\w+\.tar\.gz: SHA256SUMS says [0-9a-f]{64}, the download is [0-9a-f]{64}`).MatchString(out) {
			t.Errorf("install.sh of a tampered archive: exit %d, want 1 and checksum mismatch\n%s", code, out)
		}
		if _, err := os.Stat(filepath.Join(e.temp, "cmdfix-bin", "cmdfix")); err == nil {
			t.Error("the tampered archive was unpacked")
		}
		if e.read(t, e.path) != "" {
			t.Error("GITHUB_PATH was written")
		}
	})
	t.Run("unknown architecture", func(t *testing.T) {
		e := newActionEnv(t)
		out, code := install(e, "CMDFIX_VERSION="+testVersion, "RUNNER_ARCH=ARM")
		if code != 1 || !strings.Contains(out, "no cmdfix release for runner architecture 'ARM'; set build-from-source: true") {
			t.Errorf("install.sh on ARM: exit %d\n%s", code, out)
		}
	})
	t.Run("build from source", func(t *testing.T) {
		e := newActionEnv(t)
		out, code := install(e, "CMDFIX_BUILD_FROM_SOURCE=true")
		bin := installed(t, e, out, code, "devel")
		got, _ := run(t, e.dir, nil, bin, "--version")
		if !strings.HasPrefix(got, "cmdfix devel\n") {
			t.Errorf("cmdfix built from source --version:\n%s", got)
		}
	})

	// run.sh with the released cmdfix on the PATH.
	binDir := filepath.Dir(hostBinary(t))
	pathVar := "PATH=" + binDir + string(os.PathListSeparator) + os.Getenv("PATH")
	const bad = "from alpine\ncmd echo hi\n"
	const good = "FROM alpine\nCMD [\"echo\", \"hi\"]\n"
	runAction := func(t *testing.T, files map[string]string, extra ...string) (actionEnv, string, int) {
		t.Helper()
		e := newActionEnv(t)
		for name, data := range files {
			p := filepath.Join(e.dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, code := run(t, e.dir, e.vars(append([]string{pathVar}, extra...)...), "bash", filepath.Join(root, "build", "action", "run.sh"))
		return e, out, code
	}
	t.Run("check annotations", func(t *testing.T) {
		_, out, code := runAction(t, map[string]string{"web/Dockerfile": bad, "api/Dockerfile": good},
			"CMDFIX_PATHS=web api", "CMDFIX_MODE=check", "CMDFIX_OUTPUT=annotations")
		if code != 1 || !strings.Contains(out, "::warning file=web/Dockerfile,line=2") || strings.Contains(out, "api/Dockerfile") {
			t.Errorf("check with annotations: exit %d, want 1 and an annotation on web/Dockerfile only\n%s", code, out)
		}
	})
	t.Run("diff", func(t *testing.T) {
		_, out, code := runAction(t, map[string]string{"Dockerfile": bad}, "CMDFIX_PATHS=Dockerfile", "CMDFIX_MODE=diff", "CMDFIX_OUTPUT=text")
		if code != 1 || !strings.Contains(out, "+CMD [\"echo\", \"hi\"]") {
			t.Errorf("diff: exit %d, want 1 and the diff\n%s", code, out)
		}
	})
	t.Run("fix", func(t *testing.T) {
		e, out, code := runAction(t, map[string]string{"Dockerfile": bad}, "CMDFIX_PATHS=", "CMDFIX_MODE=fix", "CMDFIX_OUTPUT=text")
		if code != 0 {
			t.Errorf("fix: exit %d, want 0\n%s", code, out)
		}
		if got := e.read(t, filepath.Join(e.dir, "Dockerfile")); got != good {
			t.Errorf("fix wrote:\n%s\nwant:\n%s", got, good)
		}
	})
	t.Run("sarif", func(t *testing.T) {
		e, out, code := runAction(t, map[string]string{"Dockerfile": bad}, "CMDFIX_PATHS=.", "CMDFIX_OUTPUT=sarif", "CMDFIX_SARIF_FILE=out.sarif")
		if code != 1 {
			t.Errorf("sarif: exit %d, want 1\n%s", code, out)
		}
		var log struct {
			Version string
			Runs    []struct {
				Results []struct{ RuleID string }
			}
		}
		if err := json.Unmarshal([]byte(e.read(t, filepath.Join(e.dir, "out.sarif"))), &log); err != nil {
			t.Fatalf("out.sarif: %v", err)
		}
		if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
			t.Errorf("out.sarif: %+v", log)
		}
		if got := e.read(t, e.output); got != "sarif-file=out.sarif\n" {
			t.Errorf("GITHUB_OUTPUT: %q", got)
		}
	})
	t.Run("extra args", func(t *testing.T) {
		_, out, code := runAction(t, map[string]string{"Dockerfile": "FROM alpine\nCMD echo hi\n"},
			"CMDFIX_PATHS=Dockerfile", "CMDFIX_OUTPUT=text", "CMDFIX_ARGS=--disable exec-form")
		if code != 0 {
			t.Errorf("--disable exec-form through args: exit %d, want 0\n%s", code, out)
		}
	})
	t.Run("bad mode", func(t *testing.T) {
		_, out, code := runAction(t, nil, "CMDFIX_MODE=lint")
		if code != 2 || !strings.Contains(out, "::error title=cmdfix action::mode 'lint' is not check, diff or fix") {
			t.Errorf("mode lint: exit %d, want 2 and the message\n%s", code, out)
		}
	})
	t.Run("bad output", func(t *testing.T) {
		_, out, code := runAction(t, nil, "CMDFIX_OUTPUT=xml")
		if code != 2 || !strings.Contains(out, "::error title=cmdfix action::output 'xml' is not annotations, sarif or text") {
			t.Errorf("output xml: exit %d, want 2 and the message\n%s", code, out)
		}
	})
}
