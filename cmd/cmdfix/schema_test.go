package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The JSON report is checked against docs/report.schema.json (JSON Schema
// draft 2020-12) and SARIF logs against the OASIS SARIF 2.1.0 schema
// (testdata/schema, see its README), with a real validator.
var (
	schemasOnce                sync.Once
	reportSchema, sarifSchemaV *jsonschema.Schema
	schemasErr                 error
)

func schemas(tb interface{ Fatal(...any) }) (report, sarif *jsonschema.Schema) {
	schemasOnce.Do(func() {
		compile := func(file, url string) *jsonschema.Schema {
			data, err := os.ReadFile(file)
			if err != nil {
				schemasErr = err
				return nil
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				schemasErr = fmt.Errorf("%s: %v", file, err)
				return nil
			}
			c := jsonschema.NewCompiler()
			c.AssertFormat()
			if err := c.AddResource(url, doc); err != nil {
				schemasErr = err
				return nil
			}
			s, err := c.Compile(url)
			if err != nil {
				schemasErr = fmt.Errorf("%s: %v", file, err)
			}
			return s
		}
		reportSchema = compile("../../docs/report.schema.json", "https://github.com/cmdfix/cmdfix/blob/main/docs/report.schema.json")
		sarifSchemaV = compile("testdata/schema/sarif-schema-2.1.0.json", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
	})
	if schemasErr != nil {
		tb.Fatal(schemasErr)
	}
	return reportSchema, sarifSchemaV
}

// validate checks a report against a schema and returns the error.
func validate(s *jsonschema.Schema, data []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	return s.Validate(v)
}

// validateReport runs cmdfix with args and checks its report against the
// schema for format.
func validateReport(t *testing.T, format string, args ...string) []byte {
	t.Helper()
	report, sarif := schemas(t)
	var out, errs bytes.Buffer
	if code := run(append([]string{"--output-format", format}, args...), strings.NewReader("FROM alpine\nCMD python app.py\n"), &out, &errs); code > 2 {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	s := report
	if format == formatSARIF {
		s = sarif
	}
	if err := validate(s, out.Bytes()); err != nil {
		t.Errorf("cmdfix %s: the %s report does not match its schema: %v", strings.Join(args, " "), format, err)
	}
	return out.Bytes()
}

// TestSchemasCatchMistakes: the schemas, as compiled, reject a report
// that breaks them (so the tests below can fail).
func TestSchemasCatchMistakes(t *testing.T) {
	report, sarif := schemas(t)
	for _, bad := range []string{
		`{"files":[]}`,
		`{"version":2,"tool":{"name":"cmdfix","version":"devel"},"files":[]}`,
		`{"version":1,"tool":{"name":"cmdfix","version":"devel"},"files":[{"path":"D","changed":false,"findings":[{"rule":"x","severity":"fatal","line":1,"end_line":1,"column":1,"message":"m","fixed":false,"before":""}]}]}`,
		`{"version":1,"tool":{"name":"cmdfix","version":"devel"},"files":[{"path":"D","changed":false,"findings":[{"rule":"x","severity":"info","line":1,"end_line":1,"column":1,"message":"m","fixed":false,"before":"","fix":"f"}]}]}`,
	} {
		if validate(report, []byte(bad)) == nil {
			t.Errorf("report schema accepts %s", bad)
		}
	}
	if validate(sarif, []byte(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"severe"}]}]}`)) == nil {
		t.Error("SARIF schema accepts a result with level severe")
	}
}

// TestReportsMatchSchemas runs each output mode over files with every kind
// of finding, fix and failure, and checks both reports.
func TestReportsMatchSchemas(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"fixable/Dockerfile":   "FROM python:3.12-slim\nCMD python app.py\n",
		"unsafe/Dockerfile":    "FROM alpine\nENTRYPOINT /usr/local/bin/worker\nCMD [\"--verbose\"]\n",
		"split/Dockerfile":     "FROM alpine\nENTRYPOINT [\"/usr/bin/influxd\", \"--config\", \"/etc/x.conf\"]\n",
		"redundant/Dockerfile": "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n",
		"format/Dockerfile":    "FROM alpine\nrun apk add \\\n  curl\n",
		"bad/Dockerfile":       "FROM alpine\nCMD [\"a\", 1]\n",
		"é dir/Dockerfile":     "FROM alpine\nCMD echo \"ünï\" 😀\n",
	}
	for name, src := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, format := range []string{formatJSON, formatSARIF} {
		for _, args := range [][]string{{dir}, {"--check", dir}, {"--unsafe", "--split", dir}, {"--no-format", dir}, {"--stdin-filename", "x/Dockerfile"}, {}, {filepath.Join(dir, "missing")}} {
			validateReport(t, format, append([]string{"--no-config"}, args...)...)
		}
	}
	out := validateReport(t, formatJSON, "--no-config", "-w", dir)
	if !bytes.Contains(out, []byte(`"written": true`)) || !bytes.Contains(out, []byte(`"version": 1`)) {
		t.Errorf("the -w report lacks written or version:\n%s", out)
	}
}

// TestReportsMatchSchemasOverCorpus checks the JSON and SARIF reports of
// runs over the whole corpus, laid out as a tree.
func TestReportsMatchSchemasOverCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the corpus runs are skipped")
	}
	tree := corpusTree(t, 1) // skips, saying why, without the corpus
	out := validateReport(t, formatJSON, "--no-config", "--unsafe", "--split", tree)
	if n := bytes.Count(out, []byte(`"path": `)); n < 1000 {
		t.Errorf("the corpus report has %d files", n)
	}
	out = validateReport(t, formatSARIF, "--no-config", "--unsafe", "--split", tree)
	if n := bytes.Count(out, []byte(`"ruleId": `)); n < 100 {
		t.Errorf("the corpus SARIF log has %d results", n)
	}
	validateReport(t, formatSARIF, "--no-config", tree)
	validateReport(t, formatJSON, "--no-config", "-w", tree)
}

// schemaCmd is the script command "schema json|sarif FILE": the file must
// be a report that matches its schema.
func schemaCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || (args[0] != formatJSON && args[0] != formatSARIF) {
		ts.Fatalf("usage: schema json|sarif FILE")
	}
	report, sarif := schemas(scriptFatal{ts})
	s := report
	if args[0] == formatSARIF {
		s = sarif
	}
	err := validate(s, []byte(ts.ReadFile(args[1])))
	switch {
	case err != nil && !neg:
		ts.Fatalf("%s does not match the %s schema: %v", args[1], args[0], err)
	case err == nil && neg:
		ts.Fatalf("%s matches the %s schema", args[1], args[0])
	}
}

// scriptFatal lets schemas fail a script.
type scriptFatal struct{ ts *testscript.TestScript }

func (f scriptFatal) Fatal(args ...any) { f.ts.Fatalf("%s", fmt.Sprint(args...)) }
