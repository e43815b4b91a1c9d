// Package registrytest builds what tests push to go-containerregistry's
// in-process registry on 127.0.0.1: small images with a given config,
// manifests written as raw bytes (broken on purpose), and a host that
// accepts connections and never answers.
//
// Its functions return errors rather than take a *testing.T, so that both
// Go tests and testscript commands can use them.
package registrytest

import (
	"encoding/json"
	"net"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Image returns an image with no layers whose config holds os, arch and
// cfg.
func Image(os, arch string, cfg v1.Config) (v1.Image, error) {
	return mutate.ConfigFile(empty.Image, &v1.ConfigFile{OS: os, Architecture: arch, Config: cfg, RootFS: v1.RootFS{Type: "layers"}})
}

// rawManifest is a manifest pushed as the bytes given, unchecked.
type rawManifest struct {
	body []byte
	mt   types.MediaType
}

func (m rawManifest) RawManifest() ([]byte, error)        { return m.body, nil }
func (m rawManifest) MediaType() (types.MediaType, error) { return m.mt, nil }

// PutManifest pushes body as an OCI image manifest, as it is.
func PutManifest(ref name.Reference, body []byte) error {
	return remote.Put(ref, rawManifest{body, types.OCIManifestSchema1})
}

// PushRawConfig pushes an image whose config blob is config, as it is, and
// which has no layers.
func PushRawConfig(ref name.Reference, config []byte) error {
	blob := static.NewLayer(config, types.OCIConfigJSON)
	if err := remote.WriteLayer(ref.Context(), blob); err != nil {
		return err
	}
	d, err := blob.Digest()
	if err != nil {
		return err
	}
	body, err := json.Marshal(v1.Manifest{
		SchemaVersion: 2,
		MediaType:     types.OCIManifestSchema1,
		Config:        v1.Descriptor{MediaType: types.OCIConfigJSON, Size: int64(len(config)), Digest: d},
		Layers:        []v1.Descriptor{},
	})
	if err != nil {
		return err
	}
	return PutManifest(ref, body)
}

// Silent listens on 127.0.0.1 and accepts connections it holds open and
// never answers, for tests of time limits. It returns the host:port and a
// function that stops listening and closes the connections.
func Silent() (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never answered
		}
	}()
	return ln.Addr().String(), func() { ln.Close() }, nil
}
