package buildcontext

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/moby/patternmatcher"
)

// OpKind says what an [Op] is.
type OpKind int

const (
	// Copy is a COPY instruction.
	Copy OpKind = iota
	// Add is an ADD instruction: like COPY, but URLs and Git addresses are
	// sources too, and local archives are unpacked.
	Add
	// Run is any instruction that runs a command (RUN): it may change or remove
	// files copied before it, which Lookup states as an assumption.
	Run
)

// Op is one instruction of a stage that changes files, in the words of the
// Dockerfile, with ARG and ENV already expanded by the caller. Feed it from
// BuildKit's parsed instructions: SourcesAndDest.SourcePaths, DestPath,
// SourceContents (heredocs), the --from, --exclude, --parents and --chmod
// flags, and the WORKDIR in effect.
type Op struct {
	Line    int    // line of the instruction, for messages
	Kind    OpKind // Copy, Add or Run
	Sources []string
	// Heredocs are the names of here-document sources (COPY <<EOF /x): not
	// from the context, but they do put a file at the destination.
	Heredocs []string
	Dest     string
	Workdir  string   // WORKDIR in effect, "" for "/"
	From     string   // --from value; "" copies from the build context
	Excludes []string // --exclude patterns
	Parents  bool     // --parents
	Chmod    string   // --chmod value, "" when absent
}

// Status says where the file at an image path comes from.
type Status int

const (
	// Unknown: the context does not tell (no context, a symbolic link out of
	// it, an archive ADD unpacks, an unreadable folder...). The reason says why.
	Unknown Status = iota
	// Found: a context file ends up at the path.
	Found
	// Excluded: a COPY or ADD would put a context file there, but the ignore
	// file leaves it out of the context.
	Excluded
	// NotFromContext: no COPY or ADD from the context puts anything at the
	// path: it comes from the base image, a RUN, COPY --from, a URL or a
	// here-document.
	NotFromContext
)

func (s Status) String() string {
	switch s {
	case Found:
		return "found"
	case Excluded:
		return "excluded"
	case NotFromContext:
		return "not from the context"
	}
	return "unknown"
}

// Image is the part of a stage's file system that COPY and ADD build from the
// context, as far as the Dockerfile tells.
type Image struct {
	ctx *Context
	ops []Op
}

// NewImage models a stage built by ops (in Dockerfile order). ctx may be nil
// when there is no build context (a Dockerfile on standard input).
func NewImage(ctx *Context, ops []Op) *Image {
	return &Image{ctx: ctx, ops: ops}
}

// Lookup says which context file ends up at the absolute image path p, or why
// none does. The File's Reason explains any status but Found, and its Notes
// list what Lookup had to assume (an earlier folder that may exist in the base
// image, a later RUN or COPY --from that may replace the file).
func (im *Image) Lookup(p string) (File, Status) {
	p = path.Clean("/" + p)
	var notes []string
	var excluded string
	for i := len(im.ops) - 1; i >= 0; i-- {
		op := im.ops[i]
		switch {
		case op.Kind == Run:
			notes = append(notes, fmt.Sprintf("the RUN at line %d may change or remove %s", op.Line, p))
			continue
		case op.From != "":
			if v := placesOpaque(op, p); v != "" {
				if v == "exact" {
					return File{ImagePath: p, Line: op.Line, Notes: notes, Reason: fmt.Sprintf("%s comes from --from=%s (line %d), not from the build context", p, op.From, op.Line)}, NotFromContext
				}
				notes = append(notes, fmt.Sprintf("the COPY --from=%s at line %d may replace %s", op.From, op.Line, p))
			}
			continue
		}
		dest := destPath(op)
		dirKnown := im.dirKnown(i, dest)
		// later sources of one instruction win over earlier ones
		for j := len(op.Heredocs) - 1; j >= 0; j-- {
			// a here-document is a file named after its delimiter
			if p == fileDest(dest, op.Heredocs[j], dirKnown) || p == path.Join(dest, op.Heredocs[j]) {
				return File{ImagePath: p, Line: op.Line, Notes: notes, Reason: fmt.Sprintf("%s is written by a here-document at line %d, not taken from the build context", p, op.Line)}, NotFromContext
			}
		}
		for j := len(op.Sources) - 1; j >= 0; j-- {
			src := op.Sources[j]
			if isRemote(op.Kind, src) {
				if placesRemote(dest, p) {
					return File{ImagePath: p, Line: op.Line, Notes: notes, Reason: fmt.Sprintf("%s is downloaded from %s at line %d, not taken from the build context", p, src, op.Line)}, NotFromContext
				}
				continue
			}
			f, st, ok := im.fromSource(op, src, dest, dirKnown, p)
			if !ok {
				continue
			}
			f.Notes = append(f.Notes, notes...)
			f.Line = op.Line
			f.ImagePath = p
			if st == Excluded && !f.buildFails {
				// a file left out of a copied folder: an earlier file stays
				if excluded == "" {
					excluded = f.Reason
				}
				continue
			}
			if st == Found && op.Chmod != "" {
				f.Chmod = op.Chmod
			}
			return f, st
		}
	}
	if excluded != "" {
		return File{ImagePath: p, Notes: notes, Reason: excluded}, Excluded
	}
	if im.ctx == nil {
		return File{ImagePath: p, Notes: notes, Reason: "there is no build context to read " + p + " from"}, Unknown
	}
	return File{ImagePath: p, Notes: notes, Reason: fmt.Sprintf("no COPY or ADD from the build context puts a file at %s: it comes from the base image or a RUN", p)}, NotFromContext
}

// fromSource answers for one context source of op: ok is false when the
// source puts nothing at p.
func (im *Image) fromSource(op Op, src, dest string, dirKnown bool, p string) (File, Status, bool) {
	if op.Parents {
		if strings.HasPrefix(p, strings.TrimSuffix(dest, "/.")) {
			return File{Reason: fmt.Sprintf("COPY --parents at line %d is not modelled", op.Line)}, Unknown, true
		}
		return File{}, 0, false
	}
	rel := strings.TrimPrefix(path.Clean("/"+filepath.ToSlash(src)), "/")
	if im.ctx == nil {
		if guessPlaces(rel, dest, dirKnown, p) {
			return File{Reason: fmt.Sprintf("%s at line %d copies %s from the build context, and there is none", opName(op), op.Line, src)}, Unknown, true
		}
		return File{}, 0, false
	}
	srcs := []string{rel}
	if base, pattern, wild := splitWildcards(rel); wild {
		matches, err := im.ctx.glob(base, pattern)
		if err != nil {
			if guessPlaces(rel, dest, dirKnown, p) {
				return File{Reason: fmt.Sprintf("%s at line %d: %v", opName(op), op.Line, err)}, Unknown, true
			}
			return File{}, 0, false
		}
		srcs = matches
	}
	for k := len(srcs) - 1; k >= 0; k-- {
		if f, st, ok := im.fromOne(op, src, srcs[k], dest, dirKnown, p); ok {
			return f, st, true
		}
	}
	return File{}, 0, false
}

// fromOne answers for one context path s (a wildcard already expanded).
func (im *Image) fromOne(op Op, written, s, dest string, dirKnown bool, p string) (File, Status, bool) {
	c := im.ctx
	r, err := c.resolve(s, true)
	var nf *notFound
	if errors.As(err, &nf) {
		// BuildKit fails the build on a missing source
		return File{}, 0, false
	}
	if err != nil {
		if guessPlaces(s, dest, dirKnown, p) {
			return File{Reason: fmt.Sprintf("%s at line %d: %v", opName(op), op.Line, err)}, Unknown, true
		}
		return File{}, 0, false
	}
	if !r.info.IsDir() {
		if op.Kind == Add && guessPlaces(s, dest, dirKnown, p) {
			if kind := c.file(r).archive(); kind != "" {
				return File{Reason: fmt.Sprintf("ADD at line %d unpacks %s (%s) into %s, whose files the context does not list", op.Line, written, kind, dest)}, Unknown, true
			}
		}
		at := fileDest(dest, path.Base(s), dirKnown)
		var notes []string
		if at != p {
			// dest without a trailing slash may be a folder of the base image
			if dirKnown || hasDirSuffix(dest) || path.Join(dest, path.Base(s)) != p {
				return File{}, 0, false
			}
			notes = append(notes, fmt.Sprintf("assuming %s is a folder in the base image", dest))
		}
		if c.Excluded(s) || c.Excluded(r.rel) {
			// BuildKit does not see an excluded file: the build fails, or
			// the wildcard that would have matched it does not
			return File{buildFails: true, Reason: fmt.Sprintf("%s at line %d copies %s, which %s excludes from the build context (the build fails: BuildKit does not find it)", opName(op), op.Line, written, c.ignoreName())}, Excluded, true
		}
		if excludedBy(op.Excludes, path.Base(s), s) {
			return File{}, 0, false
		}
		f := c.file(r)
		f.Notes = append(f.Notes, notes...)
		return f, Found, true
	}
	// a folder: its contents go into dest
	base := strings.TrimSuffix(strings.TrimSuffix(dest, "/."), "/")
	if base == "" {
		base = "/"
	}
	if p == base {
		return File{Reason: fmt.Sprintf("%s is a folder (%s copies the folder %s there at line %d)", p, opName(op), written, op.Line)}, Unknown, true
	}
	if !strings.HasPrefix(p, strings.TrimSuffix(base, "/")+"/") {
		return File{}, 0, false
	}
	under := strings.TrimPrefix(p, strings.TrimSuffix(base, "/")+"/")
	inner := path.Join(r.rel, under)
	if excludedBy(op.Excludes, under, path.Join(s, under)) {
		return File{}, 0, false
	}
	// inside a copied folder, links are copied as links: follow them only
	// while they stay in the copied folder
	ir, err := c.resolve(inner, true)
	if errors.As(err, &nf) {
		if c.Excluded(inner) {
			return File{Reason: fmt.Sprintf("%s at line %d copies %s, but %s excludes %s from the build context", opName(op), op.Line, written, c.ignoreName(), inner)}, Excluded, true
		}
		return File{}, 0, false
	}
	if err != nil {
		return File{Reason: fmt.Sprintf("%s at line %d: %v", opName(op), op.Line, err)}, Unknown, true
	}
	if r.rel != "" && ir.rel != r.rel && !strings.HasPrefix(ir.rel, r.rel+"/") {
		return File{Reason: fmt.Sprintf("%s is a symbolic link in the image whose target (%s in the context) is outside the folder that %s at line %d copies", p, ir.rel, opName(op), op.Line)}, Unknown, true
	}
	if c.Excluded(inner) || c.Excluded(ir.rel) {
		return File{Reason: fmt.Sprintf("%s at line %d copies %s, but %s excludes %s from the build context", opName(op), op.Line, written, c.ignoreName(), inner)}, Excluded, true
	}
	if ir.info.IsDir() {
		return File{Reason: fmt.Sprintf("%s is a folder (%s in the build context, copied at line %d)", p, ir.rel, op.Line)}, Unknown, true
	}
	return c.file(ir), Found, true
}

// dirKnown reports whether dest is known to be a folder before op i runs:
// a WORKDIR in effect (WORKDIR creates its folder), or a folder an earlier
// COPY or ADD created.
func (im *Image) dirKnown(i int, dest string) bool {
	d := strings.TrimSuffix(strings.TrimSuffix(dest, "/."), "/")
	if d == "" {
		return true
	}
	for j := 0; j <= i; j++ {
		op := im.ops[j]
		if wd := path.Clean("/" + op.Workdir); wd == d || strings.HasPrefix(wd, d+"/") {
			return true
		}
		if j == i || op.Kind == Run {
			continue
		}
		od := destPath(op)
		odClean := path.Clean(od)
		if strings.HasPrefix(odClean, d+"/") || (odClean == d && (hasDirSuffix(od) || len(op.Sources)+len(op.Heredocs) > 1)) {
			return true
		}
	}
	return false
}

// destPath is op's destination made absolute against its WORKDIR, keeping a
// trailing "/" or "/." as BuildKit does ("." alone becomes the WORKDIR
// folder).
func destPath(op Op) string {
	d := filepath.ToSlash(op.Dest)
	wd := path.Clean("/" + op.Workdir)
	if d == "" || d == "." {
		d = "./"
	}
	slash := strings.HasSuffix(d, "/") || strings.HasSuffix(d, "/.")
	if !path.IsAbs(d) {
		d = path.Join(wd, d)
	} else {
		d = path.Clean(d)
	}
	if slash && d != "/" {
		d += "/"
	}
	return d
}

func hasDirSuffix(dest string) bool {
	return strings.HasSuffix(dest, "/")
}

// fileDest is where a file source named base lands.
func fileDest(dest, base string, dirKnown bool) string {
	if hasDirSuffix(dest) || dirKnown {
		return path.Join(dest, base)
	}
	return path.Clean(dest)
}

// guessPlaces reports whether a source s might land at p, without looking at
// the context: p is the destination, or is under it.
func guessPlaces(s, dest string, dirKnown bool, p string) bool {
	d := path.Clean(dest)
	if p == d || p == path.Join(d, path.Base(s)) {
		return true
	}
	return strings.HasPrefix(p, strings.TrimSuffix(d, "/")+"/")
}

// placesOpaque answers for a COPY --from: "exact" when p is what a source
// file of that name lands on, "maybe" when p is under its destination, "".
func placesOpaque(op Op, p string) string {
	dest := destPath(op)
	d := path.Clean(dest)
	for _, s := range op.Sources {
		b := path.Base(path.Clean("/" + s))
		if !containsWildcards(b) && (p == path.Join(d, b) || (!hasDirSuffix(dest) && p == d)) {
			return "exact"
		}
	}
	if p == d || strings.HasPrefix(p, strings.TrimSuffix(d, "/")+"/") {
		return "maybe"
	}
	return ""
}

// isRemote reports whether an ADD source is a URL or a Git address.
func isRemote(kind OpKind, src string) bool {
	if kind != Add {
		return false
	}
	for _, p := range []string{"http://", "https://", "git@", "git://", "ssh://"} {
		if strings.HasPrefix(src, p) {
			return true
		}
	}
	return strings.Contains(src, ".git#") || strings.HasSuffix(src, ".git")
}

// placesRemote reports whether a downloaded source may land at p.
func placesRemote(dest, p string) bool {
	d := path.Clean(dest)
	if p == d || strings.HasPrefix(p, strings.TrimSuffix(d, "/")+"/") {
		return true
	}
	return false
}

// excludedBy reports whether COPY --exclude patterns leave out a path, given
// as relative to the copied source and relative to the context.
func excludedBy(patterns []string, rels ...string) bool {
	if len(patterns) == 0 {
		return false
	}
	for _, rel := range rels {
		if ok, err := patternmatcher.MatchesOrParentMatches(filepath.FromSlash(rel), patterns); err == nil && ok {
			return true
		}
	}
	return false
}

func opName(op Op) string {
	if op.Kind == Add {
		return "ADD"
	}
	return "COPY"
}

func (c *Context) ignoreName() string {
	if c.ignore == "" {
		return DefaultIgnoreFile
	}
	if rel, err := filepath.Rel(c.root, c.ignore); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return c.ignore
}

// containsWildcards reports whether a path has a wildcard character BuildKit
// expands (a backslash escapes the next character).
func containsWildcards(name string) bool {
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '\\':
			i++
		case '*', '?', '[':
			return true
		}
	}
	return false
}

// splitWildcards splits rel at its first component with a wildcard.
func splitWildcards(rel string) (base, pattern string, wild bool) {
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		if containsWildcards(p) {
			return strings.Join(parts[:i], "/"), strings.Join(parts[i:], "/"), true
		}
	}
	return rel, "", false
}

// glob expands a wildcard source as BuildKit does: it walks base (inside the
// context, after the ignore file) and keeps each path whose path relative to
// base matches pattern with filepath.Match (so "*" never crosses "/"); a
// matching folder is kept whole and not walked further. Matches are sorted.
func (c *Context) glob(base, pattern string) ([]string, error) {
	r, err := c.resolve(base, true)
	if err != nil {
		return nil, err
	}
	if !r.info.IsDir() {
		return nil, nil
	}
	var out []string
	depth := len(strings.Split(pattern, "/"))
	var walk func(rel string, level int) error
	walk = func(rel string, level int) error {
		listed := filepath.Join(c.root, filepath.FromSlash(path.Join(r.rel, rel)))
		c.touch(listed)
		entries, err := readDir(listed)
		if err != nil {
			return err
		}
		for _, e := range entries {
			sub := path.Join(rel, e.Name())
			full := path.Join(r.rel, sub)
			if c.Excluded(full) && !(e.IsDir() && c.matcher.Exclusions()) {
				// an excluded folder is still sent when a "!" pattern may
				// bring back something under it
				continue
			}
			if ok, _ := filepath.Match(pattern, sub); ok {
				out = append(out, full)
				continue
			}
			if e.IsDir() && level+1 < depth {
				if err := walk(sub, level+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk("", 0); err != nil {
		return nil, err
	}
	sort.Strings(out)
	return out, nil
}

func readDir(dir string) ([]fs.DirEntry, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", dir, plainErr(err))
	}
	return entries, nil
}
