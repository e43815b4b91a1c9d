package buildcontext

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// HeadSize is how many bytes [File.Head] reads: enough for a "#!" line (the
// kernel reads at most 256) and any executable magic number.
const HeadSize = 512

// ScriptCap is the most [File.Script] reads.
const ScriptCap = 256 << 10

// File is what [Image.Lookup] found at an image path.
type File struct {
	ImagePath string // the absolute path in the image that was looked up
	Rel       string // slash separated path in the context ("" unless Found)
	Line      int    // line of the COPY or ADD that put it there (0 if none)
	Size      int64
	Mode      fs.FileMode // mode in the context; COPY keeps it unless --chmod
	Chmod     string      // the --chmod of that COPY or ADD, "" if none
	Reason    string      // why the status is not Found
	Notes     []string    // what Lookup assumed, for the message

	abs        string
	buildFails bool     // an excluded source named by itself: the COPY fails
	ctx        *Context // records the read (see Context.Touched)
}

func (c *Context) file(r resolved) File {
	return File{
		Rel:  r.rel,
		Size: r.info.Size(),
		Mode: r.info.Mode(),
		abs:  filepath.Join(c.root, filepath.FromSlash(r.rel)),
		ctx:  c,
	}
}

// Head returns up to n bytes (at most HeadSize) from the start of the file; a
// failure is a reason.
func (f File) Head(n int) ([]byte, string) {
	if n > HeadSize || n <= 0 {
		n = HeadSize
	}
	return f.read(int64(n), false)
}

// Script returns the whole file when it is at most ScriptCap bytes; a larger
// or unreadable file returns no bytes and a reason.
func (f File) Script() ([]byte, string) {
	return f.read(ScriptCap, true)
}

func (f File) read(limit int64, whole bool) ([]byte, string) {
	if f.abs == "" {
		return nil, "no context file was found at " + f.ImagePath
	}
	if f.ctx != nil {
		f.ctx.touch(f.abs)
	}
	fh, err := os.Open(f.abs)
	if err != nil {
		return nil, fmt.Sprintf("cannot read %s: %v", f.Rel, plainErr(err))
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Sprintf("%s is not a regular file", f.Rel)
	}
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, fmt.Sprintf("cannot read %s: %v", f.Rel, plainErr(err))
	}
	if int64(len(data)) > limit {
		if whole {
			return nil, fmt.Sprintf("%s is larger than %d KiB, more than cmdfix reads", f.Rel, limit>>10)
		}
		data = data[:limit]
	}
	return data, ""
}

// Kind is what the kernel makes of a file given to execve.
type Kind int

const (
	// KindUnknown: the file could not be read; Info.Reason says why.
	KindUnknown Kind = iota
	// KindShebang: a "#!" line names the interpreter.
	KindShebang
	// KindELF: an ELF executable.
	KindELF
	// KindPE: a Windows executable ("MZ").
	KindPE
	// KindScriptNoShebang: text without "#!". execve fails with ENOEXEC
	// ("exec format error"); only a shell falls back to running it as a
	// shell script.
	KindScriptNoShebang
	// KindOther: any other binary file.
	KindOther
)

func (k Kind) String() string {
	return [...]string{"unknown", "shebang", "elf", "pe", "script-without-shebang", "other"}[k]
}

// Info is the result of [File.Kind].
type Info struct {
	Kind Kind
	// Interpreter is the "#!" line as the Linux kernel splits it: the
	// interpreter path and at most one argument (the rest of the line,
	// whitespace trimmed). A carriage return before the newline stays in the
	// last word, as it does for the kernel.
	Interpreter []string
	Reason      string
}

// Kind reads the first bytes of the file and classifies them.
func (f File) Kind() Info {
	head, reason := f.Head(HeadSize)
	if reason != "" {
		return Info{Kind: KindUnknown, Reason: reason}
	}
	return Classify(head)
}

// Classify classifies the first bytes of a file (see [Kind]).
func Classify(head []byte) Info {
	switch {
	case bytes.HasPrefix(head, []byte("#!")):
		return Info{Kind: KindShebang, Interpreter: shebang(head)}
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return Info{Kind: KindELF}
	case bytes.HasPrefix(head, []byte("MZ")):
		return Info{Kind: KindPE}
	}
	if bytes.IndexByte(head, 0) >= 0 {
		return Info{Kind: KindOther}
	}
	// text, whatever its encoding: only a NUL byte makes it binary
	return Info{Kind: KindScriptNoShebang}
}

// shebang splits a "#!" line as Linux's binfmt_script does.
func shebang(head []byte) []string {
	line := head[2:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	if len(line) > 254 {
		line = line[:254]
	}
	s := strings.TrimLeft(string(line), " \t")
	s = strings.TrimRight(s, " \t")
	if s == "" {
		return nil
	}
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return []string{s}
	}
	arg := strings.TrimLeft(s[i:], " \t")
	if arg == "" {
		return []string{s[:i]}
	}
	return []string{s[:i], arg}
}

// archive names the archive format ADD would unpack, "" when the file is not
// one (BuildKit decides on the content, not the name).
func (f File) archive() string {
	head, reason := f.Head(HeadSize)
	if reason != "" {
		return ""
	}
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return "gzip"
	case bytes.HasPrefix(head, []byte("BZh")):
		return "bzip2"
	case bytes.HasPrefix(head, []byte{0xfd, '7', 'z', 'X', 'Z', 0}):
		return "xz"
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return "zstd"
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return "tar"
	}
	return ""
}
