package shell_test

import (
	"bytes"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/shell"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// FuzzShellWords checks the shell-literal analysis against two oracles. An
// accepted command of one line (BuildKit's always are) must have words
// (and ExecArgv's argv) equal to what mvdan.cc/sh/v3/expand yields for it,
// parsed as POSIX sh and as bash, in an empty environment, and to what
// dash and bash themselves make of it (when installed) in an empty
// environment and an empty folder. A rejected command must come with a
// reason and no words.
func FuzzShellWords(f *testing.F) {
	for _, s := range []string{
		"python app.py --port=8080",
		`nginx -g "daemon off;"`,
		"exec gunicorn -b 0.0.0.0:8000 app:app # serve",
		`echo 'it''s' "a\"b" a\ b 'c\d' "e\\f" "\$x"`,
		"a\tb  c", `"" ''`, `printf '%s\n' x`, "ls -la /",
		"echo $HOME", "a && b", "a | b", "a; b", "a > f", "X=1 a", "cd /", "*.txt", "{a,b}", "~/x",
		"$'a\\tb'", `$"x"`, "a # b\nc", "if true; then a; fi", "a\\\nb", "`x`", "$(x)", "a &",
	} {
		f.Add(s)
	}
	// The shell-form CMD, ENTRYPOINT and HEALTHCHECK texts of the golden
	// inputs and the corpus: what the exec-form rule meets.
	seen := map[string]bool{}
	for _, src := range corpus.Seeds(f) {
		file, err := dockerfile.Parse("seed", bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))
		if err != nil {
			continue
		}
		for _, in := range file.Instructions {
			if in.Trigger != nil {
				in = in.Trigger
			}
			text, ok := in.CommandText()
			if !ok || text == "" || seen[text] {
				continue
			}
			seen[text] = true
			f.Add(text)
		}
	}
	var shells []string
	for _, sh := range []string{"dash", "bash"} {
		if p, err := exec.LookPath(sh); err == nil {
			shells = append(shells, p)
		}
	}
	empty := f.TempDir()
	f.Fuzz(func(t *testing.T, cmd string) {
		sc, err := shell.Words(cmd)
		argv, comment, execErr := shell.ExecArgv(cmd)
		reason, execReason := "", ""
		if err != nil {
			reason = err.Error()
		}
		if execErr != nil {
			execReason = execErr.Error()
		}
		if reason != "" {
			if len(sc.Words) != 0 || sc.Comment != "" {
				t.Fatalf("ShellWords(%q) rejected it (%s) but returned %q", cmd, reason, sc)
			}
			if execReason == "" || argv != nil {
				t.Fatalf("ExecArgv(%q) = %q although ShellWords rejected it (%s)", cmd, argv, reason)
			}
			return
		}
		if len(sc.Words) == 0 {
			t.Fatalf("ShellWords(%q) accepted it with no words", cmd)
		}
		if execReason == "" {
			want := sc.Words
			if want[0] == "exec" {
				want = want[1:]
			}
			if !slices.Equal(argv, want) || comment != sc.Comment {
				t.Fatalf("ExecArgv(%q) = %q %q, ShellWords = %q", cmd, argv, comment, sc)
			}
		} else if argv != nil {
			t.Fatalf("ExecArgv(%q) rejected it (%s) but returned %q", cmd, execReason, argv)
		}
		if strings.Contains(cmd, "\n") {
			// BuildKit hands over one line. Past a line break mvdan.cc/sh's
			// expand is not an oracle: it keeps a backslash-newline at the
			// end as text, where dash and bash drop it.
			return
		}
		for _, lang := range []syntax.LangVariant{syntax.LangPOSIX, syntax.LangBash} {
			file, err := syntax.NewParser(syntax.Variant(lang)).Parse(strings.NewReader(cmd), "")
			if err != nil {
				t.Fatalf("ShellWords(%q) accepted what %s cannot parse: %v", cmd, lang, err)
			}
			if len(file.Stmts) != 1 {
				t.Fatalf("ShellWords(%q) accepted %d statements (%s)", cmd, len(file.Stmts), lang)
			}
			call, ok := file.Stmts[0].Cmd.(*syntax.CallExpr)
			if !ok || len(call.Assigns) > 0 || len(file.Stmts[0].Redirs) > 0 {
				t.Fatalf("ShellWords(%q) accepted something that is not a plain simple command (%s)", cmd, lang)
			}
			got, err := expand.Fields(&expand.Config{Env: expand.ListEnviron()}, call.Args...)
			if err != nil || !slices.Equal(got, sc.Words) {
				t.Fatalf("ShellWords(%q) = %q, but expand.Fields (%s) = %q (%v)", cmd, sc.Words, lang, got, err)
			}
		}
		for _, sh := range shells {
			got := shellWordsOf(t, sh, cmd, empty)
			if !slices.Equal(got, sc.Words) {
				t.Fatalf("ShellWords(%q) = %q, but %s reads %q", cmd, sc.Words, sh, got)
			}
		}
	})
}

// shellWordsOf returns the words the shell makes of cmd, as arguments of
// `set --`, in an empty environment and an empty folder.
func shellWordsOf(t *testing.T, sh, cmd, dir string) []string {
	t.Helper()
	c := exec.Command(sh, "-c", "set -- "+cmd+"\nprintf '%s\\0' \"$@\"")
	c.Dir = dir
	c.Env = []string{}
	var out, stderr bytes.Buffer
	c.Stdout, c.Stderr = &out, &stderr
	if err := c.Run(); err != nil {
		t.Fatalf("%s could not read %q: %v %s", sh, cmd, err, stderr.String())
	}
	words := strings.Split(out.String(), "\x00")
	return words[:len(words)-1]
}
