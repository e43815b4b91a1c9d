package rules

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// The acceptance test of the exec-form rule: every conversion it makes (on
// the corpus, the golden inputs and the shell-word table) is checked
// against the real shells. For each, the original shell text is run in a
// sentinel environment (empty PATH apart from a sentinel program, an
// empty temporary folder as working directory, HOME set to a marker) and
// must yield exactly the array cmdfix wrote:
//
//  1. words: `set -- TEXT; printf '%s\0' "$@"`, with `set -u` (an
//     unset variable is an error) and, in bash, failglob (an unmatched
//     glob is an error), so expansions cannot pass unnoticed. The result
//     must equal the array, or "exec" followed by the array.
//  2. command position: TEXT itself runs, with the program replaced by a
//     sentinel that prints the argv it receives. This is what set -- cannot
//     show: that the first word is a program (not a keyword, assignment,
//     function or redirection) and that a leading exec runs it. When the
//     program is a shell builtin (echo, printf), the builtin's output must
//     equal that of the real program exec form would run.
//
// The shells are /bin/sh (dash here), bash as sh (posix mode, /bin/sh on
// RHEL and Fedora) and bash.

// conversion is one shell-to-exec rewrite cmdfix made.
type conversion struct {
	where string   // file:line it came from
	text  string   // the shell text Docker runs with /bin/sh -c
	argv  []string // the exec-form array cmdfix wrote
}

// sentinelShell is one shell the acceptance test runs.
type sentinelShell struct {
	name  string
	path  string
	argv0 string
	bash  bool
}

func sentinelShells(t *testing.T) []sentinelShell {
	var shells []sentinelShell
	if _, err := os.Stat("/bin/sh"); err == nil {
		shells = append(shells, sentinelShell{name: "/bin/sh", path: "/bin/sh", argv0: "sh"})
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		shells = append(shells,
			sentinelShell{name: "bash as sh", path: bash, argv0: "sh", bash: true},
			sentinelShell{name: "bash", path: bash, argv0: "bash", bash: true})
	}
	if len(shells) == 0 {
		t.Skip("no shell to check conversions against")
	}
	return shells
}

// homeMarker is HOME in the sentinel environment: a tilde that expands
// shows up in the words.
const homeMarker = "/nonexistent/cmdfix-sentinel-home"

// convertedBy returns the conversions the exec-form rule makes in f, read
// back from the text of its fixes with BuildKit's parser.
func convertedBy(t *testing.T, f *dockerfile.File) []conversion {
	var out []conversion
	for _, top := range f.Instructions {
		in := top
		if top.Trigger != nil {
			in = top.Trigger
		}
		v := judgeExecForm(f, in)
		if v == nil || v.fix == nil || (v.outcome != outcomeConverted && v.outcome != outcomeUnsafe) {
			continue
		}
		args := in.Args()
		text := args[len(args)-1] // HEALTHCHECK's first argument is the CMD word
		argv, err := writtenArray(v.fix.Edits[0].Text, f.Escape)
		if err != nil {
			t.Errorf("%s:%d: the fix's text %q does not parse: %v", f.Name, in.Start, v.fix.Edits[0].Text, err)
			continue
		}
		out = append(out, conversion{where: fmt.Sprintf("%s:%d", f.Name, in.Start), text: text, argv: argv})
	}
	return out
}

// writtenArray returns the exec-form array of the last instruction in an
// edit's text (hoisted comments come first).
func writtenArray(text string, escape byte) ([]string, error) {
	src := text
	if escape == '`' {
		src = "# escape=`\n\n" + src
	}
	res, err := parser.Parse(strings.NewReader(src))
	if err != nil {
		return nil, err
	}
	n := res.AST.Children[len(res.AST.Children)-1]
	if !n.Attributes["json"] {
		return nil, fmt.Errorf("not exec form")
	}
	var argv []string
	for a := n.Next; a != nil; a = a.Next {
		argv = append(argv, a.Value)
	}
	if strings.EqualFold(n.Value, "healthcheck") {
		argv = argv[1:]
	}
	return argv, nil
}

func TestExecFormSentinel(t *testing.T) {
	shells := sentinelShells(t)
	seen := map[string]bool{}
	var all []conversion
	add := func(cs []conversion) {
		for _, c := range cs {
			key := c.text + "\x00" + strings.Join(c.argv, "\x00")
			if !seen[key] {
				seen[key] = true
				all = append(all, c)
			}
		}
	}
	sources := map[string]int{}

	goldens, _ := filepath.Glob(filepath.Join(corpus.Root(), "golden", "*", "*.in.Dockerfile"))
	for _, path := range goldens {
		if strings.Contains(path, string(filepath.Separator)+"engine"+string(filepath.Separator)) {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := dockerfile.Parse(path, bytes.TrimPrefix(src, bom))
		if err != nil {
			continue
		}
		cs := convertedBy(t, f)
		sources["golden"] += len(cs)
		add(cs)
	}
	if entries, err := os.ReadDir(corpus.Dir()); err == nil {
		for _, e := range entries {
			path := filepath.Join(corpus.Dir(), e.Name())
			src, err := os.ReadFile(path)
			if err != nil || !e.Type().IsRegular() {
				continue
			}
			f, err := dockerfile.Parse(e.Name(), bytes.TrimPrefix(src, bom))
			if err != nil {
				continue
			}
			cs := convertedBy(t, f)
			sources["corpus"] += len(cs)
			add(cs)
		}
	} else {
		t.Logf("corpus not available at %s: checking golden and table conversions only", corpus.Dir())
	}
	if len(all) < 50 {
		t.Fatalf("only %d conversions to check", len(all))
	}

	stats := map[string]int{}
	for _, c := range all {
		for _, sh := range shells {
			for _, problem := range checkConversion(t, sh, c, stats) {
				t.Errorf("%s under %s: %q → %q: %s", c.where, sh.name, c.text, c.argv, problem)
			}
		}
	}
	var keys []string
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %-60s %d", k, stats[k])
	}
	t.Logf("%d distinct conversions (from %v) checked under %d shells:%s", len(all), sources, len(shells), b.String())
}

// checkConversion runs both checks of c under one shell and returns the
// mismatches. stats counts which checks ran.
func checkConversion(t *testing.T, sh sentinelShell, c conversion, stats map[string]int) []string {
	var problems []string
	dir := t.TempDir()
	work := filepath.Join(dir, "work")
	bin := filepath.Join(dir, "bin")
	for _, d := range []string{work, bin} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	// 1. The words.
	prelude := "set -u\n"
	if sh.bash {
		prelude += "shopt -s failglob\n"
	}
	out, errOut, code := runShell(t, sh, prelude+"set -- "+c.text+"\nprintf '%s\\000' \"$@\"\n", work, bin)
	words := splitNUL(out)
	switch {
	case code != 0 || errOut != "":
		problems = append(problems, fmt.Sprintf("set -- failed (exit %d): %s", code, errOut))
	case slices.Equal(words, c.argv):
	case len(words) > 1 && words[0] == "exec" && slices.Equal(words[1:], c.argv):
	default:
		problems = append(problems, fmt.Sprintf("the shell's words are %q", words))
	}
	stats["words checked with set --"]++

	// 2. The program, in command position.
	prog := c.argv[0]
	text := c.text
	var want0 string
	switch {
	case !strings.Contains(prog, "/"):
		want0 = filepath.Join(bin, prog)
		writeSentinel(t, want0)
	case !strings.HasPrefix(prog, "/") && !strings.Contains(prog, ".."):
		want0 = prog
		writeSentinel(t, filepath.Join(work, prog))
	default:
		// An absolute path: run the text with the program moved under a
		// sentinel root, when the text spells it plainly.
		rewritten, ok := relocateProgram(text, prog, dir+"/root")
		if !ok {
			if _, err := os.Stat(prog); err == nil {
				stats["program position not run (quoted absolute path that exists here)"]++
				return problems
			}
			_, errOut, code := runShell(t, sh, text, work, bin)
			if code != 127 || !strings.Contains(errOut, prog) {
				problems = append(problems, fmt.Sprintf("the shell did not try to run %q (exit %d): %s", prog, code, errOut))
			}
			stats["program position checked by its not-found error"]++
			return problems
		}
		text = rewritten
		want0 = dir + "/root" + prog
		writeSentinel(t, want0)
	}
	out, errOut, code = runShell(t, sh, text, work, bin)
	got := splitNUL(out)
	want := append([]string{want0}, c.argv[1:]...)
	if code == 0 && errOut == "" && slices.Equal(got, want) {
		stats["program position checked with a sentinel program"]++
		return problems
	}
	// A builtin ran instead of the sentinel: its output must equal that
	// of the program exec form runs.
	kind, _, _ := runShell(t, sh, "command -V "+shellQuote(prog), work, bin)
	if !strings.Contains(kind, "builtin") {
		return append(problems, fmt.Sprintf("in command position the sentinel got %q (exit %d, stderr %q), want %q", got, code, errOut, want))
	}
	real := ""
	for _, d := range []string{"/usr/bin", "/bin"} {
		if _, err := os.Stat(filepath.Join(d, prog)); err == nil {
			real = filepath.Join(d, prog)
			break
		}
	}
	switch prog {
	case "echo", "printf", "true", "false", "test", "[", "pwd":
	default:
		return append(problems, fmt.Sprintf("%q is a builtin the harness cannot compare with its program", prog))
	}
	if real == "" {
		stats["builtin not compared (no program here)"]++
		return problems
	}
	bout, _, bcode := runShell(t, sh, c.text, work, bin)
	cmd := exec.Command(real, c.argv[1:]...)
	cmd.Dir, cmd.Env = work, sentinelEnv(bin)
	var pout bytes.Buffer
	cmd.Stdout = &pout
	pcode := 0
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			pcode = ee.ExitCode()
		} else {
			return append(problems, fmt.Sprintf("running %s: %v", real, err))
		}
	}
	if bout != pout.String() || bcode != pcode {
		problems = append(problems, fmt.Sprintf("builtin %s prints %q (exit %d) but %s prints %q (exit %d)", prog, bout, bcode, real, pout.String(), pcode))
	}
	stats["builtin compared with its program"]++
	return problems
}

// plainPath is a path the shell reads as one literal word.
var plainPath = regexp.MustCompile(`^[A-Za-z0-9/._+-]+$`)

// relocateProgram returns text with its leading program word prog (after
// an optional exec) prefixed with root, when prog is spelled plainly there.
func relocateProgram(text, prog, root string) (string, bool) {
	if !plainPath.MatchString(prog) {
		return "", false
	}
	rest := strings.TrimLeft(text, " \t")
	lead := text[:len(text)-len(rest)]
	if after, ok := strings.CutPrefix(rest, "exec"); ok && after != "" && (after[0] == ' ' || after[0] == '\t') {
		trimmed := strings.TrimLeft(after, " \t")
		lead += rest[:len(rest)-len(trimmed)]
		rest = trimmed
	}
	after, ok := strings.CutPrefix(rest, prog)
	if !ok || (after != "" && after[0] != ' ' && after[0] != '\t') {
		return "", false
	}
	return lead + root + prog + after, true
}

func writeSentinel(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	// The sentinel prints the path it was run as and its arguments.
	if err := os.WriteFile(path, []byte("#!/bin/sh\nprintf '%s\\000' \"$0\" \"$@\"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func sentinelEnv(bin string) []string {
	return []string{"PATH=" + bin, "HOME=" + homeMarker}
}

// runShell runs script with sh -c in the sentinel environment.
func runShell(t *testing.T, sh sentinelShell, script, dir, bin string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, sh.path, "-c", script)
	cmd.Args[0] = sh.argv0
	cmd.Dir, cmd.Env = dir, sentinelEnv(bin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running %s: %v", sh.name, err)
	}
	return out.String(), errb.String(), code
}

func splitNUL(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\x00"), "\x00")
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// TestSentinelCatchesWrongConversions feeds the harness conversions a naive
// tool would make; each must be caught by at least one shell.
func TestSentinelCatchesWrongConversions(t *testing.T) {
	shells := sentinelShells(t)
	for _, c := range []conversion{
		{text: "echo $HOME", argv: []string{"echo", "$HOME"}},
		{text: "app ${PORT:-80}", argv: []string{"app", "${PORT:-80}"}},
		{text: "app $(printf x)", argv: []string{"app", "$(printf x)"}},
		{text: "app *.txt", argv: []string{"app", "*.txt"}},
		{text: "echo {a,b}", argv: []string{"echo", "{a,b}"}},
		{text: "app ~/x", argv: []string{"app", "~/x"}},
		{text: "app a=~/x", argv: []string{"app", "a=~/x"}},
		{text: "FOO=1 app", argv: []string{"FOO=1", "app"}},
		{text: "time app", argv: []string{"time", "app"}},
		{text: "! app", argv: []string{"!", "app"}},
		{text: "app > out", argv: []string{"app"}},
		{text: "app a\\ b", argv: []string{"app", "a\\ b"}},
		{text: "nginx -g 'daemon off;'", argv: []string{"nginx", "-g", "'daemon", "off;'"}},
		{text: "exec app", argv: []string{"exec", "app"}},
		{text: "echo 'a\\tb'", argv: []string{"echo", "a\\tb"}},
		{text: "/usr/local/bin/app x", argv: []string{"/usr/local/bin/app", "y"}},
		{text: "app # note", argv: []string{"app", "#", "note"}},
	} {
		caught := false
		for _, sh := range shells {
			if len(checkConversion(t, sh, c, map[string]int{})) > 0 {
				caught = true
			}
		}
		if !caught {
			t.Errorf("the harness accepted the wrong conversion %q → %q", c.text, c.argv)
		}
	}
}

var execFormReport = flag.Bool("exec-form-report", false, "TestExecFormCorpusReport: print what exec-form decides over the corpus")

// TestExecFormCorpusReport reports what the exec-form and json-array rules
// decide for every shell-form CMD, ENTRYPOINT and HEALTHCHECK CMD in the
// corpus, grouped by outcome and reason. It is a report, not a check, so
// it runs only when asked:
//
//	go test ./rewrite/rules -run TestExecFormCorpusReport -exec-form-report -v
func TestExecFormCorpusReport(t *testing.T) {
	if !*execFormReport {
		t.Skip("a report: run with -exec-form-report -v")
	}
	files := corpus.Files(t)
	type key struct{ outcome, kind string }
	counts := map[key]int{}
	outcomes := map[string]int{}
	var total, parsed int
	example := map[key]string{}
	jsonArray := map[string]int{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := dockerfile.Parse(filepath.Base(path), bytes.TrimPrefix(src, bom))
		if err != nil {
			continue
		}
		parsed++
		for _, top := range f.Instructions {
			in := top
			if top.Trigger != nil {
				in = top.Trigger
			}
			if text, ok := arrayCandidateText(in); ok {
				if pa, ok := readPseudoArray(text); ok {
					switch {
					case pa.problem != "":
						jsonArray["reported: not a list of quoted strings"]++
					case len(pa.defects) > 0:
						jsonArray["repaired ("+strings.Join(pa.defects, ", ")+")"]++
					}
					if in.Keyword != "run" && in.Keyword != "shell" {
						total++
						k := key{"handled by json-array", "pseudo-JSON array"}
						counts[k]++
						outcomes[k.outcome]++
						if _, ok := example[k]; !ok {
							example[k] = fmt.Sprintf("%s:%d %s", f.Name, in.Start, clip.N(text, 50))
						}
					}
					continue
				}
			}
			v := judgeExecForm(f, in)
			if v == nil {
				continue
			}
			total++
			k := key{v.outcome, v.kind}
			counts[k]++
			outcomes[v.outcome]++
			if _, ok := example[k]; !ok {
				example[k] = fmt.Sprintf("%s:%d %s", f.Name, in.Start, clip.N(v.text, 50))
			}
		}
	}
	if total == 0 {
		t.Fatal("no shell-form CMD, ENTRYPOINT or HEALTHCHECK found in the corpus")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "exec-form over %d parsed corpus files: %d shell-form CMD/ENTRYPOINT/HEALTHCHECK CMD instructions (ONBUILD triggers included)\n", parsed, total)
	for _, o := range []string{outcomeConverted, outcomeUnsafe, outcomeWrapped, outcomeLeft, "handled by json-array"} {
		fmt.Fprintf(&b, "  %-58s %5d\n", o+":", outcomes[o])
		var ks []key
		for k := range counts {
			if k.outcome == o {
				ks = append(ks, k)
			}
		}
		sort.Slice(ks, func(i, j int) bool {
			if counts[ks[i]] != counts[ks[j]] {
				return counts[ks[i]] > counts[ks[j]]
			}
			return ks[i].kind < ks[j].kind
		})
		for _, k := range ks {
			fmt.Fprintf(&b, "      %-54s %5d   e.g. %s\n", k.kind, counts[k], example[k])
		}
	}
	fmt.Fprintf(&b, "json-array over the same files (CMD, ENTRYPOINT, RUN, SHELL, HEALTHCHECK):\n")
	var jk []string
	for k := range jsonArray {
		jk = append(jk, k)
	}
	sort.Strings(jk)
	for _, k := range jk {
		fmt.Fprintf(&b, "  %-58s %5d\n", k, jsonArray[k])
	}
	t.Log("\n" + b.String())
}

// bom is the UTF-8 byte-order mark, which BuildKit ignores.
var bom = []byte("\xef\xbb\xbf")
