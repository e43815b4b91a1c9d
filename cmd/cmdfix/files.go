package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
)

// maxFileSize is the largest file cmdfix reads. Real Dockerfiles are a few
// kilobytes; anything near this is not one.
const maxFileSize = 16 << 20

// pathError words a file-system error as "PATH: what is wrong".
func pathError(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no such file or directory", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: permission denied", path)
	}
	return fmt.Errorf("%s: %v", path, err)
}

// tooLarge words the refusal of a file too large to be a Dockerfile.
func tooLarge(path string, size int64) error {
	return fmt.Errorf("%s: %d MiB is larger than the %d MiB limit; not a Dockerfile cmdfix will process", path, size>>20, maxFileSize>>20)
}

// readFile reads a regular file, refusing ones too large to be a
// Dockerfile and noticing when the file changes while it is read. info is
// what the file was when it was found; the file opened must still be that
// file and still regular, so a FIFO put in its place is never read (it is
// opened without blocking, and refused).
func readFile(path string, info os.FileInfo) ([]byte, error) {
	if info.Size() > maxFileSize {
		return nil, tooLarge(path, info.Size())
	}
	f, err := os.OpenFile(path, os.O_RDONLY|openNonBlocking, 0)
	if err != nil {
		return nil, pathError(path, err)
	}
	defer f.Close()
	now, err := f.Stat()
	if err != nil {
		return nil, pathError(path, err)
	}
	switch {
	case !now.Mode().IsRegular():
		return nil, fmt.Errorf("%s: not a regular file; skipped", path)
	case !os.SameFile(now, info) || now.Size() != info.Size():
		return nil, fmt.Errorf("%s: changed while being read; skipped", path)
	}
	// Read one byte more than the size, to notice a file that grew, into
	// a buffer of that size: one read and one allocation for most files.
	src := make([]byte, info.Size()+1)
	n, err := io.ReadFull(f, src)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, pathError(path, err)
	}
	src = src[:n:n]
	if int64(len(src)) != info.Size() {
		return nil, fmt.Errorf("%s: changed while being read; skipped", path)
	}
	return src, nil
}

// writeFile replaces path's content with data atomically: a temporary file
// in the same folder, synced, given the original's mode, then renamed over
// the target (a symlink's target, so the link stays a link). A file that is
// read-only, or that changed since it was read, is not written.
func writeFile(path string, info os.FileInfo, data []byte) error {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return pathError(path, err)
	}
	if info.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("%s: file is read-only; not written", path)
	}
	now, err := os.Stat(target)
	if err != nil {
		return pathError(path, err)
	}
	if !os.SameFile(now, info) || now.Size() != info.Size() || !now.ModTime().Equal(info.ModTime()) {
		return fmt.Errorf("%s: changed while cmdfix was working; not written", path)
	}
	dir := filepath.Dir(target)
	tmp, err := temps.create(dir, "."+filepath.Base(target)+".cmdfix-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("%s: cannot create a temporary file in %s: %v; not written", path, dir, err)
	}
	name := tmp.Name()
	defer temps.remove(name)
	ok := false
	defer func() {
		if !ok {
			os.Remove(name)
		}
	}()
	// The new file takes the old one's owner (possible as root, or for a
	// group one belongs to) before it gets its mode, so setuid and setgid
	// bits survive; a file cmdfix cannot give back to its owner is not
	// written.
	if err := keepOwner(tmp, info); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %v; not written", path, err)
	}
	mode := info.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return pathError(path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return pathError(path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return pathError(path, err)
	}
	if err := tmp.Close(); err != nil {
		return pathError(path, err)
	}
	if err := os.Rename(name, target); err != nil {
		return pathError(path, err)
	}
	ok = true
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable. Failure only weakens durability, so it
// is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// temps tracks temporary files being written, so an interrupted run can
// remove them.
var temps = tempSet{names: map[string]bool{}}

type tempSet struct {
	mu    sync.Mutex
	names map[string]bool
}

// create makes a temporary file and records it in one step, so a signal
// cannot come between the two.
func (t *tempSet) create(dir, pattern string) (*os.File, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f, err := os.CreateTemp(dir, pattern)
	if err == nil {
		t.names[f.Name()] = true
	}
	return f, err
}

// has reports whether name is one of this run's temporary files.
func (t *tempSet) has(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.names[name]
}

func (t *tempSet) remove(name string) {
	t.mu.Lock()
	delete(t.names, name)
	t.mu.Unlock()
}

// removeAll deletes every temporary file still being written. It keeps the
// lock, so no new one is renamed into place afterwards.
func (t *tempSet) removeAll() {
	t.mu.Lock()
	for name := range t.names {
		os.Remove(name)
	}
}

// cleanUpOnSignal removes temporary files when the run is interrupted with
// SIGINT, SIGTERM or SIGHUP, then exits with the conventional status
// (128 + the signal's number). A file is always either its original or its
// complete result: renames are atomic.
func cleanUpOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			temps.removeAll()
			code := 130
			switch sig {
			case syscall.SIGTERM:
				code = 143
			case syscall.SIGHUP:
				code = 129
			}
			os.Exit(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}
