package rewrite

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// Fuzz targets. Plain `go test` runs their seeds (the golden inputs and the
// shared corpus) as ordinary tests; `make fuzz` fuzzes each for FUZZTIME.

// fuzzSeedFiles returns the golden inputs and, unless -short, the files
// of the shared corpus (../../shared/corpus from here; absent is fine).
func fuzzSeedFiles(f *testing.F) [][]byte {
	paths, _ := filepath.Glob(filepath.Join(goldenDir, "*", "*.in.Dockerfile"))
	if !testing.Short() {
		corpus, _ := filepath.Glob(filepath.Join("..", "..", "shared", "corpus", "*"))
		for _, p := range corpus {
			switch filepath.Base(p) {
			case "SOURCES.md", "manifest.tsv", ".gitattributes":
				continue
			}
			paths = append(paths, p)
		}
	}
	var out [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// FuzzProcess runs the whole engine, with cmdfix's rules and with the
// engine's test rules, on any input: it must not panic; a file BuildKit
// parses must come out parsable; a second run must change nothing; and the
// safety net must never fire on the engine's own output.
func FuzzProcess(f *testing.F) {
	for _, src := range fuzzSeedFiles(f) {
		f.Add(src, uint8(0))
	}
	f.Add([]byte("FROM a\nCMD REPLACE \\\n  # c\n  TWICE\nRUN INSERT\nCMD REMOVE\nCMD UNSAFE\n"), uint8(1))
	f.Add([]byte("\ufeff# escape=`\r\nFROM a\r\nRUN REPLACE `\r\n  x\r\n"), uint8(0))
	f.Fuzz(func(t *testing.T, src []byte, flags uint8) {
		opts := Options{
			Unsafe:   flags&1 != 0,
			Split:    flags&2 != 0,
			NoFormat: flags&4 != 0,
			Indent:   int(flags>>3)%8 + 1,
		}
		checkEngine(t, src, opts, registry, false)
		// The test rules remove any instruction asked to (REMOVE), even
		// all of them, or all before one that is not an instruction.
		checkEngine(t, src, opts, engineTestRules, true)
	})
}

func checkEngine(t *testing.T, src []byte, opts Options, rules []*Rule, testRules bool) {
	t.Helper()
	res, err := process("Dockerfile", src, opts, rules)
	var ie *InternalError
	if errors.As(err, &ie) {
		t.Fatalf("safety net fired on the engine's own output: %v", err)
	}
	body := bytes.TrimPrefix(src, bom)
	f, parseErr := Parse("Dockerfile", body)
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Msg == "" {
			t.Fatalf("error is not a ParseError with a message: %#v", err)
		}
		if parseErr == nil && bytes.IndexByte(src, 0) < 0 && isInstruction(f.Instructions[0].Keyword) {
			t.Fatalf("Process fails on a Dockerfile Parse accepts: %v", err)
		}
		return
	}
	if errors.Is(parseErr, errNoInstructions) {
		if !bytes.Equal(res.Output, src) || res.Changed {
			t.Fatalf("a file with no instructions changed:\n%q\n%q", src, res.Output)
		}
		return
	}
	if parseErr != nil {
		t.Fatalf("Process accepted a file Parse rejects (%v)", parseErr)
	}
	out, err := Parse("Dockerfile", bytes.TrimPrefix(res.Output, bom))
	if err != nil && !(testRules && errors.Is(err, errNoInstructions)) {
		t.Fatalf("output does not parse: %v\ninput:\n%q\noutput:\n%q", err, src, res.Output)
	}
	if testRules && err == nil && !isInstruction(out.Instructions[0].Keyword) {
		return // no longer taken for a Dockerfile
	}
	if res.Changed == bytes.Equal(res.Output, src) {
		t.Fatalf("Changed = %v, but output and input equal = %v", res.Changed, !res.Changed)
	}
	again, err := process("Dockerfile", res.Output, opts, rules)
	if err != nil {
		t.Fatalf("second run failed: %v\ninput:\n%q\noutput:\n%q", err, src, res.Output)
	}
	if !bytes.Equal(again.Output, res.Output) {
		t.Fatalf("second run changed the output again:\n%s", UnifiedDiff("first", "second", res.Output, again.Output))
	}
}

// FuzzJSONArray checks the exec-form writer: it refuses exactly the
// arguments that are not UTF-8; its output is one line, has no HTML
// escapes, decodes with encoding/json to the same strings, and BuildKit
// reads CMD <output> as an exec-form CMD with the same arguments.
func FuzzJSONArray(f *testing.F) {
	for _, args := range [][]string{
		{"python", "app.py", "--port=8080"},
		{"sh", "-c", "a && b > c < d"},
		{"", " ", "\t\r\n"},
		{`"quoted"`, `back\slash`, `C:\`},
		{"\x00\x01\x1f\x7f", "\u2028\u2029\u0085", "ünïcödé ✓"},
		{"\xff", "a", "b"},
		{"$HOME", "${X:-y}", "`cmd`"},
		{"#", "]", "["},
	} {
		for n := range 4 {
			f.Add(args[0], args[1], args[2], uint8(n))
		}
	}
	f.Fuzz(func(t *testing.T, a, b, c string, n uint8) {
		args := []string{a, b, c}[:n%4]
		out, ok := JSONArray(args)
		valid := !slices.ContainsFunc(args, func(s string) bool { return !utf8.ValidString(s) })
		if ok != valid {
			t.Fatalf("JSONArray(%q) ok = %v, but arguments valid UTF-8 = %v", args, ok, valid)
		}
		if !ok {
			return
		}
		if strings.ContainsAny(out, "\n\r") || strings.Contains(out, `\u003c`) || strings.Contains(out, `\u0026`) {
			t.Fatalf("JSONArray(%q) = %s: not one line, or HTML-escaped", args, out)
		}
		var back []string
		if err := json.Unmarshal([]byte(out), &back); err != nil {
			t.Fatalf("JSONArray(%q) = %s does not decode: %v", args, out, err)
		}
		if !slices.Equal(back, args) {
			t.Fatalf("JSONArray(%q) = %s decodes to %q", args, out, back)
		}
		res, err := parser.Parse(strings.NewReader("CMD " + out + "\n"))
		if err != nil {
			t.Fatalf("BuildKit rejects CMD %s: %v", out, err)
		}
		if len(res.AST.Children) != 1 || !res.AST.Children[0].Attributes["json"] {
			t.Fatalf("BuildKit does not read CMD %s as one exec-form instruction", out)
		}
		var got []string
		for n := res.AST.Children[0].Next; n != nil; n = n.Next {
			got = append(got, n.Value)
		}
		if !slices.Equal(got, args) {
			t.Fatalf("BuildKit reads CMD %s as %q, want %q", out, got, args)
		}
	})
}

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
	for _, src := range fuzzSeedFiles(f) {
		file, err := Parse("seed", bytes.TrimPrefix(src, bom))
		if err != nil {
			continue
		}
		for _, in := range file.Instructions {
			if in.Trigger != nil {
				in = in.Trigger
			}
			args := in.Args()
			if in.Keyword == "run" || in.JSON() || len(args) == 0 || !isShellText(in.Keyword, len(args)-1, args) || seen[args[len(args)-1]] {
				continue
			}
			seen[args[len(args)-1]] = true
			f.Add(args[len(args)-1])
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
		sc, reason := ShellWords(cmd)
		argv, comment, execReason := ExecArgv(cmd)
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
