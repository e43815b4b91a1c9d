package rewrite

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestExecFormDocExamples runs the examples in docs/rules/exec-form.md and
// json-array.md (with the flags an example names) and checks the output and
// findings they show, so the documented messages are the ones the rules
// emit.
func TestExecFormDocExamples(t *testing.T) {
	for _, r := range []*Rule{execFormRule, jsonArrayRule} {
		path := filepath.Join("..", "docs", "rules", r.Name+".md")
		doc, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		examples := docExamples(t, path, string(doc))
		if len(examples) < 3 {
			t.Fatalf("%s: only %d examples", path, len(examples))
		}
		for i, ex := range examples {
			opts := parseGoldenFlags(t, ex["flags"])
			res, err := process("Dockerfile", []byte(ex["before"]), opts, []*Rule{r})
			if err != nil {
				t.Errorf("%s example %d: %v", path, i+1, err)
				continue
			}
			want, ok := ex["after"]
			if !ok {
				want = ex["before"]
			}
			if string(res.Output) != want {
				t.Errorf("%s example %d: output differs:\n%s", path, i+1, UnifiedDiff("doc", "cmdfix", []byte(want), res.Output))
			}
			var got strings.Builder
			for _, fd := range res.Findings {
				got.WriteString("Dockerfile:" + goldenFinding(fd) + "\n")
			}
			if got.String() != ex["findings"] {
				t.Errorf("%s example %d: findings differ:\n%s", path, i+1, UnifiedDiff("doc", "cmdfix", []byte(ex["findings"]), []byte(got.String())))
			}
		}
	}
}

// TestExecFormDocMessages checks that every message listed under "Other
// messages" in docs/rules/exec-form.md is one the rule emits in a golden
// case.
func TestExecFormDocMessages(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "rules", "exec-form.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "## Other messages")
	if !ok {
		t.Fatal("exec-form.md has no \"Other messages\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var emitted []string
	diags, _ := filepath.Glob(filepath.Join(goldenDir, "*", "*.diag"))
	for _, d := range diags {
		for _, l := range strings.Split(string(readFile(t, d)), "\n") {
			if _, msg, ok := strings.Cut(l, ": exec-form: "); ok {
				emitted = append(emitted, msg)
			}
		}
	}
	bullets := regexp.MustCompile("(?m)^- ``(.*)``$").FindAllStringSubmatch(section, -1)
	if len(bullets) < 5 {
		t.Fatalf("only %d messages listed", len(bullets))
	}
	for _, b := range bullets {
		found := false
		for _, m := range emitted {
			if strings.HasPrefix(m, b[1]) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("exec-form.md lists %q, which no golden case emits", b[1])
		}
	}
}
