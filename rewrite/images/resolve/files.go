package resolve

import (
	"archive/tar"
	"context"
	"errors"
	"io"
	"path"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// Bounds of ReadFile, used for the zero values of Resolver's fields.
const (
	DefaultMaxFetch    = 64 << 20
	DefaultMaxFileSize = 1 << 20
)

// File is a file read from an image's layers.
type File struct {
	// Path is where the content was found, after symbolic links.
	Path string
	// Data is the content.
	Data []byte
}

// LookPath returns where the image would look for the program an
// ENTRYPOINT or exec-form CMD names: prog itself if it holds a "/"
// (relative to WorkingDir if not absolute), else prog in each folder of
// the image's PATH (from Env, else the default of Docker's Linux images).
func (c Config) LookPath(prog string) []string {
	if strings.Contains(prog, "/") {
		if path.IsAbs(prog) {
			return []string{path.Clean(prog)}
		}
		return []string{path.Join("/", c.WorkingDir, prog)}
	}
	dirs := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	for _, e := range c.Env {
		if v, ok := strings.CutPrefix(e, "PATH="); ok {
			dirs = v
		}
	}
	var paths []string
	for _, d := range strings.Split(dirs, ":") {
		if path.IsAbs(d) {
			paths = append(paths, path.Join(d, prog))
		}
	}
	return paths
}

// ReadFile returns a file of the image ref for platform ("" for the
// Resolver's), as a container of it would see it: layers overlaid from the
// top, whiteouts honoured, symbolic links followed inside the image. Of
// several candidate paths (as LookPath gives), it returns the one found in
// the uppermost layer, so that it can stop before the large base layers
// when the file was added on top, as entrypoint scripts are; when two
// folders of PATH hold the program this may differ from the shell's
// choice, which the first folder wins.
//
// It fetches at most MaxFetch bytes of (compressed) layers and returns
// files of at most MaxFileSize bytes; beyond either it fails with an
// [*Error] of kind [TooLarge]. A file in no layer is [NotFound]. Nothing
// is cached on disk. The Resolver's Timeout bounds the whole call, layers
// included, and the call takes one of the MaxParallel slots.
func (r *Resolver) ReadFile(ctx context.Context, ref, platform string, candidates ...string) (File, error) {
	r.init()
	fail := func(err error) (File, error) {
		return File{}, &Error{Ref: ref, Kind: classify(err), Err: err}
	}
	if len(candidates) == 0 {
		return File{}, &Error{Ref: ref, Kind: Invalid, Err: errors.New("no file named")}
	}
	if ref == "scratch" {
		return File{}, &Error{Ref: ref, Kind: NotFound, Err: errors.New("scratch has no files")}
	}
	n, plat, explicit, err := r.target(ref, platform)
	if err != nil {
		return File{}, &Error{Ref: ref, Kind: Invalid, Err: err}
	}
	select {
	case r.sem <- struct{}{}:
		defer func() { <-r.sem }()
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	ctx, cancel := context.WithTimeout(ctx, r.timeout())
	defer cancel()

	desc, err := remote.Get(n, r.options(ctx)...)
	if err != nil {
		return fail(err)
	}
	img, m, err := pickImage(desc, plat, explicit)
	if err != nil {
		return fail(err)
	}
	fs := &layerFS{img: img, layers: m.Layers, index: map[string]entry{}, maxFetch: r.MaxFetch, maxFile: r.MaxFileSize}
	if fs.maxFetch <= 0 {
		fs.maxFetch = DefaultMaxFetch
	}
	if fs.maxFile <= 0 {
		fs.maxFile = DefaultMaxFileSize
	}
	f, err := fs.find(candidates)
	if err != nil {
		return fail(err)
	}
	return f, nil
}

// entry is the uppermost layer's word on a path.
type entry struct {
	layer    int // index in layers, 0 the lowest
	typ      byte
	link     string // target of a symbolic or hard link
	data     []byte // content, kept for candidate paths only
	size     int64
	complete bool // data holds the whole content
}

// deleted is the typ of a path a whiteout removed.
const deleted = 0xff

// layerFS reads an image's layers from the top down, recording for each
// path the uppermost layer's word on it.
type layerFS struct {
	img               v1.Image
	layers            []v1.Descriptor
	index             map[string]entry
	opaque            map[string]int // folder -> layer whose opaque whiteout hides the layers below
	fetched           int64
	maxFetch, maxFile int64
}

func (fs *layerFS) find(candidates []string) (File, error) {
	want := map[string]bool{}
	for _, c := range candidates {
		want[path.Clean("/"+c)] = true
	}
	for i := len(fs.layers) - 1; i >= 0; i-- {
		if err := fs.read(i, want, ""); err != nil {
			return File{}, err
		}
		// Stop at the first layer that decides a candidate.
		for _, c := range candidates {
			if f, ok, err := fs.resolve(path.Clean("/" + c)); ok || err != nil {
				return f, err
			}
		}
	}
	return File{}, errorf(NotFound, "%s is in none of its %d layers", strings.Join(candidates, ", "), len(fs.layers))
}

// read reads layer i; into the index if only is "", else only the content
// of the regular file at path only.
func (fs *layerFS) read(i int, want map[string]bool, only string) error {
	d := fs.layers[i]
	if !d.MediaType.IsDistributable() {
		return errorf(NotFound, "layer %d is not distributable (a Windows base layer)", i)
	}
	if fs.fetched+d.Size > fs.maxFetch {
		return errorf(TooLarge, "reading layer %d (%d bytes) would fetch more than %d bytes of layers", i, d.Size, fs.maxFetch)
	}
	fs.fetched += d.Size
	l, err := fs.img.LayerByDigest(d.Digest)
	if err != nil {
		return err
	}
	rc, err := l.Uncompressed()
	if err != nil {
		return err
	}
	defer rc.Close()
	// A layer may compress far better than real files do; bound what is
	// decompressed too.
	maxTar := 16*fs.maxFetch + 1<<20
	limit := &io.LimitedReader{R: rc, N: maxTar}
	tr := tar.NewReader(limit)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if limit.N <= 0 {
				return errorf(TooLarge, "layer %d holds more than %d bytes", i, maxTar)
			}
			return malformedf("layer %d: %v", i, err)
		}
		p := path.Clean("/" + h.Name)
		if only != "" {
			if p == only && h.Typeflag == tar.TypeReg {
				e := fs.index[p]
				e.data, e.complete, err = fs.content(tr, h)
				fs.index[p] = e
				return err
			}
			continue
		}
		dir, base := path.Split(p)
		dir = path.Clean(dir)
		switch {
		case base == ".wh..wh..opq":
			if !fs.hidden(dir, i) {
				if fs.opaque == nil {
					fs.opaque = map[string]int{}
				}
				if _, ok := fs.opaque[dir]; !ok {
					fs.opaque[dir] = i
				}
			}
			continue
		case strings.HasPrefix(base, ".wh."):
			p = path.Join(dir, base[len(".wh."):])
			h = &tar.Header{Typeflag: deleted}
		}
		if _, ok := fs.index[p]; ok || fs.hidden(p, i) {
			continue
		}
		e := entry{layer: i, typ: h.Typeflag, size: h.Size}
		switch h.Typeflag {
		case tar.TypeSymlink:
			e.link = h.Linkname
		case tar.TypeLink:
			e.link = path.Clean("/" + h.Linkname)
		case tar.TypeReg:
			if want[p] {
				if e.data, e.complete, err = fs.content(tr, h); err != nil {
					return err
				}
			}
		}
		fs.index[p] = e
	}
}

// content reads a regular file's content, if not too large.
func (fs *layerFS) content(tr *tar.Reader, h *tar.Header) ([]byte, bool, error) {
	if h.Size > fs.maxFile {
		return nil, false, nil // reported by resolve, if it is the file asked for
	}
	b, err := io.ReadAll(tr)
	if err != nil {
		return nil, false, malformedf("%s: %v", h.Name, err)
	}
	return b, true, nil
}

// hidden reports whether a path recorded in layer i is hidden by an upper
// layer: a whiteout or a non-folder at one of its folders, or an opaque
// whiteout in one of them.
func (fs *layerFS) hidden(p string, i int) bool {
	for d := path.Dir(p); ; d = path.Dir(d) {
		if e, ok := fs.index[d]; ok && e.layer > i && e.typ != tar.TypeDir {
			return true
		}
		if l, ok := fs.opaque[d]; ok && l > i {
			return true
		}
		if d == "/" {
			return false
		}
	}
}

// resolve looks p up in the index, following symbolic links in it and in
// its folders. ok is false if the layers read so far hold no file there
// (a path not seen yet may be in a lower layer).
func (fs *layerFS) resolve(p string) (File, bool, error) {
	for hops := 0; hops < 40; hops++ {
		next, e, status := fs.walk(p)
		switch status {
		case walkUnseen, walkAbsent:
			return File{}, false, nil
		case walkLink:
			p = next
			continue
		}
		// A regular file.
		if e.size > fs.maxFile {
			return File{}, true, errorf(TooLarge, "%s has %d bytes, more than %d", next, e.size, fs.maxFile)
		}
		if !e.complete {
			// A file reached through a link: read its layer again.
			if err := fs.read(e.layer, nil, next); err != nil {
				return File{}, true, err
			}
			e = fs.index[next]
			if !e.complete {
				return File{}, true, malformedf("%s: not found again in layer %d", next, e.layer)
			}
		}
		return File{Path: next, Data: e.data}, true, nil
	}
	return File{}, true, errorf(NotFound, "too many levels of symbolic links at %s", p)
}

const (
	walkFile = iota
	walkUnseen
	walkAbsent
	walkLink
)

// walk looks p up one folder at a time. It returns the regular file's
// path and entry, or the path a link leads to, or that p is absent or not
// decided yet. A folder not in the index is taken for a folder: layers
// need not list the folders of the files they hold.
func (fs *layerFS) walk(p string) (string, entry, int) {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	cur := "/"
	for k, part := range parts {
		cur = path.Join(cur, part)
		e, ok := fs.index[cur]
		last := k == len(parts)-1
		if !ok {
			if last {
				return "", entry{}, walkUnseen
			}
			continue
		}
		rest := path.Join(append([]string{"/"}, parts[k+1:]...)...)
		switch e.typ {
		case deleted:
			return "", entry{}, walkAbsent
		case tar.TypeSymlink:
			target := e.link
			if !path.IsAbs(target) {
				target = path.Join(path.Dir(cur), target)
			}
			return path.Join(target, rest), entry{}, walkLink
		case tar.TypeLink:
			return path.Join(e.link, rest), entry{}, walkLink
		case tar.TypeDir:
			if last {
				return "", entry{}, walkAbsent
			}
		case tar.TypeReg:
			if last {
				return cur, e, walkFile
			}
			return "", entry{}, walkAbsent
		default:
			return "", entry{}, walkAbsent
		}
	}
	return "", entry{}, walkAbsent
}
