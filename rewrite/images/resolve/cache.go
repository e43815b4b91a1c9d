package resolve

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// The disk cache holds two kinds of entries, one JSON file each:
//
//	refs/<sha256 of reference and platform>.json     a tag's digest, with the time it was read
//	digests/<sha256 of digest and platform>.json     the Config of that content for that platform
//
// Files are written to a temporary name in the same folder and renamed,
// so a reader (another cmdfix running at the same time) sees a whole
// entry or none. An entry that does not parse, has another version, or
// names another reference, digest or platform than its file name stands
// for is ignored, and replaced when the image is fetched again. Failures
// to write are ignored: the cache only saves work.

// cacheVersion changes whenever the entries' meaning changes, so that
// older entries are ignored.
const cacheVersion = 1

// cache is the disk cache; a nil *cache is a cache that holds nothing.
type cache struct {
	dir string
}

type refEntry struct {
	Version  int       `json:"version"`
	Ref      string    `json:"ref"`
	Platform string    `json:"platform"`
	Digest   string    `json:"digest"`
	Time     time.Time `json:"time"`
}

type digestEntry struct {
	Version  int    `json:"version"`
	Digest   string `json:"digest"`
	Platform string `json:"platform"`
	Config   Config `json:"config"`
}

func (c *cache) path(kind, key, platform string) string {
	sum := sha256.Sum256([]byte(key + "\x00" + platform))
	return filepath.Join(c.dir, kind, hex.EncodeToString(sum[:])+".json")
}

func (c *cache) readRef(ref, platform string) (refEntry, bool) {
	var e refEntry
	if c == nil || !c.read(c.path("refs", ref, platform), &e) {
		return refEntry{}, false
	}
	if e.Version != cacheVersion || e.Ref != ref || e.Platform != platform || !validDigest(e.Digest) {
		return refEntry{}, false
	}
	return e, true
}

func (c *cache) readDigest(digest, platform string) (Config, bool) {
	var e digestEntry
	if c == nil || !c.read(c.path("digests", digest, platform), &e) {
		return Config{}, false
	}
	if e.Version != cacheVersion || e.Digest != digest || e.Platform != platform || e.Config.Digest != digest {
		return Config{}, false
	}
	return e.Config, true
}

func (c *cache) writeRef(e refEntry) {
	if c != nil {
		e.Version = cacheVersion
		c.write(c.path("refs", e.Ref, e.Platform), e)
	}
}

func (c *cache) writeDigest(e digestEntry) {
	if c != nil {
		e.Version = cacheVersion
		c.write(c.path("digests", e.Digest, e.Platform), e)
	}
}

func (c *cache) read(path string, v any) bool {
	b, err := os.ReadFile(path)
	return err == nil && json.Unmarshal(b, v) == nil
}

// write replaces path atomically. The folder is private to the user: a
// private image's config may hold values from its ENV.
func (c *cache) write(path string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		return
	}
	dir := filepath.Dir(path)
	if os.MkdirAll(dir, 0o700) != nil {
		return
	}
	f, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return
	}
	_, werr := f.Write(b)
	cerr := f.Close()
	if werr != nil || cerr != nil || os.Rename(f.Name(), path) != nil {
		os.Remove(f.Name())
	}
}

func validDigest(s string) bool {
	_, err := v1.NewHash(s)
	return err == nil
}
