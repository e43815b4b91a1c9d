// Package cache is cmdfix's result cache: a content-addressed store of what
// a run made of one file, so that a run over files that have not changed
// since the last one (pre-commit on every commit, CI on every push) skips
// the engine for them.
//
// An entry is found by a Key: a SHA-256 over everything the result depends
// on, mixed in by the caller through a Hasher (the cmdfix build, the
// settings in effect for the file, the file's name and bytes). Inputs the
// engine reads from outside the file while it runs (context files, image
// digests) are not known before it runs: they are recorded in the entry as
// Inputs, each with the digest it had, and Get checks each against its
// current digest before the entry is used.
//
// Entries are files under the store's folder, written to a temporary file
// and renamed into place, so concurrent runs see a whole entry or none.
// Each holds a format version, its own key and a checksum of the rest:
// an entry that is truncated, corrupt, from another format or filed under
// the wrong name is a miss, never trusted, and the next Put replaces it.
// The store is kept under a size bound by Trim, which removes the entries
// used least recently (by modification time, which Get refreshes).
package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// formatVersion is the layout of an entry. Changing what an entry holds,
// or how a Key is made, means a new version: older entries then read as
// foreign and are replaced.
const formatVersion = 1

// magic starts every entry.
const magic = "cmdfix-result"

// DefaultMaxBytes bounds a store's size when Options.MaxBytes is zero. An
// entry takes about 1.6 KB on average over the corpus, so this holds the
// results of some 60,000 files (ten copies of the corpus need 48 MB).
const DefaultMaxBytes = 100 << 20

// Key names an entry: a SHA-256 over what its result depends on.
type Key [sha256.Size]byte

func (k Key) String() string { return hex.EncodeToString(k[:]) }

// Hasher makes a Key. Each Add is one labelled field, framed by lengths so
// that no two different sequences of fields give the same bytes: ("ab",
// "c") and ("a", "bc") hash differently. Inputs of a later kind (issue 17:
// context files, image digests) are mixed in the same way, under labels of
// their own.
type Hasher struct {
	h hash.Hash
}

// NewHasher starts a Key for the given version of the program: whatever
// identifies the build exactly (see the command's buildID).
func NewHasher(version string) *Hasher {
	h := &Hasher{h: sha256.New()}
	h.Add("format", fmt.Appendf(nil, "%s %d", magic, formatVersion))
	h.Add("version", []byte(version))
	return h
}

// Add mixes in one field.
func (h *Hasher) Add(label string, data []byte) {
	var n [binary.MaxVarintLen64]byte
	h.h.Write(n[:binary.PutUvarint(n[:], uint64(len(label)))])
	h.h.Write([]byte(label))
	h.h.Write(n[:binary.PutUvarint(n[:], uint64(len(data)))])
	h.h.Write(data)
}

// AddString mixes in one field holding a string.
func (h *Hasher) AddString(label, s string) { h.Add(label, []byte(s)) }

// AddStrings mixes in one field holding a list of strings, in order.
func (h *Hasher) AddStrings(label string, list []string) {
	var b []byte
	for _, s := range list {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	h.Add(label, b)
}

// Sum returns the Key.
func (h *Hasher) Sum() Key {
	var k Key
	h.h.Sum(k[:0])
	return k
}

// Input is something outside the file that a result depended on, with the
// digest it had when the result was made: a context file (Kind "file",
// Name its path, Digest a hash of its bytes), a resolved image, and so on.
type Input struct {
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Digest string `json:"digest"`
}

// Entry is what a run made of one file.
type Entry struct {
	// Changed says whether the output differs from the file.
	Changed bool
	// Findings are the result's findings as the run reported them.
	Findings []rule.Finding
	// Output is the fixed and formatted text when Changed, nil otherwise
	// (it is then the file itself). It is stored as a change to the file,
	// which Put and Get are given.
	Output []byte
	// Inputs are the outside inputs the result depended on.
	Inputs []Input
}

// Store is a folder of entries.
type Store struct {
	dir      string
	maxBytes int64
	now      func() time.Time

	mu      sync.Mutex
	made    map[string]bool // shard folders known to exist
	written atomic.Int64    // bytes written by this process
}

// Options configure a Store.
type Options struct {
	// MaxBytes bounds the store's size; zero means DefaultMaxBytes.
	MaxBytes int64
}

// Open returns the store in dir, creating the folder.
func Open(dir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	max := opts.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	return &Store{dir: dir, maxBytes: max, now: time.Now, made: map[string]bool{}}, nil
}

// Dir is the store's folder.
func (s *Store) Dir() string { return s.dir }

// path is where the entry for k lives: a folder per first byte, so that
// no folder holds more than a few hundred entries.
func (s *Store) path(k Key) (dir, file string) {
	name := k.String()
	dir = filepath.Join(s.dir, name[:2])
	return dir, filepath.Join(dir, name[2:])
}

// refreshAfter is how old an entry's modification time may get before a
// Get that uses it sets it to now, for Trim's order.
const refreshAfter = time.Hour

// Get returns the entry for k, made from the file src (whose bytes k
// covers). current, when not nil, returns an input's
// digest now; an entry with an input whose digest has changed, or that
// current cannot find, is a miss. Anything wrong with the stored entry
// is a miss too.
func (s *Store) Get(k Key, src []byte, current func(Input) (digest string, ok bool)) (*Entry, bool) {
	_, file := s.path(k)
	data, mod, err := readEntry(file)
	if err != nil {
		return nil, false
	}
	e, err := decode(k, data, src)
	if err != nil {
		return nil, false
	}
	for _, in := range e.Inputs {
		if current == nil {
			return nil, false // an entry with inputs the caller cannot check
		}
		if d, ok := current(in); !ok || d != in.Digest {
			return nil, false
		}
	}
	if now := s.now(); now.Sub(mod) > refreshAfter {
		os.Chtimes(file, now, now)
	}
	return e, true
}

// maxEntry bounds what Get reads: no entry of a file cmdfix processes
// (at most 8 MiB) comes near it.
const maxEntry = 64 << 20

// Put stores e, made from the file src, under k, replacing what was there. It fails quietly in
// effect: a cache that cannot be written is only slower.
func (s *Store) Put(k Key, e *Entry, src []byte) error {
	data, err := encode(k, e, src)
	if err != nil {
		return err
	}
	dir, file := s.path(k)
	s.mu.Lock()
	made := s.made[dir]
	s.mu.Unlock()
	if !made {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		s.mu.Lock()
		s.made[dir] = true
		s.mu.Unlock()
	}
	tmp, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	s.written.Add(int64(len(data)))
	return nil
}

// tmpPrefix starts the names of entries being written.
const tmpPrefix = ".tmp-"

// encode lays an entry out: a header line with the format version, the
// key and the SHA-256 of the body, then the body (see codec.go).
func encode(k Key, e *Entry, src []byte) ([]byte, error) {
	body := encodeBody(k, e, src)
	sum := sha256.Sum256(body)
	b := make([]byte, 0, len(body)+len(magic)+150)
	b = fmt.Appendf(b, "%s %d %s %x\n", magic, formatVersion, k, sum)
	return append(b, body...), nil
}

var errForeign = errors.New("not an entry of this format for this key")

// decode reads an entry stored under k, checking everything encode wrote.
func decode(k Key, data, src []byte) (*Entry, error) {
	return decodeFrom(k, data, src, true)
}

func decodeFrom(k Key, data, src []byte, rebuild bool) (*Entry, error) {
	head, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil, errForeign
	}
	want := fmt.Appendf(nil, "%s %d %s ", magic, formatVersion, k)
	sum, ok := bytes.CutPrefix(head, want)
	if !ok || len(sum) != 2*sha256.Size {
		return nil, errForeign
	}
	want2 := sha256.Sum256(body)
	var hexSum [2 * sha256.Size]byte
	hex.Encode(hexSum[:], want2[:])
	if !bytes.Equal(sum, hexSum[:]) { // exactly: hex.Decode would take upper case too
		return nil, errForeign
	}
	return decodeBodyFrom(k, body, src, rebuild)
}

// Verify checks that the entry stored under k is whole: its header, its
// checksum and its layout (the output is not put together again: that
// needs the file). For tests and diagnosis.
func (s *Store) Verify(k Key) error {
	_, file := s.path(k)
	data, _, err := readEntry(file)
	if err != nil {
		return err
	}
	_, err = decodeFrom(k, data, nil, false)
	return err
}

// Written is how many bytes of entries this Store has written.
func (s *Store) Written() int64 { return s.written.Load() }

// trimMark is the file whose modification time says when the store was
// last trimmed.
const trimMark = "trimmed"

// trimEvery is how often Maybe Trim walks the store, unless a run wrote
// more than trimWritten bytes: walking tens of thousands of entries on
// every run would cost more than the cache saves on a small one.
const (
	trimEvery   = time.Hour
	trimWritten = 5 << 20
)

// MaybeTrim trims the store when it has not been trimmed for trimEvery,
// or when this process wrote more than trimWritten bytes to it. It is
// meant for the end of a run.
func (s *Store) MaybeTrim() error {
	w := s.written.Load()
	if w == 0 {
		return nil
	}
	if fi, err := os.Stat(filepath.Join(s.dir, trimMark)); err == nil && s.now().Sub(fi.ModTime()) < trimEvery && w < trimWritten {
		return nil
	}
	return s.Trim()
}

// Trim removes the entries used least recently until the store is within
// its bound (to nine tenths of it, so that the next runs do not trim
// again at once), and temporary files left by runs that died over an hour
// ago. Entries another process removes meanwhile are no matter: a missing
// entry is a miss.
func (s *Store) Trim() error {
	type file struct {
		path string
		size int64
		mod  time.Time
	}
	var files []file
	var total int64
	now := s.now()
	err := filepath.WalkDir(s.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() || path == filepath.Join(s.dir, trimMark) {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return nil
		}
		if strings.HasPrefix(d.Name(), tmpPrefix) {
			if now.Sub(fi.ModTime()) > time.Hour {
				os.Remove(path)
			}
			return nil
		}
		files = append(files, file{path, fi.Size(), fi.ModTime()})
		total += fi.Size()
		return nil
	})
	if err != nil {
		return err
	}
	if total > s.maxBytes {
		slices.SortFunc(files, func(a, b file) int { return a.mod.Compare(b.mod) })
		for _, f := range files {
			if total <= s.maxBytes/10*9 {
				break
			}
			os.Remove(f.path) // gone already is as good
			total -= f.size
		}
	}
	mark := filepath.Join(s.dir, trimMark)
	if err := os.WriteFile(mark, nil, 0o644); err != nil {
		return err
	}
	return os.Chtimes(mark, now, now)
}
