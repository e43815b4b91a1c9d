package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/cmdfix/cmdfix/rewrite/fileutil"
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
	// seen holds the files already emitted, when more than one path is
	// given and two of them may overlap. One walk never meets a file twice:
	// symbolic links found while walking are not followed.
	seen map[string]bool
}

// walk emits the jobs for paths.
func (w *walker) walk(paths []string) {
	if len(paths) > 1 {
		w.seen = map[string]bool{}
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
			key := p
			if w.seen != nil {
				if real, err := filepath.EvalSymlinks(p); err == nil {
					key = absPath(real)
				}
			}
			w.add(key, &job{path: p, info: info})
		}
	}
}

func (w *walker) fail(path string, err error) {
	w.emit(&job{path: path, err: err})
}

// add emits a job unless its file (identified by key) was already emitted.
func (w *walker) add(key string, j *job) {
	if w.seen != nil {
		if w.seen[key] {
			return
		}
		w.seen[key] = true
	}
	w.emit(j)
}

// ignoreState is what the walk knows about ignore rules at one directory:
// the patterns in force, and the directory's path as components relative
// to the repository root the patterns are written against.
type ignoreState struct {
	patterns []gitignore.Pattern
	rel      []string
}

// walkRoot walks a directory named on the command line.
func (w *walker) walkRoot(dir string) {
	key := dir
	if w.seen != nil {
		if real, err := filepath.EvalSymlinks(dir); err == nil {
			key = absPath(real)
		}
	}
	var st ignoreState
	if !w.noIgnore {
		st = ancestorIgnores(dir)
	}
	w.walkDir(dir, key, st, true)
}

// walkDir emits the Dockerfiles below dir. key is dir's identity for
// w.seen.
func (w *walker) walkDir(dir, key string, st ignoreState, root bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.fail(dir, pathError(dir, err))
		return
	}
	if !w.noIgnore {
		if !root && hasEntry(entries, ".git") {
			// A nested repository (or submodule): git applies none of the
			// outer repository's rules inside it.
			st = ignoreState{patterns: infoExclude(dir)}
		}
		if hasEntry(entries, ".gitignore") {
			st.patterns = append(st.patterns[:len(st.patterns):len(st.patterns)], readIgnoreFile(filepath.Join(dir, ".gitignore"), st.rel)...)
		}
	}
	var m gitignore.Matcher
	if len(st.patterns) > 0 {
		m = gitignore.NewMatcher(st.patterns)
	}
	ignored := func(name string, isDir bool) bool {
		return m != nil && m.Match(append(st.rel[:len(st.rel):len(st.rel)], name), isDir)
	}
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(dir, name)
		if e.IsDir() {
			if skipDirs[name] || ignored(name, true) {
				continue
			}
			sub := st
			sub.rel = append(st.rel[:len(st.rel):len(st.rel)], name)
			w.walkDir(path, w.childKey(key, name), sub, false)
			continue
		}
		// Symlinks, FIFOs and devices found by walking are skipped: a
		// symlink's target is processed where it lives.
		if !e.Type().IsRegular() || !fileutil.IsDockerfile(name) || ignored(name, false) {
			continue
		}
		info, err := e.Info()
		if err != nil {
			w.fail(path, pathError(path, err))
			continue
		}
		w.add(w.childKey(key, name), &job{path: path, info: info})
	}
}

// childKey is the identity of an entry of the directory identified by
// key, when identities are tracked.
func (w *walker) childKey(key, name string) string {
	if w.seen == nil {
		return ""
	}
	return key + string(filepath.Separator) + name
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
	patterns := infoExclude(root)
	for i := range rel {
		patterns = append(patterns, readIgnoreFile(filepath.Join(root, filepath.Join(rel[:i]...), ".gitignore"), rel[:i])...)
		if gitignore.NewMatcher(patterns).Match(rel[:i+1], true) {
			return ignoreState{}
		}
	}
	return ignoreState{patterns: patterns, rel: rel}
}

// infoExclude reads a repository's .git/info/exclude, which git applies
// like a .gitignore at the root. (A worktree's .git is a file; its
// exclude file lives in the main repository and is not read.)
func infoExclude(root string) []gitignore.Pattern {
	return readIgnoreFile(filepath.Join(root, ".git", "info", "exclude"), nil)
}

// readIgnoreFile parses a .gitignore whose patterns are relative to the
// directory domain. A missing or unreadable file has no patterns. Lines
// are split as git does: a CR before the LF and a leading BOM are dropped,
// blank lines and comments skipped; the library handles the rest (escapes,
// trailing spaces, negation, anchoring, **).
func readIgnoreFile(path string, domain []string) []gitignore.Pattern {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var ps []gitignore.Pattern
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(string(line), domain))
	}
	return ps
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
