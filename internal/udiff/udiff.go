// Package udiff writes unified diffs that git apply and patch -p1 accept.
package udiff

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffContext is the number of unchanged lines around each hunk, as in
// diff -u and git.
const diffContext = 3

type diffLine struct {
	op   byte // ' ', '-' or '+'
	text []byte
}

// Unified returns a unified diff from a to b with "--- oldName" and
// "+++ newName" headers (a name with a blank ends in a tab, as git writes
// it, so that patch does not cut it at the blank), in the form git apply
// and patch -p1 accept
// (including "\ No newline at end of file"). It returns nil when a and b are
// equal.
func Unified(oldName, newName string, a, b []byte) []byte {
	if bytes.Equal(a, b) {
		return nil
	}
	ops := diffLines(a, b)
	var out bytes.Buffer
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", headerName(oldName), headerName(newName))

	// oldAt[i] and newAt[i] are the 0-based line numbers before op i.
	oldAt := make([]int, len(ops)+1)
	newAt := make([]int, len(ops)+1)
	for i, op := range ops {
		oldAt[i+1], newAt[i+1] = oldAt[i], newAt[i]
		if op.op != '+' {
			oldAt[i+1]++
		}
		if op.op != '-' {
			newAt[i+1]++
		}
	}
	for i := 0; i < len(ops); {
		if ops[i].op == ' ' {
			i++
			continue
		}
		// A hunk starts diffContext lines before the first change and grows
		// while the gaps between changes are at most 2*diffContext lines.
		start := max(i-diffContext, 0)
		end := i
		for j := i; j < len(ops); j++ {
			if ops[j].op != ' ' {
				end = j + 1
				continue
			}
			if j-end >= 2*diffContext {
				break
			}
		}
		end = min(end+diffContext, len(ops))
		writeHunk(&out, ops[start:end], oldAt[start], newAt[start])
		i = end
	}
	return out.Bytes()
}

func writeHunk(out *bytes.Buffer, ops []diffLine, oldStart, newStart int) {
	oldN, newN := 0, 0
	for _, op := range ops {
		if op.op != '+' {
			oldN++
		}
		if op.op != '-' {
			newN++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(oldStart, oldN), hunkRange(newStart, newN))
	for _, op := range ops {
		out.WriteByte(op.op)
		out.Write(op.text)
		if len(op.text) == 0 || op.text[len(op.text)-1] != '\n' {
			out.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats one side of a hunk header the way GNU diff does: the
// count is omitted when it is 1, and an empty range names the line before.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// diffLines computes a minimal line diff with go-diff's line mode.
func diffLines(a, b []byte) []diffLine {
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0 // exact results; the default timeout degrades large inputs
	ca, cb, lines := dmp.DiffLinesToChars(string(a), string(b))
	diffs := dmp.DiffCharsToLines(dmp.DiffMain(ca, cb, false), lines)
	var ops []diffLine
	for _, d := range diffs {
		op := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = '-'
		case diffmatchpatch.DiffInsert:
			op = '+'
		}
		for _, l := range bytes.SplitAfter([]byte(d.Text), []byte("\n")) {
			if len(l) > 0 {
				ops = append(ops, diffLine{op, l})
			}
		}
	}
	return ops
}

// headerName writes a file name for a ---/+++ header as git does: one
// that holds a blank is followed by a tab, which tells patch where the
// name ends.
func headerName(name string) string {
	if strings.ContainsAny(name, " \t") {
		return name + "\t"
	}
	return name
}
