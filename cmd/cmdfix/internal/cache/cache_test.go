package cache

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// src is the file the test entries were made from.
var src = []byte("FROM x\nCMD a b\n")

func key(parts ...string) Key {
	h := NewHasher("test")
	for _, p := range parts {
		h.AddString("part", p)
	}
	return h.Sum()
}

// sample is an entry with every field of a finding set.
func sample() *Entry {
	return &Entry{
		Changed: true,
		Findings: []rule.Finding{{
			Rule: "exec-form", Severity: rule.Error, Line: 3, EndLine: 4, Col: 1,
			Message: "CMD in shell form", Fix: &rule.Fix{Message: "use JSON", Safety: rule.Unsafe,
				Edits: []dockerfile.Edit{{Start: 3, End: 4, Text: `CMD ["a", "b"]`}}},
			Fixed: true, Edits: []dockerfile.Edit{{Start: 3, End: 4, Text: `CMD ["a", "b"]`}}, Before: "CMD a b", After: `CMD ["a", "b"]`,
		}, {
			Rule: "json-array", Severity: rule.Info, Line: 9, EndLine: 9, Col: 5, Message: "ü", Edits: []dockerfile.Edit{},
		}},
		Output: []byte("FROM x\nCMD [\"a\", \"b\"]\n"),
		Inputs: []Input{{Kind: "file", Name: "run.sh", Digest: "sha256:aa"}},
	}
}

func open(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "results"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func same(string) func(Input) (string, bool) {
	return func(in Input) (string, bool) { return in.Digest, true }
}

// reopen writes s's new entries and returns the store as the next run
// sees it.
func reopen(t *testing.T, s *Store) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(s.dir, Options{MaxBytes: s.maxBytes})
	if err != nil {
		t.Fatal(err)
	}
	s2.now = s.now
	return s2
}

func TestRoundTrip(t *testing.T) {
	s := open(t)
	entries := []*Entry{sample(), {}, {Findings: []rule.Finding{}}, {Changed: true, Output: []byte{}}}
	for i, e := range entries {
		k := key(fmt.Sprint(i))
		if _, ok := s.Get(k, src, same("")); ok {
			t.Fatal("hit in an empty store")
		}
		if err := s.Put(k, e, src); err != nil {
			t.Fatal(err)
		}
	}
	s = reopen(t, s)
	for i, e := range entries {
		got, ok := s.Get(key(fmt.Sprint(i)), src, same(""))
		if !ok {
			t.Fatal("miss after Put")
		}
		if !reflect.DeepEqual(got, e) {
			t.Errorf("got %#v\nwant %#v", got, e)
		}
	}
}

// TestCodecCoversFinding fails when a field is added to what an entry
// holds without the codec writing it: a cached result would lose it.
func TestCodecCoversFinding(t *testing.T) {
	for _, c := range []struct {
		v    any
		want []string
	}{
		{rule.Finding{}, []string{"Rule", "Severity", "Line", "EndLine", "Col", "Message", "Fix", "Fixed", "Edits", "Before", "After"}},
		{rule.Fix{}, []string{"Message", "Safety", "Edits"}},
		{dockerfile.Edit{}, []string{"Start", "End", "Text"}},
		{Entry{}, []string{"Changed", "Findings", "Output", "Inputs"}},
		{Input{}, []string{"Kind", "Name", "Digest"}},
	} {
		typ := reflect.TypeOf(c.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s has fields %v; the codec writes %v: update codec.go (and formatVersion)", typ, got, c.want)
		}
	}
	if rule.Error != 2 || rule.Suggested != 3 {
		t.Errorf("rule.Severity or rule.Safety changed: update the codec's bounds")
	}
}

func TestHasherFraming(t *testing.T) {
	a, b := NewHasher("v"), NewHasher("v")
	a.AddString("x", "ab")
	a.AddString("y", "c")
	b.AddString("x", "a")
	b.AddString("y", "bc")
	if a.Sum() == b.Sum() {
		t.Error("fields are not framed: (ab, c) and (a, bc) give the same key")
	}
	c, d := NewHasher("v"), NewHasher("v")
	c.AddStrings("l", []string{"a", "b"})
	d.AddStrings("l", []string{"ab"})
	if c.Sum() == d.Sum() {
		t.Error("list items are not framed")
	}
	if NewHasher("v1").Sum() == NewHasher("v2").Sum() {
		t.Error("the version is not in the key")
	}
	e, f := NewHasher("v"), NewHasher("v")
	e.AddString("label", "x")
	f.AddString("other", "x")
	if e.Sum() == f.Sum() {
		t.Error("labels are not in the key")
	}
}

// TestInputs: an entry that recorded an outside input (a context file, an
// image digest) is used only while that input is unchanged.
func TestInputs(t *testing.T) {
	s := open(t)
	k := key("inputs")
	if err := s.Put(k, sample(), src); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s)
	if _, ok := s.Get(k, src, same("")); !ok {
		t.Fatal("miss with the input unchanged")
	}
	if _, ok := s.Get(k, src, func(Input) (string, bool) { return "sha256:bb", true }); ok {
		t.Error("hit with the input's digest changed")
	}
	if _, ok := s.Get(k, src, func(Input) (string, bool) { return "", false }); ok {
		t.Error("hit with the input gone")
	}
	if _, ok := s.Get(k, src, nil); ok {
		t.Error("hit for a caller that cannot check inputs")
	}
}

// onePack replaces the store's packs by one holding data as k's entry.
func onePack(t *testing.T, s *Store, k Key, data []byte) *Store {
	t.Helper()
	s.Close()
	old, _ := filepath.Glob(filepath.Join(s.dir, packPrefix+"*"))
	for _, p := range old {
		os.Remove(p)
	}
	body := append([]byte(packMagic), data...)
	idx := binary.AppendUvarint(append([]byte{}, k[:]...), uint64(len(packMagic)))
	idx = binary.AppendUvarint(idx, uint64(len(data)))
	if err := writePack(s.dir, body, idx); err != nil {
		t.Fatal(err)
	}
	return reopen(t, s)
}

// TestDamagedEntries: an entry cut short, with any byte changed, filed
// under another key, or of another format is a miss; so is every entry of
// a pack whose index is damaged; and the next run's entry is used.
func TestDamagedEntries(t *testing.T) {
	s := open(t)
	k := key("damaged")
	e := sample()
	good, _ := encode(k, e, src)
	if s = onePack(t, s, k, good); true {
		if _, ok := s.Get(k, src, same("")); !ok {
			t.Fatal("a good entry is a miss")
		}
	}
	other := key("other")
	otherEntry, _ := encode(other, e, src)
	damaged := map[string][]byte{
		"empty":         {},
		"garbage":       []byte("not an entry\n{}"),
		"foreign key":   otherEntry,
		"older format":  bytes.Replace(good, []byte(fmt.Sprintf("%s %d ", magic, formatVersion)), []byte(magic+" 0 "), 1),
		"no newline":    bytes.ReplaceAll(good, []byte("\n"), nil),
		"trailing byte": append(bytes.Clone(good), 0),
	}
	for n := range len(good) {
		damaged[fmt.Sprintf("cut at %d", n)] = good[:n]
		flipped := bytes.Clone(good)
		flipped[n] ^= 0x20
		damaged[fmt.Sprintf("byte %d changed", n)] = flipped
	}
	// The checksum is checked too, not only the layout.
	body := encodeBody(k, &Entry{Findings: []rule.Finding{{Rule: "a", Message: "b"}}}, src)
	damaged["wrong checksum"] = append(fmt.Appendf(nil, "%s %d %s %x\n", magic, formatVersion, k, make([]byte, 32)), body...)
	for name, data := range damaged {
		s = onePack(t, s, k, data)
		if got, ok := s.Get(k, src, same("")); ok {
			t.Errorf("%s: used: %+v", name, got)
		}
	}
	// A pack cut short, or with a byte of its index or trailer changed.
	s = onePack(t, s, k, good)
	packs, _ := filepath.Glob(filepath.Join(s.dir, packPrefix+"*"))
	whole, _ := os.ReadFile(packs[0])
	for n := len(packMagic) + len(good); n < len(whole); n++ {
		for _, data := range [][]byte{whole[:n], append(append(bytes.Clone(whole[:n]), whole[n]^0x01), whole[n+1:]...)} {
			os.WriteFile(packs[0], data, 0o644)
			s = reopen(t, s)
			if _, ok := s.Get(k, src, same("")); ok {
				t.Errorf("pack damaged at byte %d: entry used", n)
			}
		}
	}
	// The run after stores a good entry again, and it is used.
	if err := s.Put(k, e, src); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s)
	if got, ok := s.Get(k, src, same("")); !ok || !reflect.DeepEqual(got, e) {
		t.Errorf("after a fresh Put over a damaged entry: %v %+v", ok, got)
	}
	if _, err := s.Verify(); err == nil {
		t.Errorf("Verify found no damage: the damaged pack is still there")
	}
}

func TestTrim(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "results")
	s, err := Open(dir, Options{MaxBytes: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	s.now = func() time.Time { return now }
	var keys []Key
	for i := range 40 {
		// One pack per run, the first the oldest.
		k := key(fmt.Sprint(i))
		keys = append(keys, k)
		if err := s.Put(k, &Entry{Changed: true, Output: bytes.Repeat([]byte{'x'}, 900)}, src); err != nil {
			t.Fatal(err)
		}
		s = reopen(t, s)
	}
	packs, _ := filepath.Glob(filepath.Join(dir, packPrefix+"*"))
	for _, p := range packs {
		sp, idx, err := openPack(p)
		if err != nil {
			t.Fatal(err)
		}
		sp.f.Close()
		i := slices.Index(keys, idx[0].k)
		old := now.Add(-time.Duration(100-i) * time.Minute) // key 0 the oldest
		os.Chtimes(p, old, old)
	}
	// A temporary file of a run that died long ago, and one being written.
	stale := filepath.Join(dir, tmpPrefix+"dead")
	fresh := filepath.Join(dir, tmpPrefix+"live")
	os.WriteFile(stale, []byte("x"), 0o644)
	os.WriteFile(fresh, []byte("x"), 0o644)
	os.Chtimes(stale, now.Add(-2*time.Hour), now.Add(-2*time.Hour))
	os.Chtimes(fresh, now, now)
	// Using an entry from a pack over an hour old copies it into the new
	// pack.
	s = reopen(t, s)
	if _, ok := s.Get(keys[0], src, nil); !ok {
		t.Fatal("miss")
	}
	s = reopen(t, s)
	if err := s.Trim(); err != nil {
		t.Fatal(err)
	}
	var total int64
	packs, _ = filepath.Glob(filepath.Join(dir, packPrefix+"*"))
	for _, p := range packs {
		if fi, err := os.Stat(p); err == nil {
			total += fi.Size()
		}
	}
	if total > 10_000 {
		t.Errorf("store holds %d bytes after Trim, bound 10000", total)
	}
	s = reopen(t, s)
	if _, ok := s.Get(keys[0], src, nil); !ok {
		t.Error("the entry used last was evicted")
	}
	if _, ok := s.Get(keys[1], src, nil); ok {
		t.Error("the oldest entry was kept")
	}
	if _, ok := s.Get(keys[39], src, nil); !ok {
		t.Error("the newest entry was evicted")
	}
	if _, err := os.Stat(stale); err == nil {
		t.Error("a stale temporary file was kept")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Error("a temporary file being written was removed")
	}
}

// TestMerge: more than maxPacks packs are merged into one, every entry
// kept.
func TestMerge(t *testing.T) {
	s := open(t)
	for i := range maxPacks + 5 {
		s.Put(key(fmt.Sprint(i)), &Entry{Findings: []rule.Finding{{Rule: fmt.Sprint(i)}}}, src)
		s = reopen(t, s)
	}
	s.Put(key("last"), &Entry{}, src)
	s.Close()
	if err := s.MaybeTrim(); err != nil {
		t.Fatal(err)
	}
	packs, _ := filepath.Glob(filepath.Join(s.dir, packPrefix+"*"))
	if len(packs) != 1 {
		t.Errorf("%d packs after merging", len(packs))
	}
	s = reopen(t, s)
	for i := range maxPacks + 5 {
		if e, ok := s.Get(key(fmt.Sprint(i)), src, nil); !ok || e.Findings[0].Rule != fmt.Sprint(i) {
			t.Errorf("entry %d lost in the merge", i)
		}
	}
	if n, err := s.Verify(); err != nil || n != maxPacks+6 {
		t.Errorf("Verify: %d entries, %v", n, err)
	}
}

// TestConcurrent: stores in the same folder writing and reading the same
// keys at once see whole entries or none, and leave only whole packs.
func TestConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "results")
	entry := func(i int) *Entry {
		return &Entry{Changed: true, Output: []byte(strings.Repeat(fmt.Sprint(i%10), 1000))}
	}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for range 5 {
				s, err := Open(dir, Options{MaxBytes: 30_000})
				if err != nil {
					t.Error(err)
					return
				}
				for i := range 10 {
					k := key(fmt.Sprint(i))
					if got, ok := s.Get(k, src, nil); ok && !reflect.DeepEqual(got, entry(i)) {
						t.Errorf("worker %d: entry %d holds %q", w, i, got.Output[:10])
					}
					if err := s.Put(k, entry(i), src); err != nil {
						t.Error(err)
					}
				}
				s.Close()
				s.MaybeTrim()
			}
		})
	}
	wg.Wait()
	matches, _ := filepath.Glob(filepath.Join(dir, tmpPrefix+"*"))
	if len(matches) > 0 {
		t.Errorf("temporary files left: %v", matches)
	}
	s, _ := Open(dir, Options{})
	if _, err := s.Verify(); err != nil {
		t.Error(err)
	}
}

// TestOutputAsChange: the output is stored as a change to the file and
// put together again exactly, whatever the two share; given another file
// than the entry was made from, the output's checksum refuses it.
func TestOutputAsChange(t *testing.T) {
	s := open(t)
	pairs := [][2]string{
		{"", "FROM x\n"}, {"FROM x\n", ""}, {"aaa", "aaaa"}, {"aaaa", "aaa"}, {"abcabc", "abc"},
		{"FROM x\nRUN a\nCMD b\n", "FROM x\nRUN  a\nCMD b\n"}, {"x\n", "y\n"}, {"same\n", "same\n"},
	}
	for i, p := range pairs {
		from, out := []byte(p[0]), []byte(p[1])
		k := key("change", fmt.Sprint(i))
		e := &Entry{Changed: true, Output: out}
		if err := s.Put(k, e, from); err != nil {
			t.Fatal(err)
		}
		s = reopen(t, s)
		got, ok := s.Get(k, from, nil)
		if !ok || string(got.Output) != p[1] {
			t.Errorf("%q -> %q: got %v %+v", p[0], p[1], ok, got)
		}
		if p[0] != "" && p[0] != p[1] {
			if got, ok := s.Get(k, append([]byte("#"), from[1:]...), nil); ok && string(got.Output) != p[1] {
				t.Errorf("%q -> %q: from another file, a wrong output %q was used", p[0], p[1], got.Output)
			}
		}
	}
}
