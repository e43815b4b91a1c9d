package resolve

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"math/rand"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// tarEntry is one entry of a test layer.
type tarEntry struct {
	name string
	typ  byte
	body string
	link string
}

func file(name, body string) tarEntry { return tarEntry{name: name, typ: tar.TypeReg, body: body} }
func dir(name string) tarEntry        { return tarEntry{name: name, typ: tar.TypeDir} }
func symlink(name, target string) tarEntry {
	return tarEntry{name: name, typ: tar.TypeSymlink, link: target}
}

// layer builds a gzip-compressed layer holding entries.
func layer(t *testing.T, entries ...tarEntry) v1.Layer {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Linkname: e.link, Mode: 0o755, Size: int64(len(e.body))}
		if e.typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			if _, err := io.WriteString(tw, e.body); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

const entrypointScript = "#!/bin/sh\nset -e\nexec \"$@\"\n"

// layeredImage is a three-layer image: a base with merged /usr and a large
// file that compresses badly, a layer of scripts and whiteouts, and a top
// layer of links.
func layeredImage(t *testing.T) v1.Image {
	t.Helper()
	noise := make([]byte, 256<<10)
	rand.New(rand.NewSource(1)).Read(noise)
	base := layer(t,
		dir("usr/"), dir("usr/bin/"), symlink("bin", "usr/bin"),
		file("usr/bin/sh", "ELF"),
		dir("usr/local/"), dir("usr/local/bin/"),
		dir("app/"), file("app/run.sh", "old run"),
		file("gone.sh", "gone"),
		file("e.sh", "old"),
		file("noise", string(noise)),
	)
	scripts := layer(t,
		file("usr/bin/tool.sh", "#!/bin/sh\necho tool\n"),
		file("usr/local/bin/docker-entrypoint.sh", entrypointScript),
		tarEntry{name: "usr/local/bin/hardlink.sh", typ: tar.TypeLink, link: "usr/local/bin/docker-entrypoint.sh"},
		dir("app/"), file("app/.wh..wh..opq", ""), file("app/other", "other"),
		file(".wh.gone.sh", ""),
	)
	top := layer(t,
		symlink("docker-entrypoint.sh", "usr/local/bin/docker-entrypoint.sh"),
		file("e.sh", "new"),
		symlink("loop1", "loop2"), symlink("loop2", "/loop1"),
		file("large.sh", strings.Repeat("#", 2048)),
	)
	img, err := mutate.AppendLayers(image(t, "linux", "amd64", v1.Config{
		Entrypoint: []string{"docker-entrypoint.sh"},
		Env:        []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
	}), base, scripts, top)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func TestReadFile(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	ref := tr.ref("layered:1")
	img := layeredImage(t)
	tr.push(t, ref, img)
	ctx := context.Background()
	r := newResolver(t)

	cfg, err := r.Resolve(ctx, ref)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		candidates []string
		path, data string
	}{
		// ENTRYPOINT ["docker-entrypoint.sh"] through PATH.
		{cfg.LookPath(cfg.Entrypoint[0]), "/usr/local/bin/docker-entrypoint.sh", entrypointScript},
		// A link in the top layer to a file below.
		{[]string{"/docker-entrypoint.sh"}, "/usr/local/bin/docker-entrypoint.sh", entrypointScript},
		// A hard link.
		{[]string{"/usr/local/bin/hardlink.sh"}, "/usr/local/bin/docker-entrypoint.sh", entrypointScript},
		// /bin is a link to usr/bin in the base layer.
		{[]string{"/bin/tool.sh"}, "/usr/bin/tool.sh", "#!/bin/sh\necho tool\n"},
		{[]string{"/bin/sh"}, "/usr/bin/sh", "ELF"},
		// The upper layer's file wins.
		{[]string{"/e.sh"}, "/e.sh", "new"},
		// A file added beside an opaque whiteout.
		{[]string{"/app/other"}, "/app/other", "other"},
	} {
		f, err := r.ReadFile(ctx, ref, "", tc.candidates...)
		if err != nil {
			t.Errorf("%q: %v", tc.candidates, err)
			continue
		}
		if f.Path != tc.path || string(f.Data) != tc.data {
			t.Errorf("%q: %s %q, want %s %q", tc.candidates, f.Path, f.Data, tc.path, tc.data)
		}
	}
	for _, tc := range []struct {
		path, message string
	}{
		{"/gone.sh", "is in none of its 3 layers"},      // whiteout
		{"/app/run.sh", "is in none of its 3 layers"},   // opaque whiteout above it
		{"/nosuch", "is in none of its 3 layers"},       // nowhere
		{"/usr/bin", "is in none of its 3 layers"},      // a folder
		{"/loop1", "too many levels of symbolic links"}, // a loop
	} {
		_, err := r.ReadFile(ctx, ref, "", tc.path)
		wantKind(t, err, ref, NotFound)
		if !strings.Contains(err.Error(), tc.message) {
			t.Errorf("%s: %q does not say %q", tc.path, err, tc.message)
		}
	}
}

func TestReadFileBounds(t *testing.T) {
	hermetic(t)
	tr := newRegistry(t, "", "")
	ref := tr.ref("layered:1")
	img := layeredImage(t)
	tr.push(t, ref, img)
	m, err := img.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	top, scripts, base := m.Layers[2].Size, m.Layers[1].Size, m.Layers[0].Size
	if base < 4*(top+scripts) {
		t.Fatalf("the base layer (%d bytes) should be much larger than the others (%d, %d)", base, scripts, top)
	}
	ctx := context.Background()

	// A file of the top layer is read without fetching the base.
	r := &Resolver{NoCache: true, MaxFetch: top}
	f, err := r.ReadFile(ctx, ref, "", "/e.sh")
	if err != nil || string(f.Data) != "new" {
		t.Errorf("/e.sh with MaxFetch %d: %q, %v", top, f.Data, err)
	}
	// One in the middle layer, reached from a link in the top one, is
	// read again from its layer: both layers' sizes are needed.
	r = &Resolver{NoCache: true, MaxFetch: top + 2*scripts}
	if f, err := r.ReadFile(ctx, ref, "", "/docker-entrypoint.sh"); err != nil || string(f.Data) != entrypointScript {
		t.Errorf("/docker-entrypoint.sh with MaxFetch %d: %q, %v", top+2*scripts, f.Data, err)
	}
	// A file that is not there needs every layer: too large.
	r = &Resolver{NoCache: true, MaxFetch: top + scripts + base/2}
	_, err = r.ReadFile(ctx, ref, "", "/nosuch")
	wantKind(t, err, ref, TooLarge)
	if !strings.Contains(err.Error(), "reading layer 0") {
		t.Errorf("%q does not name the layer", err)
	}
	// A file larger than MaxFileSize.
	r = &Resolver{NoCache: true, MaxFileSize: 1024}
	_, err = r.ReadFile(ctx, ref, "", "/large.sh")
	wantKind(t, err, ref, TooLarge)
	if !strings.Contains(err.Error(), "/large.sh has 2048 bytes, more than 1024") {
		t.Errorf("%q does not give the sizes", err)
	}
	r = &Resolver{NoCache: true}
	_, err = r.ReadFile(ctx, ref, "")
	wantKind(t, err, ref, Invalid)
	_, err = r.ReadFile(ctx, "scratch", "", "/bin/sh")
	wantKind(t, err, "scratch", NotFound)
}

func TestLookPath(t *testing.T) {
	c := Config{WorkingDir: "/app", Env: []string{"HOME=/root", "PATH=/opt/bin:relative:/usr/bin"}}
	for prog, want := range map[string][]string{
		"/entry.sh":  {"/entry.sh"},
		"./start.sh": {"/app/start.sh"},
		"bin/run":    {"/app/bin/run"},
		"tini":       {"/opt/bin/tini", "/usr/bin/tini"},
	} {
		if got := c.LookPath(prog); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", prog, got, want)
		}
	}
	if got := (Config{}).LookPath("sh"); len(got) != 6 || got[0] != "/usr/local/sbin/sh" || got[5] != "/bin/sh" {
		t.Errorf("default PATH: %q", got)
	}
}
