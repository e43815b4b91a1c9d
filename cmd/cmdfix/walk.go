package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	gitignore "github.com/boyter/gocodewalker/go-gitignore"

	"github.com/cmdfix/cmdfix/internal/fileutil"
)

// skipDirs are never walked into, whatever the ignore files say.
var skipDirs = map[string]bool{".git": true, "node_modules": true}

// walker turns the command-line paths into jobs, in a fixed order: the
// paths in the order given, and below each directory the Dockerfiles in
// lexical order of their path, component by component (the order of
// filepath.WalkDir). Files named on the command line are always processed;
// files found by walking are skipped when a .gitignore says so.
type walker struct {
	noIgnore bool       // --no-ignore: read no .gitignore files
	emit     func(*job) // receives each job as soon as it is found

	walkedDir bool // a directory was walked (a multi-file run)
	// leftovers, when not nil, removes the temporary files of killed
	// cmdfix -w runs from the folders walked.
	leftovers *leftovers
	// seen holds the files already emitted (by fileID), when more than one
	// path is given and two of them may overlap. One walk never meets a
	// file twice (symbolic links found while walking are not followed),
	// so a single path keeps no set that grows with the files.
	seen map[any]bool
}

// walk emits the jobs for paths.
func (w *walker) walk(paths []string) {
	if len(paths) > 1 {
		w.seen = map[any]bool{}
	}
	for _, p := range paths {
		info, err := os.Stat(p) // a named symlink is followed
		switch {
		case err != nil:
			w.fail(p, pathError(p, err))
		case info.IsDir():
			w.walkedDir = true
			w.walkRoot(p)
		case !info.Mode().IsRegular():
			w.fail(p, fmt.Errorf("%s: not a regular file; skipped", p))
		default:
			w.leftovers.sweepBeside(p)
			w.add(&job{path: p, info: info})
		}
	}
}

func (w *walker) fail(path string, err error) {
	w.emit(&job{path: path, err: err})
}

// add emits a job unless its file was already emitted.
func (w *walker) add(j *job) {
	if w.seen != nil {
		id := fileID(j.path, j.info)
		if w.seen[id] {
			return
		}
		w.seen[id] = true
	}
	w.emit(j)
}

// ignoreState is what the walk knows about ignore rules at one folder:
// the ignore files in force, from the repository root down, and the
// folder's path as components relative to the repository root.
type ignoreState struct {
	levels []ignoreLevel
	rel    []string
}

// ignoreLevel is one ignore file and the depth (in rel) of the folder its
// patterns are relative to.
type ignoreLevel struct {
	rules gitignore.GitIgnore
	depth int
}

// ignored reports whether the entry name of the folder is ignored: the
// last pattern that matches it decides, deeper ignore files overriding
// shallower ones, as in git.
func (st ignoreState) ignored(name string, isDir bool) bool {
	if len(st.levels) == 0 {
		return false
	}
	path := append(st.rel[:len(st.rel):len(st.rel)], name)
	ignored := false
	for _, l := range st.levels {
		if m := l.rules.Relative(strings.Join(path[l.depth:], "/"), isDir); m != nil {
			ignored = m.Ignore()
		}
	}
	return ignored
}

// with returns st with the ignore file at path added, for a folder at
// depth len(st.rel).
func (st ignoreState) with(path string) ignoreState {
	if rules := readIgnoreFile(path); rules != nil {
		st.levels = append(st.levels[:len(st.levels):len(st.levels)], ignoreLevel{rules, len(st.rel)})
	}
	return st
}

// walkRoot walks a directory named on the command line.
func (w *walker) walkRoot(dir string) {
	var st ignoreState
	if !w.noIgnore {
		st = ancestorIgnores(dir)
	}
	w.walkDir(dir, st, true)
}

// walkDir emits the Dockerfiles below dir.
func (w *walker) walkDir(dir string, st ignoreState, root bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.fail(dir, pathError(dir, err))
		return
	}
	if !w.noIgnore {
		if !root && hasEntry(entries, ".git") {
			// A nested repository (or submodule): git applies none of the
			// outer repository's rules inside it.
			st = ignoreState{}.with(infoExclude(dir))
		}
		if hasEntry(entries, ".gitignore") {
			st = st.with(filepath.Join(dir, ".gitignore"))
		}
	}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		if e.IsDir() {
			if skipDirs[name] || st.ignored(name, true) {
				continue
			}
			sub := st
			sub.rel = append(st.rel[:len(st.rel):len(st.rel)], name)
			w.walkDir(path, sub, false)
			continue
		}
		if e.Type().IsRegular() && isLeftoverName(name) {
			w.leftovers.sweep(path, e, entries)
			continue
		}
		// Symlinks, FIFOs and devices found by walking are skipped: a
		// symlink's target is processed where it lives.
		if !e.Type().IsRegular() || !fileutil.IsDockerfile(name) || st.ignored(name, false) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			w.fail(path, pathError(path, err))
			continue
		}
		w.add(&job{path: path, info: info})
	}
}

// ancestorIgnores returns the ignore rules in force at a directory named
// on the command line: those of its repository's .git/info/exclude and of
// the .gitignore files between the repository root and the directory, as
// git applies them. Outside a repository only the directory's own and
// nested .gitignore files count. A directory that those rules ignore is
// walked all the same, with only its own rules: the user named it.
func ancestorIgnores(dir string) ignoreState {
	abs := absPath(dir)
	root := abs
	for {
		if _, err := os.Lstat(filepath.Join(root, ".git")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return ignoreState{} // not in a repository
		}
		root = parent
	}
	var rel []string
	if r, err := filepath.Rel(root, abs); err == nil && r != "." {
		rel = strings.Split(r, string(filepath.Separator))
	}
	st := ignoreState{}.with(infoExclude(root))
	for i := range rel {
		st.rel = rel[:i]
		st = st.with(filepath.Join(root, filepath.Join(rel[:i]...), ".gitignore"))
		if st.ignored(rel[i], true) {
			return ignoreState{}
		}
	}
	st.rel = rel
	return st
}

// infoExclude names a repository's .git/info/exclude, which git applies
// like a .gitignore at the root. (A worktree's .git is a file; its
// exclude file lives in the main repository and is not read.)
func infoExclude(root string) string {
	return filepath.Join(root, ".git", "info", "exclude")
}

// readIgnoreFile parses an ignore file; nil when it is missing, unreadable
// or has no patterns. The library reads the patterns as git does
// (comments, escapes, trailing spaces, negation, anchoring, **); a leading
// BOM, which git also skips, is dropped first.
func readIgnoreFile(path string) gitignore.GitIgnore {
	data, err := os.ReadFile(path)
	if err != nil || len(bytes.TrimSpace(data)) == 0 {
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	return gitignore.New(bytes.NewReader(data), filepath.Dir(path), nil)
}

func hasEntry(entries []os.DirEntry, name string) bool {
	for _, e := range entries {
		if e.Name() == name {
			return true
		}
	}
	return false
}

// absPath returns path made absolute, or path itself when the current
// folder is unknown.
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}
