// Package buildcontext models the build context of a Dockerfile: which files
// BuildKit sends (after .dockerignore), and which context file COPY and ADD
// put at a given path of the image.
//
// Everything here is bounded and never fails the caller's run: a file that
// cannot be found or read comes back with a [Status] other than [Found] and a
// reason, written to be quoted in a message.
//
// The package imports nothing else from cmdfix.
package buildcontext

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// DefaultIgnoreFile is the ignore file BuildKit reads at the root of the
// context when the Dockerfile has no ignore file of its own.
const DefaultIgnoreFile = ".dockerignore"

// maxIgnoreFile bounds the ignore file read, as BuildKit bounds it (its
// frontend refuses files above the gRPC message size; 16 MiB is that default).
const maxIgnoreFile = 16 << 20

// maxLinks bounds the symbolic links followed while resolving one path, as the
// kernel's own limit does.
const maxLinks = 40

// Context is a build context folder with its ignore rules.
type Context struct {
	root    string // absolute path of the context folder
	ignore  string // path of the ignore file in use, "" for none
	matcher *patternmatcher.PatternMatcher

	mu      sync.Mutex
	touched map[string]bool // every path looked at (see Touched)
}

// touch records that path was looked at.
func (c *Context) touch(path string) {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.touched == nil {
		c.touched = map[string]bool{}
	}
	c.touched[path] = true
}

// Touched returns, sorted, every path the context looked at so far: the
// ignore files it tried (present or not), the folders it listed, the
// links and files it followed or read. An answer built from the context
// can change only if one of them changes (a new file in a listed folder
// changes that folder), so a cache keyed by their metadata knows when.
func (c *Context) Touched() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.touched))
	for p := range c.touched {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Open opens the context folder dir for the Dockerfile at dockerfilePath
// ("" when the Dockerfile came from standard input).
//
// It reads the ignore rules the way BuildKit's Dockerfile frontend does: the
// file named after the Dockerfile with ".dockerignore" appended, beside the
// Dockerfile (Dockerfile.dockerignore, app.Dockerfile.dockerignore), is used
// when it exists, even when it is empty; otherwise .dockerignore at the root of
// the context. The two are never merged. A missing ignore file is not an
// error. Open returns an error only when the folder cannot serve as a context
// or an ignore file exists and cannot be read or parsed; its text names the
// file and is fit for a message.
func Open(dir, dockerfilePath string) (*Context, error) {
	root, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("build context %s: %v", dir, err)
	}
	st, err := os.Stat(root)
	if err != nil {
		return nil, fmt.Errorf("build context %s: %v", dir, plainErr(err))
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("build context %s is not a folder", dir)
	}
	c := &Context{root: root}
	candidates := []string{}
	if dockerfilePath != "" {
		candidates = append(candidates, dockerfilePath+".dockerignore")
	}
	candidates = append(candidates, filepath.Join(root, DefaultIgnoreFile))
	for _, name := range candidates {
		c.touch(name)
		data, found, err := readIgnoreFile(name)
		if err != nil {
			return nil, err
		}
		if !found {
			continue
		}
		c.ignore = name
		patterns, err := ignorefile.ReadAll(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if len(patterns) > 0 {
			m, err := patternmatcher.New(patterns)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
			c.matcher = m
		}
		break
	}
	return c, nil
}

// readIgnoreFile reads one ignore file candidate; found is false when there is
// no such file.
func readIgnoreFile(name string) (data []byte, found bool, err error) {
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("%s: %v", name, plainErr(err))
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, false, fmt.Errorf("%s is a folder, not an ignore file", name)
	}
	data, err = io.ReadAll(io.LimitReader(f, maxIgnoreFile+1))
	if err != nil {
		return nil, false, fmt.Errorf("%s: %v", name, plainErr(err))
	}
	if len(data) > maxIgnoreFile {
		return nil, false, fmt.Errorf("%s is larger than %d bytes, the most BuildKit reads", name, maxIgnoreFile)
	}
	return data, true, nil
}

// Root is the absolute path of the context folder.
func (c *Context) Root() string { return c.root }

// IgnoreFile is the path of the ignore file in use, "" when there is none.
func (c *Context) IgnoreFile() string { return c.ignore }

// Excluded reports whether the ignore rules leave the context path rel (slash
// separated, relative to the root) out of what BuildKit sends. A path is left
// out when the last pattern matching it or one of its parent folders is not a
// "!" exception, which is how BuildKit's walker decides.
func (c *Context) Excluded(rel string) bool {
	if c == nil || c.matcher == nil {
		return false
	}
	rel = strings.TrimPrefix(path.Clean("/"+rel), "/")
	if rel == "" {
		return false
	}
	ok, err := c.matcher.MatchesOrParentMatches(filepath.FromSlash(rel))
	return err == nil && ok
}

// resolved is a context path after symbolic links were followed inside the
// context.
type resolved struct {
	rel  string      // slash separated, relative to the root; "" for the root
	info fs.FileInfo // Lstat of the final path (a link when followLast is false)
}

// resolve follows rel (slash separated, relative to the root) inside the
// context. Links in every component but the last are always followed; the last
// is followed when followLast is set. A link whose target is absolute or climbs
// above the root is not followed: the reason says so. A path that does not
// exist returns fs.ErrNotExist wrapped in the reason error.
func (c *Context) resolve(rel string, followLast bool) (resolved, error) {
	parts := splitRel(rel)
	var done []string
	links := 0
	for len(parts) > 0 {
		name := parts[0]
		parts = parts[1:]
		if name == ".." {
			if len(done) == 0 {
				return resolved{}, fmt.Errorf("%s climbs above the build context", rel)
			}
			done = done[:len(done)-1]
			continue
		}
		cur := path.Join(append(append([]string{}, done...), name)...)
		c.touch(filepath.Join(c.root, filepath.FromSlash(cur)))
		info, err := os.Lstat(filepath.Join(c.root, filepath.FromSlash(cur)))
		if err != nil {
			return resolved{}, &notFound{rel: cur, err: err}
		}
		if info.Mode()&fs.ModeSymlink == 0 || (len(parts) == 0 && !followLast) {
			if len(parts) > 0 && !info.IsDir() {
				return resolved{}, &notFound{rel: cur, err: fmt.Errorf("not a folder")}
			}
			done = append(done, name)
			if len(parts) == 0 {
				return resolved{rel: cur, info: info}, nil
			}
			continue
		}
		links++
		if links > maxLinks {
			return resolved{}, fmt.Errorf("%s: too many levels of symbolic links", rel)
		}
		target, err := os.Readlink(filepath.Join(c.root, filepath.FromSlash(cur)))
		if err != nil {
			return resolved{}, fmt.Errorf("%s: %v", cur, plainErr(err))
		}
		target = filepath.ToSlash(target)
		if path.IsAbs(target) {
			return resolved{}, fmt.Errorf("%s is a symbolic link to the absolute path %s, which is outside the build context", cur, target)
		}
		// climbing above the root through the link is an escape
		depth := len(done)
		for _, p := range splitRel(target) {
			if p == ".." {
				depth--
				if depth < 0 {
					return resolved{}, fmt.Errorf("%s is a symbolic link to %s, which is outside the build context", cur, target)
				}
			} else {
				depth++
			}
		}
		parts = append(splitRel(target), parts...)
	}
	c.touch(c.root)
	info, err := os.Lstat(c.root)
	if err != nil {
		return resolved{}, &notFound{rel: ".", err: err}
	}
	return resolved{rel: path.Join(done...), info: info}, nil
}

// splitRel splits a slash separated path into its components, dropping empty
// ones and ".".
func splitRel(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" && s != "." {
			out = append(out, s)
		}
	}
	return out
}

// notFound is a path that does not exist in the context (or is not a folder
// where one is needed).
type notFound struct {
	rel string
	err error
}

func (e *notFound) Error() string {
	return fmt.Sprintf("%s is not in the build context (%v)", e.rel, plainErr(e.err))
}

// plainErr drops the path an *fs.PathError repeats, since messages name the
// path themselves.
func plainErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
