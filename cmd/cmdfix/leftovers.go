package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"sync"
	"time"
)

// A cmdfix -w run killed with SIGKILL (which no handler can catch) leaves
// its temporary file beside the file it was writing: ".NAME.cmdfix-DIGITS"
// (writeFile's pattern; os.CreateTemp puts digits for the *). The next run
// over the folder removes such files, and only those: the exact pattern,
// a regular file, the file NAME beside it (the one it was to replace),
// older than leftoverAge (so a concurrent run's file being written is
// left alone), and not one of this run's own.

// leftoverAge is how old a temporary file must be to count as left over.
const leftoverAge = time.Minute

var leftoverPattern = regexp.MustCompile(`^\.(.+)\.cmdfix-[0-9]+$`)

// isLeftoverName reports whether name has the pattern of cmdfix's
// temporary files.
func isLeftoverName(name string) bool { return leftoverPattern.MatchString(name) }

// leftovers removes temporary files and remembers what it removed, for a
// note on standard error at the end of the run.
type leftovers struct {
	swept map[string]bool // folders of named files already swept (walker's goroutine only)

	mu      sync.Mutex
	removed []string
	failed  []string
}

// sweep removes path (named like a temporary file, found in a folder
// whose entries are given) if it is a leftover.
func (l *leftovers) sweep(path string, e fs.DirEntry, entries []fs.DirEntry) {
	if l == nil {
		return
	}
	m := leftoverPattern.FindStringSubmatch(e.Name())
	if m == nil || !hasEntry(entries, m[1]) {
		return
	}
	info, err := e.Info()
	if err != nil {
		return
	}
	l.removeIfOld(path, info)
}

// sweepBeside removes the leftovers in the folder of a file named on the
// command line (its target's folder, for a symlink), reading each folder
// once per run.
func (l *leftovers) sweepBeside(file string) {
	if l == nil {
		return
	}
	target, err := filepath.EvalSymlinks(file)
	if err != nil {
		return
	}
	dir := filepath.Dir(target)
	if l.swept[dir] {
		return
	}
	if l.swept == nil {
		l.swept = map[string]bool{}
	}
	l.swept[dir] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() && isLeftoverName(e.Name()) {
			l.sweep(filepath.Join(dir, e.Name()), e, entries)
		}
	}
}

func (l *leftovers) removeIfOld(path string, info fs.FileInfo) {
	if !info.Mode().IsRegular() || time.Since(info.ModTime()) < leftoverAge || temps.has(path) {
		return
	}
	err := os.Remove(path)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil && !os.IsNotExist(err) {
		l.failed = append(l.failed, pathError(path, err).Error())
		return
	}
	if err == nil {
		l.removed = append(l.removed, path)
	}
}

// report says on w what was removed, or could not be.
func (l *leftovers) report(w io.Writer) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	sort.Strings(l.removed)
	for _, p := range l.removed {
		fmt.Fprintf(w, "cmdfix: removed %s, a temporary file left by an interrupted cmdfix -w\n", p)
	}
	for _, msg := range l.failed {
		fmt.Fprintf(w, "cmdfix: cannot remove a temporary file left by an interrupted cmdfix -w: %s\n", msg)
	}
}
