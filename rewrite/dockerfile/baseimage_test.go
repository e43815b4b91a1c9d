package dockerfile

import (
	"reflect"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/buildcontext"
	"github.com/cmdfix/cmdfix/rewrite/images"
)

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("Dockerfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestStageFiles checks the operations StageFiles reads with BuildKit's
// instruction parser: ARG and ENV expansion, WORKDIR, the parent stage's
// COPYs, --from, --chmod, here-documents and RUN. A global ARG is only
// seen in a stage that declares it again, as in BuildKit.
func TestStageFiles(t *testing.T) {
	f := mustParse(t, `ARG DIR=/opt
FROM alpine AS base
ARG NAME=start.sh
ARG DIR
COPY ${NAME} ${DIR}/
COPY ${NAME} ${UNSET}/
WORKDIR app
ENV BIN=/usr/local/bin PATH=/app/bin:$PATH
FROM base
RUN true
COPY --from=base --chmod=755 /x /y
COPY <<EOF /etc/hello
hi
EOF
ADD --chmod=700 run.sh $BIN/run
`)
	got := f.StageFiles(f.Stages[1])
	want := []buildcontext.Op{
		{Line: 5, Kind: buildcontext.Copy, Sources: []string{"start.sh"}, Dest: "/opt/", Workdir: "/"},
		{Line: 6, Kind: buildcontext.Copy, Sources: []string{"start.sh"}, Dest: "/", Workdir: "/"},
		{Line: 10, Kind: buildcontext.Run},
		{Line: 11, Kind: buildcontext.Copy, Sources: []string{"/x"}, Dest: "/y", Workdir: "/app", From: "base", Chmod: "755"},
		{Line: 12, Kind: buildcontext.Copy, Heredocs: []string{"EOF"}, Dest: "/etc/hello", Workdir: "/app"},
		{Line: 15, Kind: buildcontext.Add, Sources: []string{"run.sh"}, Dest: "/usr/local/bin/run", Workdir: "/app", Chmod: "700"},
	}
	for i := range got.Ops {
		if len(got.Ops[i].Sources) == 0 {
			got.Ops[i].Sources = nil
		}
	}
	if !reflect.DeepEqual(got.Ops, want) {
		t.Errorf("ops:\n got %+v\nwant %+v", got.Ops, want)
	}
	if got.Workdir != "/app" || got.Path != "/app/bin:" || got.Unexpanded {
		t.Errorf("workdir %q, PATH %q, unexpanded %v", got.Workdir, got.Path, got.Unexpanded)
	}
}

// TestSetImages checks that a resolved config makes a Windows stage (and
// its children), and that EntrypointOf describes the resolved ENTRYPOINT:
// none is known to be none, one the table does not name inspects its
// arguments, and the table's own keeps its class.
func TestSetImages(t *testing.T) {
	f := mustParse(t, "ARG BASE=corp/base:1\nFROM ${BASE} AS a\nFROM a AS b\nFROM corp/plain:1\nFROM nginx:1.27\nFROM corp/other:1 AS gone\n")
	configs := map[string]images.Config{
		"${BASE}":      {OS: "windows", Entrypoint: []string{"/entry.ps1"}},
		"corp/plain:1": {OS: "linux", Cmd: []string{"sh"}},
		"nginx:1.27":   {OS: "linux", Entrypoint: []string{"/docker-entrypoint.sh"}, Cmd: []string{"nginx", "-g", "daemon off;"}},
	}
	f.SetImages(func(ref, platform string) (images.Config, bool) {
		c, ok := configs[ref]
		return c, ok
	})
	if !f.Stages[0].Windows || !f.Stages[1].Windows || f.Stages[2].Windows {
		t.Errorf("Windows: %v %v %v, want true true false", f.Stages[0].Windows, f.Stages[1].Windows, f.Stages[2].Windows)
	}
	if r := f.WindowsReason(f.Stages[0]); r != "base image `${BASE}` is a Windows image (its registry says so)" {
		t.Errorf("WindowsReason = %q", r)
	}
	for i, want := range []struct {
		known, resolved bool
		class           images.EntrypointClass
	}{
		{true, true, images.InspectsArgs},
		{true, true, images.InspectsArgs},
		{true, true, images.NoEntrypoint},
		{true, true, images.InspectsArgs}, // nginx's, as the table says
		{false, false, images.NoEntrypoint},
	} {
		ep := f.EntrypointOf(f.Stages[i])
		if ep.Known != want.known || ep.Resolved != want.resolved || ep.Info.Entrypoint != want.class {
			t.Errorf("stage %d: Known %v Resolved %v class %v, want %+v", i, ep.Known, ep.Resolved, ep.Info.Entrypoint, want)
		}
	}
	// Reparse keeps the lookup.
	nf, err := Reparse("Dockerfile", f, append(append([]byte{}, f.Src()...), "RUN true\n"...), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !nf.Stages[0].Windows || nf.Images() == nil {
		t.Error("Reparse dropped the resolved images")
	}
}

func TestExpandBuildArgs(t *testing.T) {
	f := mustParse(t, "ARG REG=docker.io\nARG IMG=$REG/app\nARG TAG\nFROM ${IMG}:${TAG}\n")
	for _, c := range []struct {
		args map[string]string
		want string
	}{
		{nil, "docker.io/app:$"},
		{map[string]string{"TAG": "1"}, "docker.io/app:1"},
		{map[string]string{"REG": "r.example", "TAG": "2"}, "r.example/app:2"},
		{map[string]string{"IMG": "x/y", "TAG": "3"}, "x/y:3"},
		{map[string]string{"UNDECLARED": "z"}, "docker.io/app:$"},
	} {
		if got := f.ExpandBuildArgs(f.Stages[0].Base, c.args); got != c.want {
			t.Errorf("ExpandBuildArgs(%v) = %q, want %q", c.args, got, c.want)
		}
	}
}
