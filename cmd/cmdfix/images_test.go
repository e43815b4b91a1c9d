package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/rewrite/images/resolve"
)

// TestResolveDisagreementsOncePerImage runs the command with a stand-in
// for the registries: nginx's config there disagrees with the built-in
// table's row, and two files use it. The disagreement is printed once, the
// resolved config is used (an ENTRYPOINT the table does not name counts as
// one that may inspect its arguments), and an image that fails is one line.
func TestResolveDisagreementsOncePerImage(t *testing.T) {
	calls := 0
	old := newResolveFunc
	newResolveFunc = func(platform string, timeout time.Duration) resolveFunc {
		return func(ctx context.Context, ref, p string) (resolve.Config, error) {
			calls++
			switch ref {
			case "nginx:1.27":
				return resolve.Config{OS: "linux", Entrypoint: []string{"/custom-entrypoint.sh"}, Cmd: []string{"nginx", "-g", "daemon off;"}}, nil
			case "python:3.12-slim":
				return resolve.Config{OS: "linux", Cmd: []string{"python3"}}, nil
			}
			return resolve.Config{}, &resolve.Error{Ref: ref, Kind: resolve.NotFound, Err: os.ErrNotExist}
		}
	}
	t.Cleanup(func() { newResolveFunc = old })

	dir := t.TempDir()
	for name, text := range map[string]string{
		"a/Dockerfile": "FROM nginx:1.27\nCMD nginx -g 'daemon off;'\n",
		"b/Dockerfile": "FROM nginx:1.27\nCMD nginx -g 'daemon off;'\n",
		"c/Dockerfile": "FROM python:3.12-slim\nCMD python app.py\n",
		"d/Dockerfile": "FROM example.com/gone:1\nCMD serve\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := run([]string{"--resolve-images", "-j", "1", "--no-config", "-l", dir}, strings.NewReader(""), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\n%s", code, stderr.String())
	}
	errText := stderr.String()
	want := `cmdfix: base image nginx:1.27: the built-in table disagrees with its registry: ENTRYPOINT: the table has ["/docker-entrypoint.sh"], the image ["/custom-entrypoint.sh"]`
	if n := strings.Count(errText, want); n != 1 {
		t.Errorf("the disagreement is printed %d times, want once:\n%s", n, errText)
	}
	if strings.Contains(errText, "python:3.12-slim: the built-in table disagrees") {
		t.Errorf("python's row agrees with its config, but a disagreement is printed:\n%s", errText)
	}
	if n := strings.Count(errText, "cmdfix: cannot resolve base image example.com/gone:1: not found: file does not exist; using the built-in table"); n != 1 {
		t.Errorf("the failure is printed %d times, want once:\n%s", n, errText)
	}
	if !strings.Contains(errText, `ENTRYPOINT ["/custom-entrypoint.sh"] of base image`) {
		t.Errorf("the resolved ENTRYPOINT is not the one the findings name:\n%s", errText)
	}
	if calls != 3 {
		t.Errorf("the registries were asked %d times, want 3 (once per image)", calls)
	}
}
