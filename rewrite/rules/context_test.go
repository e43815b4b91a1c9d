package rules_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
)

// TestScriptWithoutShebangFix checks the unsafe fix exec-form offers for a
// context script without "#!" against real shells: the array it writes,
// with /bin/sh standing for each shell, must print what the shell-form
// command prints when that shell runs it, and the script run directly (as
// the plain exec form would) must fail with exec format error.
func TestScriptWithoutShebangFix(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "start.sh")
	if err := os.WriteFile(script, []byte(`printf '[%s]' "$0" "$@"; echo`+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, err := buildcontext.Open(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	text := script + ` --port 'a b' "c"`
	src := "FROM debian:bookworm-slim\nCOPY start.sh " + script + "\nCMD " + text + "\n"
	res, err := rewrite.Process("Dockerfile", []byte(src), rewrite.Options{Context: ctx, Unsafe: true, NoFormat: true})
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^CMD (\[.*\])$`).FindSubmatch(res.Output)
	if m == nil {
		t.Fatalf("no exec-form CMD in the output:\n%s", res.Output)
	}
	var argv []string
	if err := json.Unmarshal(m[1], &argv); err != nil {
		t.Fatal(err)
	}
	if len(argv) < 2 || argv[0] != "/bin/sh" || argv[1] != script {
		t.Fatalf("fix wrote %q, want /bin/sh %s ...", argv, script)
	}

	if out, err := exec.Command(script, "x").CombinedOutput(); err == nil || !strings.Contains(err.Error(), "exec format error") {
		t.Fatalf("running the script directly: %v %s; want exec format error", err, out)
	}
	shells := map[string][]string{}
	if p, err := exec.LookPath("dash"); err == nil {
		shells["dash"] = []string{p}
	}
	if p, err := exec.LookPath("busybox"); err == nil {
		shells["busybox sh"] = []string{p, "sh"}
	}
	if p, err := exec.LookPath("bash"); err == nil {
		shells["bash --posix"] = []string{p, "--posix"}
	}
	if _, ok := shells["dash"]; !ok {
		t.Skip("dash is not installed (Debian package dash)")
	}
	for name, sh := range shells {
		shellForm := exec.Command(sh[0], append(sh[1:], "-c", text)...)
		want, err := shellForm.CombinedOutput()
		if err != nil {
			t.Fatalf("%s -c %q: %v %s", name, text, err, want)
		}
		fixed := exec.Command(sh[0], append(sh[1:], argv[1:]...)...)
		got, err := fixed.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %q: %v %s", name, argv[1:], err, got)
		}
		if string(got) != string(want) {
			t.Errorf("%s: the fix prints %q, shell form printed %q", name, got, want)
		}
	}
}
