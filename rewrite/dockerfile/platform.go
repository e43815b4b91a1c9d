package dockerfile

import (
	"fmt"
	"os"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/shell"
)

// The platform model: what the image a stage builds will run, as BuildKit
// and the container runtime decide it. Rules, the formatter and the safety
// net all ask these questions here, so that they get one answer:
//
//   - is a stage a Windows stage (cmd.exe runs its shell form), or may it be;
//   - what a FROM reference is with the defaults of the global ARGs;
//   - which dialect reads an instruction's shell-form text;
//   - which ENTRYPOINT a stage's CMD is given to, and which CMD reaches an
//     ENTRYPOINT.
//
// The walks over stages follow BuildKit's dispatcher (see stage.go).

// WindowsImage reports base references that are Windows images: names or
// tags that say windows, nanoserver, servercore or ltsc20xx (Microsoft's
// Windows repositories, windowsservercore variants, and images named after
// them).
func WindowsImage(ref string) bool {
	r := strings.ToLower(ref)
	for _, w := range []string{"windows", "nanoserver", "servercore", "ltsc20"} {
		if strings.Contains(r, w) {
			return true
		}
	}
	return false
}

// windowsPlatform reports a FROM whose --platform names Windows.
func windowsPlatform(flags []string) bool {
	for _, f := range flags {
		if v, ok := strings.CutPrefix(strings.ToLower(f), "--platform="); ok && strings.HasPrefix(v, "windows") {
			return true
		}
	}
	return false
}

// ExpandArgDefaults expands $NAME and ${NAME} in a FROM reference with the
// defaults of the ARGs before the first FROM, as a build without
// --build-arg does. A name without a default stays a "$".
func (f *File) ExpandArgDefaults(ref string) string {
	if !strings.Contains(ref, "$") {
		return ref
	}
	defaults := map[string]string{}
	for _, in := range f.Instructions {
		if in.Keyword == "from" {
			break
		}
		if in.Keyword != "arg" {
			continue
		}
		for _, a := range in.Args() {
			if name, val, ok := strings.Cut(a, "="); ok {
				if len(val) >= 2 && (val[0] == '"' || val[0] == '\'') && val[len(val)-1] == val[0] {
					val = val[1 : len(val)-1]
				}
				defaults[name] = expandWith(defaults, val)
			}
		}
	}
	return expandWith(defaults, ref)
}

// expandWith expands $NAME and ${NAME} from defaults; anything else stays
// a "$".
func expandWith(defaults map[string]string, s string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	return os.Expand(s, func(name string) string {
		if v, ok := defaults[name]; ok {
			return v
		}
		return "$"
	})
}

// WindowsHints reports text that suggests Windows containers: Windows
// paths, PowerShell, cmd.exe or %VARIABLE% references.
func WindowsHints(src []byte) bool {
	for i, c := range src {
		if c == '%' {
			// %NAME%, with a name of two characters or more (not date +%Y%m).
			n := i + 1
			for n < len(src) && (src[n] == '_' || 'a' <= src[n]|0x20 && src[n]|0x20 <= 'z' || n > i+1 && '0' <= src[n] && src[n] <= '9') {
				n++
			}
			if n > i+2 && n < len(src) && src[n] == '%' {
				return true
			}
			continue
		}
		switch c | 0x20 { // ASCII lower case
		case 'c':
			if hasPrefixFold(src[i:], "c:\\") || hasPrefixFold(src[i:], "cmd /") || hasPrefixFold(src[i:], "cmd.exe") {
				return true
			}
		case 'p':
			if hasPrefixFold(src[i:], "powershell") || hasPrefixFold(src[i:], "pwsh") {
				return true
			}
		case 's':
			if hasPrefixFold(src[i:], "setx ") {
				return true
			}
		case '.':
			if hasPrefixFold(src[i:], ".exe") {
				return true
			}
		}
	}
	return false
}

// hasPrefixFold reports whether b starts with the lower-case ASCII prefix,
// ignoring case.
func hasPrefixFold(b []byte, prefix string) bool {
	if len(b) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// WindowsHinted reports whether the file's text has Windows hints (see
// WindowsHints), reading it at most once.
func (f *File) WindowsHinted() bool {
	if f.hints == 0 {
		f.hints = 1
		if WindowsHints(f.src) {
			f.hints = 2
		}
	}
	return f.hints == 2
}

// MaybeWindows reports a stage that is, or may be, a Windows stage: a
// Windows stage (Stage.Windows), or one whose chain starts from a base an
// ARG without a default chooses, in a file that reads like a Windows one.
func (f *File) MaybeWindows(st *Stage) bool {
	for ; st != nil; st = st.Parent {
		if st.Windows {
			return true
		}
		if strings.Contains(f.ExpandArgDefaults(st.Base), "$") && f.WindowsHinted() {
			return true
		}
	}
	return false
}

// WindowsReason says why s is a Windows stage, for messages.
func (f *File) WindowsReason(s *Stage) string {
	base := f.ExpandArgDefaults(s.Base)
	switch {
	case f.Escape == '`':
		return "the escape character is a backtick"
	case windowsPlatform(s.From.Node.Flags):
		return "FROM names a windows platform"
	case base != s.Base && WindowsImage(base):
		return "base image `" + clip.N(s.Base, 60) + "` is, with its ARG defaults, the Windows image `" + clip.N(base, 60) + "`"
	case WindowsImage(s.Base):
		return "base image `" + clip.N(s.Base, 60) + "` is a Windows image"
	case s.Parent != nil:
		return "built on Windows stage " + StageName(s.Parent)
	case f.resolvedWindows(s):
		return "base image `" + clip.N(s.Base, 60) + "` is a Windows image (its registry says so)"
	}
	return "Windows base"
}

// StageName names a stage for messages: its name, or its number and base.
func StageName(s *Stage) string {
	if s.Name != "" {
		return "`" + s.Name + "`"
	}
	return fmt.Sprintf("%d (FROM %s)", s.Index, clip.Text(s.Base))
}

// ShellDialect returns the dialect that reads shell-form text under the
// SHELL instruction sh (nil: the platform's default, /bin/sh -c, or
// cmd /S /C in a Windows stage). A shell-form SHELL (which BuildKit
// rejects) is Unknown, and so is a Bourne shell in a Windows stage, where
// Windows' own quoting of the command line comes first.
func ShellDialect(sh *Instruction, windows bool) shell.Dialect {
	switch {
	case sh == nil && windows:
		return shell.Cmd
	case sh == nil:
		return shell.POSIX
	case !sh.JSON():
		return shell.Unknown
	}
	d := shell.DialectOf(sh.Args())
	if windows && d.SplitsWords() {
		return shell.Unknown
	}
	return d
}

// Dialect returns the dialect that reads in's shell-form text: that of the
// SHELL in effect at in (RUN, CMD and ENTRYPOINT: BuildKit writes it into
// the command). For HEALTHCHECK (the runtime runs it with the image's
// shell) and ONBUILD triggers (they run in child images) the SHELL at the
// end of the stage must read it the same way too. A stage that is, or may
// be, a Windows stage reads it with Windows' rules; before the first FROM
// (a fragment meant to follow one) the default shell reads it unless the
// file looks like a Windows one.
func (f *File) Dialect(in *Instruction) shell.Dialect {
	st := in.Stage
	switch {
	case st == nil && (f.Escape == '`' || f.WindowsHinted()):
		return shell.Unknown
	case st == nil:
		return shell.POSIX
	case f.MaybeWindows(st) && !st.Windows:
		return shell.Unknown
	}
	d := ShellDialect(in.Shell, st.Windows)
	if d.SplitsWords() && (in.OnBuild || in.Keyword == "healthcheck") {
		return ShellDialect(st.Shell, st.Windows)
	}
	return d
}

// ShellWords returns the argv that runs in's shell-form text: the SHELL in
// effect, or the platform's default.
func (in *Instruction) ShellWords() []string {
	if in.Shell != nil {
		return in.Shell.Args()
	}
	if in.Stage != nil && in.Stage.Windows {
		return []string{"cmd", "/S", "/C"}
	}
	return []string{"/bin/sh", "-c"}
}

// EntrypointInEffect is the ENTRYPOINT a stage's CMD is passed to.
type EntrypointInEffect struct {
	// InFile is a non-empty ENTRYPOINT in the file, nil if none.
	InFile *Instruction
	// Base is the external base image otherwise, as written.
	Base string
	// Known reports that Base is in the image table (or that the file
	// clears the ENTRYPOINT with ENTRYPOINT []); Info is what it says.
	Known bool
	Info  images.Info
	// ByDefault is the image an ARG in Base names by default, when that is
	// what Info describes.
	ByDefault string
	// Resolved reports that Info comes from Base's config in its registry
	// (see SetImages), not from the table.
	Resolved bool
}

// EntrypointOf finds the ENTRYPOINT in effect in stage s's final config:
// one in the file (an empty exec-form ENTRYPOINT [] means none), or the
// external base image's. A base named by an ARG is looked up with the
// ARG's default too, but only to be more careful: a build can pass
// another value, so only an entrypoint that inspects CMD counts.
func (f *File) EntrypointOf(s *Stage) EntrypointInEffect {
	if ep := s.Entrypoint(); ep != nil {
		if ep.JSON() && len(ep.Args()) == 0 {
			return EntrypointInEffect{Known: true} // ENTRYPOINT [] clears it
		}
		return EntrypointInEffect{InFile: ep}
	}
	base := s.ExternalBase()
	if e, ok := f.resolvedEntrypoint(s); ok {
		return e
	}
	info, ok := images.Lookup(base)
	if !ok && strings.Contains(base, "$") {
		if def := f.ExpandArgDefaults(base); def != base {
			if info, ok := images.Lookup(def); ok && info.Entrypoint == images.InspectsArgs {
				return EntrypointInEffect{Base: base, ByDefault: def, Known: true, Info: info}
			}
		}
	}
	return EntrypointInEffect{Base: base, Known: ok, Info: info}
}

// CmdReaching returns a CMD that reaches ENTRYPOINT ep: one in its stage
// (an earlier CMD in the stage survives the ENTRYPOINT's reset), one an
// ONBUILD trigger of the parent runs, one the stage registers for images
// built on it, or one in a stage built on it that keeps ep. nil when the
// ENTRYPOINT runs with no CMD from this file.
func (f *File) CmdReaching(ep *Instruction) *Instruction {
	s := ep.Stage
	if c := s.OwnOrTriggered("cmd"); c != nil {
		return c
	}
	var walk func(*Stage) *Instruction
	walk = func(st *Stage) *Instruction {
		for _, ob := range st.OnBuilds {
			if ob.Trigger != nil && ob.Trigger.Keyword == "cmd" {
				return ob.Trigger
			}
		}
		for _, c := range f.Children(st) {
			if c.OwnOrTriggered("entrypoint") != nil {
				continue // a new ENTRYPOINT replaces ep there
			}
			if cmd := c.OwnOrTriggered("cmd"); cmd != nil {
				return cmd
			}
			if cmd := walk(c); cmd != nil {
				return cmd
			}
		}
		return nil
	}
	return walk(s)
}
