package cache

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A pack file holds entries one after another, then an index of them,
// then a trailer:
//
//	"cmdfix-pack 1\n"
//	entry ...                      (each as encode writes it)
//	index: per entry, key (32 bytes), offset and length (uvarints)
//	trailer: index offset and length (8 bytes each, little-endian),
//	         SHA-256 of the index (32 bytes)
//
// A pack is written once, to a temporary file renamed into place, and
// never changed; a run reads the indexes of all packs (about 40 bytes per
// entry) and then only the entries it needs. A pack whose index does not
// check out is skipped whole; an entry that does not is a miss.
const (
	packMagic   = "cmdfix-pack 1\n"
	packPrefix  = "pack-"
	trailerSize = 8 + 8 + sha256.Size
)

// DefaultMaxBytes bounds a store's size when Options.MaxBytes is zero. An
// entry takes about 1.6 KB on average over the corpus, so this holds the
// results of some 60,000 files (ten copies of the corpus need 48 MB).
const DefaultMaxBytes = 100 << 20

// Store is a folder of packs.
type Store struct {
	dir      string
	maxBytes int64
	now      func() time.Time

	loadOnce sync.Once
	packs    []*pack
	index    map[Key]location

	// The pack being written: entries go straight to a temporary file
	// (through a small buffer), so memory stays flat however many files
	// a run covers; only the index is kept.
	mu      sync.Mutex
	tmp     *os.File
	w       *bufio.Writer
	size    int64        // bytes written to tmp so far
	idx     []byte       // its index so far, as written at its end
	written atomic.Int64 // bytes this process wrote into packs
}

type pack struct {
	name string
	f    *os.File
	mod  time.Time
	size int64
}

type location struct {
	p           *pack
	off, length int64
}

type indexEntry struct {
	k           Key
	off, length int64
}

// Options configure a Store.
type Options struct {
	// MaxBytes bounds the store's size; zero means DefaultMaxBytes.
	MaxBytes int64
}

// Open returns the store in dir, creating the folder. The packs are read
// at the first Get.
func Open(dir string, opts Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	max := opts.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	return &Store{dir: dir, maxBytes: max, now: time.Now}, nil
}

// load reads the index of every pack.
func (s *Store) load() {
	s.index = map[Key]location{}
	names, _ := filepath.Glob(filepath.Join(s.dir, packPrefix+"*"))
	for _, name := range names {
		p, idx, err := openPack(name)
		if err != nil {
			continue
		}
		s.packs = append(s.packs, p)
		for _, e := range idx {
			// Of two packs holding a key, the newer one's entry is used.
			if old, ok := s.index[e.k]; !ok || old.p.mod.Before(p.mod) {
				s.index[e.k] = location{p, e.off, e.length}
			}
		}
	}
}

// openPack opens a pack and reads its index.
func openPack(name string) (*pack, []indexEntry, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	p, idx, err := readIndex(f)
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	p.name = name
	return p, idx, nil
}

func readIndex(f *os.File) (*pack, []indexEntry, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	size := fi.Size()
	if !fi.Mode().IsRegular() || size < int64(len(packMagic))+trailerSize {
		return nil, nil, errCorrupt
	}
	head := make([]byte, len(packMagic))
	if _, err := f.ReadAt(head, 0); err != nil || string(head) != packMagic {
		return nil, nil, errForeign
	}
	tr := make([]byte, trailerSize)
	if _, err := f.ReadAt(tr, size-trailerSize); err != nil {
		return nil, nil, err
	}
	off, n := int64(binary.LittleEndian.Uint64(tr)), int64(binary.LittleEndian.Uint64(tr[8:]))
	if off < int64(len(packMagic)) || n < 0 || off+n != size-trailerSize {
		return nil, nil, errCorrupt
	}
	raw := make([]byte, n)
	if _, err := f.ReadAt(raw, off); err != nil {
		return nil, nil, err
	}
	if sha256.Sum256(raw) != [sha256.Size]byte(tr[16:]) {
		return nil, nil, errCorrupt
	}
	var idx []indexEntry
	r := &reader{b: raw}
	for len(r.b) > 0 && r.err == nil {
		var e indexEntry
		copy(e.k[:], r.bytes(len(e.k)))
		e.off, e.length = int64(r.uvarint()), int64(r.uvarint())
		if e.off < int64(len(packMagic)) || e.length > off-e.off {
			r.fail()
		}
		idx = append(idx, e)
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	return &pack{f: f, mod: fi.ModTime(), size: size}, idx, nil
}

// refreshAfter is how old a pack may get before an entry used from it is
// copied into the pack this run writes, so that trimming, which removes
// the oldest packs first, keeps what is in use.
const refreshAfter = time.Hour

// maxEntry bounds an entry's size: no entry of a file cmdfix processes
// (at most 8 MiB) comes near it.
const maxEntry = 64 << 20

// Get returns the entry for k, made from the file src (whose bytes k
// covers). current, when not nil, returns an input's digest now; an entry
// with an input whose digest has changed, or that current cannot find, is
// a miss. Anything wrong with the stored entry is a miss too.
func (s *Store) Get(k Key, src []byte, current func(Input) (digest string, ok bool)) (*Entry, bool) {
	s.loadOnce.Do(s.load)
	loc, ok := s.index[k]
	if !ok || loc.length > maxEntry {
		return nil, false
	}
	data := make([]byte, loc.length)
	if _, err := loc.p.f.ReadAt(data, loc.off); err != nil {
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
	if s.now().Sub(loc.p.mod) > refreshAfter {
		s.add(k, data)
	}
	return e, true
}

// Put stores e, made from the file src, under k. It is written with the
// run's other new entries by Flush (or sooner, when they grow large).
func (s *Store) Put(k Key, e *Entry, src []byte) error {
	data, err := encode(k, e, src)
	if err != nil {
		return err
	}
	return s.add(k, data)
}

// packLimit is the size at which a run finishes its pack and starts
// another, so that trimming removes a little at a time.
const packLimit = 16 << 20

func (s *Store) add(k Key, data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tmp == nil {
		tmp, err := os.CreateTemp(s.dir, tmpPrefix+"*")
		if err != nil {
			return err
		}
		s.tmp, s.w, s.size = tmp, bufio.NewWriterSize(tmp, 64<<10), 0
		if err := s.write([]byte(packMagic)); err != nil {
			return err
		}
	}
	// A key added twice (a file named twice) is in the pack twice; either
	// entry is good.
	s.idx = append(s.idx, k[:]...)
	s.idx = binary.AppendUvarint(s.idx, uint64(s.size))
	s.idx = binary.AppendUvarint(s.idx, uint64(len(data)))
	if err := s.write(data); err != nil {
		return err
	}
	if s.size >= packLimit {
		return s.flushLocked()
	}
	return nil
}

// write appends to the pack being written; on an error the pack is given
// up (its entries are only lost work).
func (s *Store) write(b []byte) error {
	if _, err := s.w.Write(b); err != nil {
		s.abandon()
		return err
	}
	s.size += int64(len(b))
	return nil
}

func (s *Store) abandon() {
	if s.tmp != nil {
		s.tmp.Close()
		os.Remove(s.tmp.Name())
	}
	s.tmp, s.w, s.size, s.idx = nil, nil, 0, nil
}

// Flush finishes the pack being written: index, trailer, rename into
// place. A run calls it (through Close) at its end.
func (s *Store) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.flushLocked()
}

func (s *Store) flushLocked() error {
	if s.tmp == nil {
		return nil
	}
	tmp, w, size, idx := s.tmp, s.w, s.size, s.idx
	s.tmp, s.w, s.size, s.idx = nil, nil, 0, nil
	err := finishPack(s.dir, tmp, w, size, idx)
	if err == nil {
		s.written.Add(size + int64(len(idx)) + trailerSize)
	}
	return err
}

// writePack writes body (the magic and the entries) and the index as a
// new pack, atomically.
func writePack(dir string, body, idx []byte) error {
	tmp, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(tmp)
	w.Write(body)
	return finishPack(dir, tmp, w, int64(len(body)), idx)
}

// finishPack writes the index and the trailer after the size bytes of
// body already written through w to tmp, and renames tmp into place.
func finishPack(dir string, tmp *os.File, w *bufio.Writer, size int64, idx []byte) error {
	var tr [trailerSize]byte
	binary.LittleEndian.PutUint64(tr[:], uint64(size))
	binary.LittleEndian.PutUint64(tr[8:], uint64(len(idx)))
	sum := sha256.Sum256(idx)
	copy(tr[16:], sum[:])
	w.Write(idx)
	w.Write(tr[:])
	err := w.Flush()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, packPrefix+randomName()))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

func randomName() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// tmpPrefix starts the names of packs being written.
const tmpPrefix = ".tmp-"

// Close writes the new entries and closes the packs.
func (s *Store) Close() error {
	err := s.Flush()
	for _, p := range s.packs {
		p.f.Close()
	}
	s.packs, s.index = nil, nil
	s.loadOnce = sync.Once{}
	return err
}

// Verify reads every pack and checks each entry's header, checksum and
// layout (the output is not put together again: that needs the file). It
// returns how many entries it checked. For tests and diagnosis.
func (s *Store) Verify() (int, error) {
	names, _ := filepath.Glob(filepath.Join(s.dir, packPrefix+"*"))
	n := 0
	for _, name := range names {
		p, idx, err := openPack(name)
		if err != nil {
			return n, fmt.Errorf("%s: %v", name, err)
		}
		for _, e := range idx {
			data := make([]byte, e.length)
			if _, err := p.f.ReadAt(data, e.off); err != nil {
				p.f.Close()
				return n, err
			}
			if _, err := decodeFrom(e.k, data, nil, false); err != nil {
				p.f.Close()
				return n, fmt.Errorf("%s: entry %s: %v", name, e.k, err)
			}
			n++
		}
		p.f.Close()
	}
	return n, nil
}

// trimMark is the file whose modification time says when the store was
// last trimmed.
const trimMark = "trimmed"

// MaybeTrim trims the store when it has not been trimmed for trimEvery,
// when this process wrote more than trimWritten bytes to it, or when it
// holds more than maxPacks packs. It is meant for the end of a run, after
// Flush.
const (
	trimEvery   = time.Hour
	trimWritten = 5 << 20
	maxPacks    = 32
)

func (s *Store) MaybeTrim() error {
	w := s.written.Load()
	if w == 0 {
		return nil
	}
	names, _ := filepath.Glob(filepath.Join(s.dir, packPrefix+"*"))
	if fi, err := os.Stat(filepath.Join(s.dir, trimMark)); err == nil && s.now().Sub(fi.ModTime()) < trimEvery &&
		w < trimWritten && len(names) <= maxPacks {
		return nil
	}
	return s.Trim()
}

// Trim removes the packs used least recently until the store is within
// its bound (to nine tenths of it, so that the next runs do not trim again
// at once), merges the packs into one when there are more than maxPacks,
// and removes temporary files left by runs that died over an hour ago. A
// pack another process removes meanwhile is no matter: its entries are
// misses.
func (s *Store) Trim() error {
	type file struct {
		path string
		size int64
		mod  time.Time
	}
	var packs []file
	var total int64
	now := s.now()
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	for _, d := range entries {
		fi, err := d.Info()
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		path := filepath.Join(s.dir, d.Name())
		switch {
		case strings.HasPrefix(d.Name(), tmpPrefix):
			if now.Sub(fi.ModTime()) > time.Hour {
				os.Remove(path)
			}
		case strings.HasPrefix(d.Name(), packPrefix):
			packs = append(packs, file{path, fi.Size(), fi.ModTime()})
			total += fi.Size()
		}
	}
	slices.SortFunc(packs, func(a, b file) int { return a.mod.Compare(b.mod) })
	for len(packs) > 0 && total > s.maxBytes/10*9 {
		os.Remove(packs[0].path) // gone already is as good
		total -= packs[0].size
		packs = packs[1:]
	}
	if len(packs) > maxPacks {
		var paths []string
		for _, p := range packs {
			paths = append(paths, p.path)
		}
		if err := merge(s.dir, paths); err != nil {
			return err
		}
	}
	mark := filepath.Join(s.dir, trimMark)
	if err := os.WriteFile(mark, nil, 0o644); err != nil {
		return err
	}
	return os.Chtimes(mark, now, now)
}

// merge writes the entries of the packs (oldest first) into one new pack
// and removes them. An entry that does not check out is dropped; of two
// entries for a key, the newer is kept.
func merge(dir string, paths []string) error {
	body := []byte(packMagic)
	var idx []byte
	seen := map[Key]int{} // key -> position in order
	type rec struct {
		k    Key
		data []byte
	}
	var order []rec
	for _, path := range paths {
		p, pidx, err := openPack(path)
		if err != nil {
			continue
		}
		for _, e := range pidx {
			data := make([]byte, e.length)
			if _, err := p.f.ReadAt(data, e.off); err != nil {
				continue
			}
			if _, err := decodeFrom(e.k, data, nil, false); err != nil {
				continue
			}
			if i, ok := seen[e.k]; ok {
				order[i].data = data
				continue
			}
			seen[e.k] = len(order)
			order = append(order, rec{e.k, data})
		}
		p.f.Close()
	}
	for _, r := range order {
		idx = append(idx, r.k[:]...)
		idx = binary.AppendUvarint(idx, uint64(len(body)))
		idx = binary.AppendUvarint(idx, uint64(len(r.data)))
		body = append(body, r.data...)
	}
	if len(order) > 0 {
		if err := writePack(dir, body, idx); err != nil {
			return err
		}
	}
	for _, path := range paths {
		os.Remove(path)
	}
	return nil
}
