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
// Entries are kept in pack files (see store.go): a run writes the entries
// it made into one new pack (or a few), to a temporary file renamed into
// place, so concurrent runs see a whole pack or none; creating a file per
// entry made a first run several times slower on a busy disk. Each entry
// holds a format version, its own key and a checksum of the rest: an entry
// that is truncated, corrupt, from another format or filed under the
// wrong key is a miss, never trusted, and the run stores a fresh one. The
// store is kept under a size bound by Trim, which removes the packs used
// least recently (an entry used from an old pack is copied into the new
// one) and merges small packs.
package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"

	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// formatVersion is the layout of an entry. Changing what an entry holds,
// or how a Key is made, means a new version: older entries then read as
// foreign and are replaced.
const formatVersion = 1

// magic starts every entry.
const magic = "cmdfix-result"

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
