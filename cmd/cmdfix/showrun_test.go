package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// showRunSchema compiles docs/show-run.schema.json.
func showRunSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	const url = "https://github.com/cmdfix/cmdfix/blob/main/docs/show-run.schema.json"
	data, err := os.ReadFile("../../docs/show-run.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestShowRunSchemaCatchesMistakes: the schema rejects reports that break
// it, so the test below can fail.
func TestShowRunSchemaCatchesMistakes(t *testing.T) {
	s := showRunSchema(t)
	stage := `{"index":0,"line":1,"from":"scratch","windows":false,"run":[],"run_with_args":[],"args":"replace-cmd",` +
		`"entrypoint":{"state":"none","origin":{"kind":"base-image","image":"scratch","text":"t"}},` +
		`"cmd":{"state":"none","origin":{"kind":"base-image","image":"scratch","text":"t"}}}`
	report := func(stage string) string {
		return `{"version":1,"tool":{"name":"cmdfix","version":"devel"},"files":[{"file":"D","stages":[` + stage + `]}]}`
	}
	if err := validate(s, []byte(report(stage))); err != nil {
		t.Fatalf("the schema rejects a good report: %v", err)
	}
	for _, bad := range []string{
		strings.Replace(stage, `"replace-cmd"`, `"replace"`, 1),
		strings.Replace(stage, `"state":"none"`, `"state":"set"`, 1),
		strings.Replace(stage, `"kind":"base-image","image":"scratch"`, `"kind":"stage"`, 1),
		strings.Replace(stage, `"run":[]`, `"run":"x"`, 1),
	} {
		if validate(s, []byte(report(bad))) == nil {
			t.Errorf("the schema accepts %s", bad)
		}
	}
	if validate(s, []byte(`{"version":1,"tool":{"name":"cmdfix","version":"devel"},"files":[{"file":"D","stages":[],"error":"e"}]}`)) == nil {
		t.Error("the schema accepts a file with both stages and an error")
	}
}

// TestShowRunMatchesSchema checks --show-run's JSON against its schema for
// the Dockerfiles of the show_run scripts, a file that cannot be parsed, a
// missing one, and every file of the corpus.
func TestShowRunMatchesSchema(t *testing.T) {
	s := showRunSchema(t)
	dir := t.TempDir()
	var paths []string
	for _, script := range []string{"show_run.txtar", "show_run_io.txtar"} {
		ar, err := txtar.ParseFile(filepath.Join("testdata", "script", script))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if !strings.HasSuffix(f.Name, ".Dockerfile") {
				continue
			}
			p := filepath.Join(dir, strings.TrimSuffix(script, ".txtar")+"-"+f.Name)
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, p)
		}
	}
	if len(paths) < 10 {
		t.Fatalf("only %d Dockerfiles in the show_run scripts", len(paths))
	}
	check := func(paths []string) []byte {
		t.Helper()
		var out, errs bytes.Buffer
		run(append([]string{"--show-run", "--output-format", "json"}, paths...), strings.NewReader(""), &out, &errs)
		if err := validate(s, out.Bytes()); err != nil {
			t.Errorf("--show-run's JSON does not match its schema: %v\n%s", err, errs.String())
		}
		return out.Bytes()
	}
	out := check(append(paths, filepath.Join(dir, "missing")))
	if !bytes.Contains(out, []byte(`"state": "reset"`)) || !bytes.Contains(out, []byte(`"kind": "onbuild-trigger"`)) || !bytes.Contains(out, []byte(`"error": "`)) {
		t.Errorf("the scripts' files lack a reset CMD, a trigger or an error:\n%s", out)
	}
	if testing.Short() {
		return
	}
	out = check(corpus.Files(t))
	if n := bytes.Count(out, []byte(`"index": `)); n < 3000 {
		t.Errorf("the corpus report has %d stages", n)
	}
}
