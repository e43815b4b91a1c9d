package cache

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// The body of an entry, in order: the key (32 bytes), changed (one byte),
// the findings, the output when changed, the inputs. The output is stored
// as a change to the file: the length of the prefix and of the suffix the
// two share, the bytes between, and the SHA-256 of the whole output,
// which Get checks after putting it together again. Fixes and formatting
// touch a few lines, so an entry is a fraction of the file's size.
// Numbers are varints, strings and byte strings are a length then the
// bytes, lists are their length plus one (zero for nil, so that a nil list
// comes back nil and an empty one empty), booleans one byte. A binary
// layout: JSON made decoding the largest cost of a warm run.
//
// Every field of rule.Finding is written (TestCodecCoversFinding fails
// when one is added without being written here).

func encodeBody(k Key, e *Entry, src []byte) []byte {
	b := make([]byte, 0, 256)
	b = append(b, k[:]...)
	b = appendBool(b, e.Changed)
	b = appendLen(b, len(e.Findings), e.Findings == nil)
	for i := range e.Findings {
		f := &e.Findings[i]
		b = appendString(b, f.Rule)
		b = binary.AppendUvarint(b, uint64(f.Severity))
		b = binary.AppendVarint(b, int64(f.Line))
		b = binary.AppendVarint(b, int64(f.EndLine))
		b = binary.AppendVarint(b, int64(f.Col))
		b = appendString(b, f.Message)
		b = appendBool(b, f.Fix != nil)
		if f.Fix != nil {
			b = appendString(b, f.Fix.Message)
			b = binary.AppendUvarint(b, uint64(f.Fix.Safety))
			b = appendEdits(b, f.Fix.Edits)
		}
		b = appendBool(b, f.Fixed)
		b = appendEdits(b, f.Edits)
		b = appendString(b, f.Before)
		b = appendString(b, f.After)
	}
	if e.Changed {
		pre, suf := common(src, e.Output)
		b = binary.AppendUvarint(b, uint64(pre))
		b = binary.AppendUvarint(b, uint64(suf))
		b = appendString(b, string(e.Output[pre:len(e.Output)-suf]))
		sum := sha256.Sum256(e.Output)
		b = append(b, sum[:]...)
	}
	b = appendLen(b, len(e.Inputs), e.Inputs == nil)
	for _, in := range e.Inputs {
		b = appendString(b, in.Kind)
		b = appendString(b, in.Name)
		b = appendString(b, in.Digest)
	}
	return b
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, 1)
	}
	return append(b, 0)
}

func appendLen(b []byte, n int, isNil bool) []byte {
	if isNil {
		return append(b, 0)
	}
	return binary.AppendUvarint(b, uint64(n)+1)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendEdits(b []byte, edits []dockerfile.Edit) []byte {
	b = appendLen(b, len(edits), edits == nil)
	for _, e := range edits {
		b = binary.AppendVarint(b, int64(e.Start))
		b = binary.AppendVarint(b, int64(e.End))
		b = appendString(b, e.Text)
	}
	return b
}

var errCorrupt = errors.New("corrupt entry")

// reader reads a body; the first problem sticks in err and every later
// read returns zero values.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail() { r.err, r.b = errCorrupt, nil }

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || n > len(r.b) {
		r.fail()
		return nil
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) int() int {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 || int64(int(v)) != v {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *reader) bool() bool {
	b := r.bytes(1)
	if r.err != nil {
		return false
	}
	if b[0] > 1 {
		r.fail()
	}
	return b[0] == 1
}

func (r *reader) string() string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	return string(r.bytes(int(n)))
}

// len reads a list's length: ok false for a nil list. A length longer
// than what is left (each element takes a byte at least) is corrupt.
func (r *reader) len() (n int, ok bool) {
	v := r.uvarint()
	if v == 0 || r.err != nil {
		return 0, false
	}
	if v-1 > uint64(len(r.b)) {
		r.fail()
		return 0, false
	}
	return int(v - 1), true
}

func (r *reader) small(max uint64) uint8 {
	v := r.uvarint()
	if v > max {
		r.fail()
	}
	return uint8(v)
}

func (r *reader) edits() []dockerfile.Edit {
	n, ok := r.len()
	if !ok {
		return nil
	}
	out := make([]dockerfile.Edit, n)
	for i := range out {
		out[i] = dockerfile.Edit{Start: r.int(), End: r.int(), Text: r.string()}
	}
	return out
}

// decodeBodyFrom decodes a body; without rebuild, it checks the layout
// and leaves the output out (src is then not needed).
func decodeBodyFrom(k Key, body, src []byte, rebuild bool) (*Entry, error) {
	r := &reader{b: body}
	if string(r.bytes(len(k))) != string(k[:]) {
		return nil, errForeign
	}
	e := &Entry{Changed: r.bool()}
	if n, ok := r.len(); ok {
		e.Findings = make([]rule.Finding, n)
		for i := range e.Findings {
			f := &e.Findings[i]
			f.Rule = r.string()
			f.Severity = rule.Severity(r.small(uint64(rule.Error)))
			f.Line, f.EndLine, f.Col = r.int(), r.int(), r.int()
			f.Message = r.string()
			if r.bool() {
				f.Fix = &rule.Fix{Message: r.string(), Safety: rule.Safety(r.small(uint64(rule.Suggested))), Edits: r.edits()}
			}
			f.Fixed = r.bool()
			f.Edits = r.edits()
			f.Before, f.After = r.string(), r.string()
		}
	}
	if e.Changed {
		pre, suf := r.uvarint(), r.uvarint()
		mid := []byte(r.string())
		sum := r.bytes(sha256.Size)
		if r.err != nil {
			return nil, r.err
		}
		if !rebuild {
			pre, suf, src = 0, 0, nil
		}
		if pre > uint64(len(src)) || suf > uint64(len(src))-pre {
			return nil, errCorrupt
		}
		out := make([]byte, 0, int(pre)+len(mid)+int(suf))
		out = append(out, src[:pre]...)
		out = append(out, mid...)
		out = append(out, src[uint64(len(src))-suf:]...)
		if rebuild && sha256.Sum256(out) != [sha256.Size]byte(sum) {
			return nil, errCorrupt
		}
		e.Output = out
	}
	if n, ok := r.len(); ok {
		e.Inputs = make([]Input, n)
		for i := range e.Inputs {
			e.Inputs[i] = Input{Kind: r.string(), Name: r.string(), Digest: r.string()}
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, errCorrupt
	}
	return e, nil
}

// common returns the lengths of the longest prefix and, in what is left,
// the longest suffix a and b share.
func common(a, b []byte) (pre, suf int) {
	n := min(len(a), len(b))
	for pre < n && a[pre] == b[pre] {
		pre++
	}
	for suf < n-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	return pre, suf
}
