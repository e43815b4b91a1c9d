package resolve_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/images/resolve"
	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// A registry on 127.0.0.1 holds an image with an entrypoint script; the
// Resolver reads its config. A real run names images such as
// "nvidia/cuda:12.4.1-runtime-ubuntu22.04" and keeps the default cache.
func ExampleResolver_Resolve() {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	ref := strings.TrimPrefix(srv.URL, "http://") + "/db:16"
	img, _ := mutate.ConfigFile(empty.Image, &v1.ConfigFile{OS: "linux", Architecture: "amd64", Config: v1.Config{
		Entrypoint: []string{"docker-entrypoint.sh"},
		Cmd:        []string{"postgres"},
	}})
	n, _ := name.ParseReference(ref)
	if err := remote.Write(n, img); err != nil {
		fmt.Println(err)
		return
	}

	// The zero Resolver caches under the user's cache folder and uses the
	// credentials of ~/.docker/config.json; this example needs neither.
	r := &resolve.Resolver{NoCache: true, Keychain: authn.NewMultiKeychain()}
	cfg, err := r.Resolve(context.Background(), ref)
	if err != nil {
		fmt.Println(err) // one line naming the image; fall back to the table
		return
	}
	fmt.Println(cfg.OS, cfg.Entrypoint, cfg.Cmd)
	// Output: linux [docker-entrypoint.sh] [postgres]
}

// Checking a row of the offline table against what the registry says.
func ExampleCompare() {
	table := resolve.Row{Entrypoint: []string{"docker-entrypoint.sh"}, Cmd: []string{"redis-server"}}
	image := resolve.Config{OS: "linux", Entrypoint: []string{"/usr/local/bin/entrypoint.sh"}, Cmd: []string{"redis-server"}}
	for _, d := range resolve.Compare(table, image) {
		fmt.Println(d)
	}
	// Output: ENTRYPOINT: the table has ["docker-entrypoint.sh"], the image ["/usr/local/bin/entrypoint.sh"]
}
