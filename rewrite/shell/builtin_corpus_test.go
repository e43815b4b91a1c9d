package shell

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mvdan.cc/sh/v3/syntax"
)

// corpusDir is the shared corpus of real Dockerfiles, beside the project.
const corpusDir = "../../../shared/corpus"

// shellFormCommand matches a shell-form CMD, ENTRYPOINT or HEALTHCHECK CMD
// line (not a JSON array) and captures its text.
var shellFormCommand = regexp.MustCompile(`(?i)^\s*(?:CMD|ENTRYPOINT|HEALTHCHECK\s+(?:--\S+\s+)*CMD)\s+([^\[\s].*)$`)

// corpusCommand is a shell-form text from the corpus and its words.
type corpusCommand struct {
	text string
	argv []string
}

// corpusBuiltinCommands returns the distinct shell-form commands of the
// corpus that are one simple command of literal words whose program is a
// builtin.
func corpusBuiltinCommands(t *testing.T) []corpusCommand {
	t.Helper()
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("corpus not available at %s (%v): corpus test skipped", corpusDir, err)
	}
	seen := map[string]bool{}
	var out []corpusCommand
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(corpusDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if strings.Contains(strings.ToLower(text), "escape=`") {
			continue // backtick escape: Windows files, not sh
		}
		// Join continuation lines as BuildKit does with the default escape.
		text = strings.ReplaceAll(text, "\\\r\n", "")
		text = strings.ReplaceAll(text, "\\\n", "")
		for _, line := range strings.Split(text, "\n") {
			m := shellFormCommand.FindStringSubmatch(strings.TrimRight(line, "\r"))
			if m == nil {
				continue
			}
			argv, ok := simpleLiteralCommand(m[1])
			if !ok {
				continue
			}
			if _, isBuiltin := Builtin(argv[0]); !isBuiltin {
				continue
			}
			if text := strings.TrimSpace(m[1]); !seen[text] {
				seen[text] = true
				out = append(out, corpusCommand{text, argv})
			}
		}
	}
	return out
}

// simpleLiteralCommand returns the words of text when it is one simple
// command of literal words, with no assignments and no redirections.
func simpleLiteralCommand(text string) ([]string, bool) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(text), "")
	if err != nil || len(f.Stmts) != 1 {
		return nil, false
	}
	st := f.Stmts[0]
	call, ok := st.Cmd.(*syntax.CallExpr)
	if !ok || st.Negated || st.Background || len(st.Redirs) > 0 || len(call.Assigns) > 0 || len(call.Args) == 0 {
		return nil, false
	}
	var argv []string
	for _, w := range call.Args {
		s, ok := plainWord(w)
		if !ok {
			return nil, false
		}
		argv = append(argv, s)
	}
	return argv, true
}

// TestBuiltinCorpus runs the corpus's shell-form commands whose program is
// a builtin both ways on every platform found: each one ExecEquivalent
// accepts must behave the same. Refused ones are counted, not required to
// differ (some are refused for cases the corpus does not show).
func TestBuiltinCorpus(t *testing.T) {
	samples := corpusBuiltinCommands(t)
	if len(samples) == 0 {
		t.Fatal("no shell-form command with a builtin program found in the corpus")
	}
	r, root := newRunner(t)
	ps, _ := platforms(t, root)
	var accepted, refused, refusedSame int
	for _, c := range samples {
		argv := c.argv
		ok, reason := ExecEquivalent(argv)
		var diffs []string
		for _, p := range ps {
			sh := r.shellForm(t, c.text, p)
			ex := r.execForm(t, argv, p)
			if sh != ex {
				diffs = append(diffs, fmt.Sprintf("%s:\n\tshell form: %v\n\texec form:  %v", p.name, sh, ex))
			}
		}
		switch {
		case ok && len(diffs) > 0:
			t.Errorf("%s: ExecEquivalent(%q) = true, but the forms differ:\n%s", c.text, argv, strings.Join(diffs, "\n"))
		case ok:
			accepted++
		case len(diffs) == 0:
			refused++
			refusedSame++
			t.Logf("%s: refused (%s), measured the same here", c.text, reason)
		default:
			refused++
		}
	}
	t.Logf("corpus: %d distinct builtin commands, %d accepted and measured the same, %d refused (%d of them measured the same here)", len(samples), accepted, refused, refusedSame)
}
