package resolve

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// row builds a Row as the lead's wiring would from the table's ImageInfo:
// EntrypointText decoded as JSON.
func row(t *testing.T, entrypointText string, windows bool, cmd ...string) Row {
	t.Helper()
	r := Row{Cmd: cmd, Windows: windows}
	if entrypointText != "" {
		if err := json.Unmarshal([]byte(entrypointText), &r.Entrypoint); err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func TestCompare(t *testing.T) {
	postgres := Config{OS: "linux", Entrypoint: []string{"docker-entrypoint.sh"}, Cmd: []string{"postgres"}}
	for _, tc := range []struct {
		name string
		row  Row
		cfg  Config
		want []string
	}{
		{"agree", row(t, `["docker-entrypoint.sh"]`, false, "postgres"), postgres, nil},
		{"table without CMD", row(t, `["docker-entrypoint.sh"]`, false), postgres, nil},
		{"entrypoint moved", row(t, `["/docker-entrypoint.sh"]`, false, "postgres"), postgres,
			[]string{`ENTRYPOINT: the table has ["/docker-entrypoint.sh"], the image ["docker-entrypoint.sh"]`}},
		{"entrypoint not in table", row(t, "", false, "postgres"), postgres,
			[]string{`ENTRYPOINT: the table has none, the image ["docker-entrypoint.sh"]`}},
		{"cmd differs", row(t, `["docker-entrypoint.sh"]`, false, "postgres", "-c", "x"), postgres,
			[]string{`CMD: the table has ["postgres", "-c", "x"], the image ["postgres"]`}},
		{"cmd missing", row(t, "", false, "/bin/sh"), Config{OS: "linux"},
			[]string{`CMD: the table has ["/bin/sh"], the image none`}},
		{"CMD [] in both", Row{Cmd: []string{}}, Config{OS: "linux", Cmd: []string{}}, nil},
		{"ENTRYPOINT [] is none", Row{}, Config{OS: "linux", Entrypoint: []string{}}, nil},
		{"windows", row(t, `["C:\\nats-server.exe"]`, true, "--config", "nats-server.conf"),
			Config{OS: "windows", Entrypoint: []string{`C:\nats-server.exe`}, Cmd: []string{"--config", "nats-server.conf"}}, nil},
		{"not windows", row(t, "", false), Config{OS: "windows"},
			[]string{`OS: the table has not windows, the image windows`}},
		{"image shell", row(t, "", false), Config{OS: "linux", Shell: []string{"/bin/bash", "-c"}},
			[]string{`SHELL: the table has ["/bin/sh", "-c"], the image ["/bin/bash", "-c"]`}},
		{"default shell spelled out", row(t, "", false), Config{OS: "linux", Shell: []string{"/bin/sh", "-c"}}, nil},
		{"windows default shell", row(t, "", true), Config{OS: "windows", Shell: []string{"cmd", "/S", "/C"}}, nil},
		{"several", row(t, `["a"]`, false, "b"), Config{OS: "windows", Entrypoint: []string{"x"}, Cmd: []string{"y"}},
			[]string{
				`OS: the table has not windows, the image windows`,
				`ENTRYPOINT: the table has ["a"], the image ["x"]`,
				`CMD: the table has ["b"], the image ["y"]`,
			}},
	} {
		var got []string
		for _, d := range Compare(tc.row, tc.cfg) {
			got = append(got, d.String())
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// TestCompareResolved checks a table row against an image in a registry,
// as a --resolve-images run would.
func TestCompareResolved(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	tr.push(t, tr.ref("redis:7"), image(t, "linux", "amd64", v1.Config{
		Entrypoint: []string{"docker-entrypoint.sh"},
		Cmd:        []string{"redis-server"},
	}))
	cfg, err := newResolver(t).Resolve(context.Background(), tr.ref("redis:7"))
	if err != nil {
		t.Fatal(err)
	}
	if d := Compare(row(t, `["docker-entrypoint.sh"]`, false, "redis-server"), cfg); d != nil {
		t.Errorf("redis row: %v", d)
	}
	d := Compare(row(t, `["docker-entrypoint.sh"]`, false, "redis-server", "--protected-mode", "no"), cfg)
	if len(d) != 1 || d[0].Field != "CMD" {
		t.Errorf("changed redis row: %v", d)
	}
}
