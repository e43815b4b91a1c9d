package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/cmdfix/cmdfix/internal/registrytest"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/rogpeppe/go-internal/testscript"
)

// registryCmd is the script command "registry": it starts
// go-containerregistry's in-process registry on 127.0.0.1, pushes the
// images the --resolve-images scripts use, and sets $REG to its host. It
// also sets $HANG to a host that accepts connections and never answers.
// Repositories under private/ answer 401 to every request.
//
//	$REG/team/inspects:1  ENTRYPOINT ["/opt/entry.sh"], CMD ["serve"]
//	$REG/team/plain:1     no ENTRYPOINT, CMD ["sh"]
//	$REG/team/win:1       a Windows image
//	$REG/team/multi:1     an index: linux/amd64 sets ENTRYPOINT ["/amd64-entry.sh"], linux/arm64 none
//	$REG/private/app:1    behind authentication
//	$REG/team/broken:1    a config that is not JSON
func registryCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: registry")
	}
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.Contains(req.URL.Path, "/private/") && req.Header.Get("Authorization") != "Basic dGVzdDp0ZXN0" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		reg.ServeHTTP(w, req)
	}))
	ts.Defer(srv.Close)
	host := strings.TrimPrefix(srv.URL, "http://")

	img := func(os, arch string, c v1.Config) v1.Image {
		i, err := registrytest.Image(os, arch, c)
		ts.Check(err)
		return i
	}
	ref := func(s string) name.Reference {
		r, err := name.ParseReference(host + "/" + s)
		ts.Check(err)
		return r
	}
	ts.Check(remote.Write(ref("team/inspects:1"), img("linux", "amd64", v1.Config{Entrypoint: []string{"/opt/entry.sh"}, Cmd: []string{"serve"}})))
	ts.Check(remote.Write(ref("team/plain:1"), img("linux", "amd64", v1.Config{Cmd: []string{"sh"}})))
	ts.Check(remote.Write(ref("team/win:1"), img("windows", "amd64", v1.Config{Cmd: []string{"cmd"}})))
	ts.Check(remote.Write(ref("private/app:1"), img("linux", "amd64", v1.Config{}), remote.WithAuth(&authn.Basic{Username: "test", Password: "test"})))
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: img("linux", "amd64", v1.Config{Entrypoint: []string{"/amd64-entry.sh"}}), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: img("linux", "arm64", v1.Config{}), Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}},
	)
	ts.Check(remote.WriteIndex(ref("team/multi:1"), idx))

	// a manifest whose config blob is not JSON
	ts.Check(registrytest.PushRawConfig(ref("team/broken:1"), []byte("{this is not json")))

	hang, stop, err := registrytest.Silent()
	ts.Check(err)
	ts.Defer(stop)
	ts.Setenv("REG", host)
	ts.Setenv("HANG", hang)
}
