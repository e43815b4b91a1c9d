package buildcontext

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tree writes files (path → content) under a new temporary folder; a content
// starting with "->" makes a symbolic link to the rest.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if target, ok := strings.CutPrefix(content, "->"); ok {
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if strings.HasSuffix(name, "/") {
			continue
		}
		if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func open(t *testing.T, dir, dockerfile string) *Context {
	t.Helper()
	c, err := Open(dir, dockerfile)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestExcluded(t *testing.T) {
	dir := tree(t, map[string]string{
		".dockerignore": "# comment\n*.md\n!README.md\n**/*.log\nbuild\n!build/keep.sh\nsecret/\n",
		"a.md":          "x",
		"README.md":     "x",
		"x/y/z.log":     "x",
		"top.log":       "x",
		"build/out":     "x",
		"build/keep.sh": "x",
		"secret/key":    "x",
		"docs/a.md":     "x",
	})
	c := open(t, dir, filepath.Join(dir, "Dockerfile"))
	for rel, want := range map[string]bool{
		"a.md":          true,
		"README.md":     false, // "!" re-includes
		"x/y/z.log":     true,  // "**"
		"top.log":       true,  // "**" matches no folder too
		"build/out":     true,  // under an excluded folder
		"build/keep.sh": false, // re-included under it
		"secret/key":    true,
		"docs/a.md":     false, // "*.md" is anchored at the root
		"start.sh":      false,
	} {
		if got := c.Excluded(rel); got != want {
			t.Errorf("Excluded(%q) = %v, want %v", rel, got, want)
		}
	}
	if c.IgnoreFile() != filepath.Join(dir, ".dockerignore") {
		t.Errorf("IgnoreFile = %q", c.IgnoreFile())
	}
}

func TestDockerfileIgnoreFileWins(t *testing.T) {
	dir := tree(t, map[string]string{
		".dockerignore":                        "a.sh\n",
		"docker/app.Dockerfile.dockerignore":   "b.sh\n",
		"docker/app.Dockerfile":                "FROM scratch\n",
		"docker/empty.Dockerfile.dockerignore": "",
		"a.sh":                                 "x",
		"b.sh":                                 "x",
	})
	c := open(t, dir, filepath.Join(dir, "docker/app.Dockerfile"))
	if c.Excluded("a.sh") || !c.Excluded("b.sh") {
		t.Errorf("app.Dockerfile.dockerignore must replace .dockerignore: a.sh %v, b.sh %v", c.Excluded("a.sh"), c.Excluded("b.sh"))
	}
	// the root .dockerignore is used for a Dockerfile without its own
	c = open(t, dir, filepath.Join(dir, "docker/other.Dockerfile"))
	if !c.Excluded("a.sh") || c.Excluded("b.sh") {
		t.Errorf(".dockerignore not used: a.sh %v, b.sh %v", c.Excluded("a.sh"), c.Excluded("b.sh"))
	}
	// an empty NAME.dockerignore still wins (BuildKit reads it as present)
	c = open(t, dir, filepath.Join(dir, "docker/empty.Dockerfile"))
	if c.Excluded("a.sh") {
		t.Errorf("empty.Dockerfile.dockerignore is empty and must win over .dockerignore")
	}
	// standard input: only the context's .dockerignore
	c = open(t, dir, "")
	if !c.Excluded("a.sh") {
		t.Errorf("without a Dockerfile path .dockerignore must apply")
	}
}

func TestOpenErrors(t *testing.T) {
	dir := tree(t, map[string]string{"f": "x", ".dockerignore/": ""})
	if _, err := Open(filepath.Join(dir, "missing"), ""); err == nil || !strings.Contains(err.Error(), "no such file or directory") {
		t.Errorf("missing folder: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "f"), ""); err == nil || !strings.HasSuffix(err.Error(), "f is not a folder") {
		t.Errorf("file as context: %v", err)
	}
	if err := os.Mkdir(filepath.Join(dir, ".dockerignore"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, ""); err == nil || !strings.HasSuffix(err.Error(), ".dockerignore is a folder, not an ignore file") {
		t.Errorf(".dockerignore folder: %v", err)
	}
}

type lookupCase struct {
	path   string
	status Status
	rel    string // for Found
	reason string // substring of Reason, or of a note for Found
}

func check(t *testing.T, im *Image, cases []lookupCase) {
	t.Helper()
	for _, c := range cases {
		f, st := im.Lookup(c.path)
		if st != c.status {
			t.Errorf("Lookup(%s) = %v (%s), want %v", c.path, st, f.Reason, c.status)
			continue
		}
		if st == Found && f.Rel != c.rel {
			t.Errorf("Lookup(%s) found %q, want %q", c.path, f.Rel, c.rel)
		}
		text := f.Reason + "|" + strings.Join(f.Notes, "|")
		if !strings.Contains(text, c.reason) {
			t.Errorf("Lookup(%s): %q does not say %q", c.path, text, c.reason)
		}
	}
}

func TestLookupCopies(t *testing.T) {
	dir := tree(t, map[string]string{
		".dockerignore":   "app/secret.sh\n**/*.bak\n",
		"start.sh":        "echo start\n",
		"entry.sh":        "#!/bin/sh\n",
		"app/run.sh":      "#!/bin/bash\n",
		"app/lib/util.sh": "x",
		"app/secret.sh":   "x",
		"bin/a.sh":        "a",
		"bin/b.sh":        "b",
		"bin/c.py":        "c",
		"bin/old.sh.bak":  "x",
		"v1/start.sh":     "v1",
		"scripts/x/go.sh": "x",
		"scripts/y/go.sh": "y",
		"conf/nginx.conf": "x",
		"file1":           "1",
		"file2":           "2",
	})
	c := open(t, dir, filepath.Join(dir, "Dockerfile"))
	im := NewImage(c, []Op{
		{Line: 2, Sources: []string{"app/"}, Dest: "/app/"},
		{Line: 3, Sources: []string{"start.sh"}, Dest: "/start.sh"},
		{Line: 4, Sources: []string{"entry.sh", "start.sh"}, Dest: "/usr/local/bin/"},
		{Line: 5, Sources: []string{"bin/*.sh"}, Dest: "/opt/bin/"},
		{Line: 6, Sources: []string{"scripts/*/go.sh"}, Dest: "/go/"},
		{Line: 7, Sources: []string{"v1/start.sh"}, Dest: "/start.sh"}, // overrides line 3
		{Line: 8, Workdir: "/srv", Sources: []string{"entry.sh"}, Dest: "."},
		{Line: 9, Workdir: "/srv", Sources: []string{"conf"}, Dest: "etc"},
		{Line: 10, Sources: []string{"entry.sh"}, Dest: "/usr/bin"},
		{Line: 11, Sources: []string{"file1"}, Dest: "/app"}, // /app exists: a folder
		{Line: 12, Sources: []string{"bin/*.bak"}, Dest: "/bak/"},
		{Line: 13, Sources: []string{"app/secret.sh"}, Dest: "/start2.sh"},
		{Line: 14, Sources: []string{"app/secret.sh"}, Dest: "/s.sh"},
		{Line: 15, Sources: []string{"app/secret.sh"}, Dest: "/etc/"},
	})
	check(t, im, []lookupCase{
		{"/app/run.sh", Found, "app/run.sh", ""},
		{"/app/lib/util.sh", Found, "app/lib/util.sh", ""},
		{"/app/secret.sh", Excluded, "", ".dockerignore excludes app/secret.sh"},
		{"/app/file1", Found, "file1", ""},
		{"/start.sh", Found, "v1/start.sh", ""},
		{"/s.sh", Excluded, "", "COPY at line 14 copies app/secret.sh, which .dockerignore excludes from the build context (the build fails: BuildKit does not find it)"},
		{"/usr/local/bin/entry.sh", Found, "entry.sh", ""},
		{"/usr/local/bin/start.sh", Found, "start.sh", ""},
		{"/opt/bin/a.sh", Found, "bin/a.sh", ""},
		{"/opt/bin/b.sh", Found, "bin/b.sh", ""},
		{"/opt/bin/c.py", NotFromContext, "", "base image or a RUN"},
		{"/go/go.sh", Found, "scripts/y/go.sh", ""}, // the last match wins
		{"/srv/entry.sh", Found, "entry.sh", ""},
		{"/srv/etc/nginx.conf", Found, "conf/nginx.conf", ""},
		{"/usr/bin", Found, "entry.sh", ""},
		{"/usr/bin/entry.sh", Found, "entry.sh", "assuming /usr/bin is a folder in the base image"},
		{"/bak/old.sh.bak", NotFromContext, "", ""},
		{"/etc/secret.sh", Excluded, "", "COPY at line 15 copies app/secret.sh"},
		{"/etc/passwd", NotFromContext, "", ""}, // an excluded file source says nothing of other paths
		{"/bin/sh", NotFromContext, "", "no COPY or ADD from the build context puts a file at /bin/sh"},
	})
}

func TestLookupNotFromContext(t *testing.T) {
	dir := tree(t, map[string]string{"start.sh": "#!/bin/sh\n", "app.tar.gz": "\x1f\x8b\x08rest"})
	c := open(t, dir, "")
	im := NewImage(c, []Op{
		{Line: 2, Sources: []string{"start.sh"}, Dest: "/start.sh"},
		{Line: 3, Sources: []string{"/out/app"}, Dest: "/usr/local/bin/", From: "build"},
		{Line: 4, Heredocs: []string{"EOF"}, Dest: "/entry.sh"},
		{Line: 5, Kind: Add, Sources: []string{"https://example.com/tini"}, Dest: "/tini"},
		{Line: 6, Kind: Run},
		{Line: 7, Kind: Add, Sources: []string{"app.tar.gz"}, Dest: "/opt/"},
		{Line: 8, Sources: []string{"/"}, Dest: "/data/", From: "build"},
	})
	check(t, im, []lookupCase{
		{"/usr/local/bin/app", NotFromContext, "", "comes from --from=build (line 3)"},
		{"/entry.sh", NotFromContext, "", "here-document at line 4"},
		{"/entry.sh/EOF", NotFromContext, "", "here-document at line 4"}, // if /entry.sh is a folder of the base image
		{"/tini", NotFromContext, "", "downloaded from https://example.com/tini"},
		{"/start.sh", Found, "start.sh", "the RUN at line 6 may change or remove /start.sh"},
		{"/opt/app/x", Unknown, "", "ADD at line 7 unpacks app.tar.gz (gzip)"},
		{"/data/x", NotFromContext, "", "COPY --from=build at line 8 may replace /data/x"},
	})
	im = NewImage(nil, []Op{{Line: 2, Sources: []string{"start.sh"}, Dest: "/start.sh"}})
	check(t, im, []lookupCase{
		{"/start.sh", Unknown, "", "COPY at line 2 copies start.sh from the build context, and there is none"},
		{"/other", Unknown, "", "there is no build context"},
	})
}

func TestSymlinks(t *testing.T) {
	dir := tree(t, map[string]string{
		"real/entry.sh": "#!/bin/sh\n",
		"entry.sh":      "->real/entry.sh",
		"passwd":        "->/etc/passwd",
		"up":            "->../outside",
		"app/x.sh":      "->../real/entry.sh", // inside the context, outside app/
		"app/y.sh":      "->z.sh",
		"app/z.sh":      "#!/bin/sh\n",
		"loop":          "->loop",
	})
	c := open(t, dir, "")
	im := NewImage(c, []Op{
		{Line: 2, Sources: []string{"entry.sh"}, Dest: "/entry.sh"},
		{Line: 3, Sources: []string{"passwd"}, Dest: "/passwd"},
		{Line: 4, Sources: []string{"up"}, Dest: "/up"},
		{Line: 5, Sources: []string{"app"}, Dest: "/app"},
		{Line: 6, Sources: []string{"loop"}, Dest: "/loop"},
	})
	check(t, im, []lookupCase{
		{"/entry.sh", Found, "real/entry.sh", ""},
		{"/passwd", Unknown, "", "passwd is a symbolic link to the absolute path /etc/passwd, which is outside the build context"},
		{"/up", Unknown, "", "up is a symbolic link to ../outside, which is outside the build context"},
		{"/app/x.sh", Unknown, "", "outside the folder that COPY at line 5 copies"},
		{"/app/y.sh", Found, "app/z.sh", ""},
		{"/loop", Unknown, "", "too many levels of symbolic links"},
	})
}

func TestKind(t *testing.T) {
	dir := tree(t, map[string]string{
		"s.sh":    "#!/usr/bin/env -S bash -e\necho\n",
		"crlf.sh": "#!/bin/sh\r\necho\r\n",
		"plain":   "echo hi\n",
		"empty":   "",
		"bin":     "\x00\x01\x02",
		"pe.exe":  "MZ\x90\x00",
		"big.sh":  "#!/bin/sh\n" + strings.Repeat("# padding\n", ScriptCap/10+1),
	})
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	elf, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "prog"), elf, 0o755); err != nil {
		t.Fatal(err)
	}
	c := open(t, dir, "")
	var ops []Op
	for _, n := range []string{"s.sh", "crlf.sh", "plain", "empty", "bin", "pe.exe", "big.sh", "prog"} {
		ops = append(ops, Op{Sources: []string{n}, Dest: "/x/"})
	}
	im := NewImage(c, ops)
	for name, want := range map[string]string{
		"s.sh":    "shebang [/usr/bin/env -S bash -e]",
		"crlf.sh": "shebang [/bin/sh\r]",
		"plain":   "script-without-shebang []",
		"empty":   "script-without-shebang []",
		"bin":     "other []",
		"pe.exe":  "pe []",
		"prog":    "elf []",
		"big.sh":  "shebang [/bin/sh]",
	} {
		f, st := im.Lookup("/x/" + name)
		if st != Found {
			t.Fatalf("%s: %v %s", name, st, f.Reason)
		}
		info := f.Kind()
		got := info.Kind.String() + " [" + strings.Join(info.Interpreter, " ") + "]"
		if got != want {
			t.Errorf("Kind(%s) = %q, want %q", name, got, want)
		}
	}
	f, _ := im.Lookup("/x/big.sh")
	if data, reason := f.Script(); data != nil || reason != "big.sh is larger than 256 KiB, more than cmdfix reads" {
		t.Errorf("Script(big.sh) = %d bytes, %q", len(data), reason)
	}
	if head, reason := f.Head(16); reason != "" || string(head) != "#!/bin/sh\n# padd" {
		t.Errorf("Head(16) = %q, %q", head, reason)
	}
	f, _ = im.Lookup("/x/s.sh")
	if data, reason := f.Script(); reason != "" || !bytes.HasSuffix(data, []byte("echo\n")) {
		t.Errorf("Script(s.sh) = %q, %q", data, reason)
	}
	var nf File
	if _, reason := nf.Script(); reason == "" {
		t.Errorf("a File that was not found must not read")
	}
}

// TestNoShebangWithShell checks the claim KindScriptNoShebang makes: a shell
// runs such a file itself, execve refuses it.
func TestNoShebangWithShell(t *testing.T) {
	dash, err := exec.LookPath("dash")
	if err != nil {
		t.Skip("dash is not installed (Debian package dash)")
	}
	dir := tree(t, map[string]string{"s.sh": "echo hi\n"})
	out, err := exec.Command(dash, "-c", filepath.Join(dir, "s.sh")).Output()
	if err != nil || string(out) != "hi\n" {
		t.Errorf("dash -c s.sh: %q %v", out, err)
	}
	err = exec.Command(filepath.Join(dir, "s.sh")).Run()
	if err == nil || !strings.Contains(err.Error(), "exec format error") {
		t.Errorf("execve(s.sh) = %v, want exec format error", err)
	}
}

func TestLookupWholeContext(t *testing.T) {
	dir := tree(t, map[string]string{
		".dockerignore":   "*\n!bin\n!linked\n",
		"bin/start.sh":    "#!/bin/sh\n",
		"docs/readme.txt": "x",
		"linked":          "->bin",
	})
	c := open(t, dir, filepath.Join(dir, "Dockerfile"))
	im := NewImage(c, []Op{
		{Line: 3, Workdir: "/app", Sources: []string{"."}, Dest: "."},
		{Line: 4, Workdir: "/app", Sources: []string{"./linked/"}, Dest: "/opt/"},
	})
	check(t, im, []lookupCase{
		{"/app/bin/start.sh", Found, "bin/start.sh", ""},
		{"/app/docs/readme.txt", Excluded, "", "COPY at line 3 copies ., but .dockerignore excludes docs/readme.txt from the build context"},
		{"/opt/start.sh", Found, "bin/start.sh", ""}, // a top-level link is followed
		{"/app/linked", Unknown, "", "/app/linked is a folder (bin in the build context, copied at line 3)"},
		{"/app", Unknown, "", "/app is a folder (COPY copies the folder . there at line 3)"},
	})
}

func TestExcludedInFolderKeepsEarlierFile(t *testing.T) {
	dir := tree(t, map[string]string{
		".dockerignore": "app/run.sh\n",
		"run.sh":        "#!/bin/sh\n",
		"app/run.sh":    "#!/bin/bash\n",
		"app/other":     "x",
	})
	c := open(t, dir, "")
	im := NewImage(c, []Op{
		{Line: 2, Sources: []string{"run.sh"}, Dest: "/app/run.sh"},
		{Line: 3, Sources: []string{"app"}, Dest: "/app/"},
	})
	check(t, im, []lookupCase{
		{"/app/run.sh", Found, "run.sh", ""},
		{"/app/other", Found, "app/other", ""},
	})
	im = NewImage(c, []Op{{Line: 3, Sources: []string{"app"}, Dest: "/app/"}})
	check(t, im, []lookupCase{
		{"/app/run.sh", Excluded, "", "COPY at line 3 copies app, but .dockerignore excludes app/run.sh from the build context"},
	})
}
