package dockerfile

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/internal/clip"
	"github.com/cmdfix/cmdfix/rewrite/images"
	"github.com/cmdfix/cmdfix/rewrite/shell"
	bkshell "github.com/moby/buildkit/frontend/dockerfile/shell"
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
// them), and the repositories that exist only for Windows: .NET Framework
// (mcr.microsoft.com/dotnet/framework/..., microsoft/dotnet-framework),
// IIS, ASP.NET (microsoft/aspnet) and WCF.
func WindowsImage(ref string) bool {
	r := strings.ToLower(ref)
	for _, w := range []string{"windows", "nanoserver", "servercore", "ltsc20",
		"dotnet/framework", "dotnet-framework", "microsoft/iis", "/iis:", "microsoft/aspnet", "microsoft/wcf"} {
		if strings.Contains(r, w) {
			return true
		}
	}
	return strings.HasSuffix(r, "/iis")
}

// windowsPlatform reports a FROM whose --platform names Windows, also
// through the default of a global ARG.
func (f *File) windowsPlatform(flags []string) bool {
	for _, fl := range flags {
		if len(fl) > len("--platform=") && strings.EqualFold(fl[:len("--platform=")], "--platform=") &&
			strings.HasPrefix(strings.ToLower(f.ExpandArgDefaults(fl[len("--platform="):])), "windows") {
			return true
		}
	}
	return false
}

// ExpandArgDefaults expands a FROM reference (or --platform value) as
// BuildKit does for a build without --build-arg: with its own word
// lexer, over the global ARGs (those before the first FROM) with their
// defaults, each expanded in order; ${NAME:-word} and ${NAME-word} take
// word when NAME has no default. A bare $NAME or ${NAME} whose ARG has no
// default (a build argument chooses it) stays a "$", so callers can tell
// the reference is not known.
func (f *File) ExpandArgDefaults(ref string) string {
	if !strings.Contains(ref, "$") {
		return ref
	}
	// Asked for each stage by every instruction the formatter and the
	// safety net read: remember the answers.
	if v, ok := f.expanded[ref]; ok {
		return v
	}
	v := f.ExpandBuildArgs(ref, nil)
	if f.expanded == nil {
		f.expanded = map[string]string{}
	}
	f.expanded[ref] = v
	return v
}

// ExpandBuildArgs is ExpandArgDefaults for a build given the build
// arguments args: a global ARG takes its build argument if given, else
// its default.
func (f *File) ExpandBuildArgs(ref string, args map[string]string) string {
	if !strings.Contains(ref, "$") {
		return ref
	}
	vals := f.args
	if vals == nil || len(args) > 0 {
		vals = f.globalArgs(args)
		if len(args) == 0 {
			f.args = vals
		}
	}
	res, _, err := f.lexer().ProcessWord(ref, argEnv{defaults: vals, unknown: bareNames(ref)})
	if err != nil {
		return "$"
	}
	return res
}

// globalArgs returns the values of the global ARGs: the build argument in
// args if there is one, else the default, expanded as BuildKit does.
func (f *File) globalArgs(args map[string]string) map[string]string {
	vals := map[string]string{}
	for _, in := range f.Instructions {
		if in.Keyword == "from" {
			break
		}
		if in.Keyword != "arg" {
			continue
		}
		for _, a := range in.Args() {
			name, val, hasDefault := strings.Cut(a, "=")
			if v, ok := args[name]; ok {
				vals[name] = v
				continue
			}
			if hasDefault {
				if v, _, err := f.lexer().ProcessWord(val, argEnv{defaults: vals, unknown: bareNames(val)}); err == nil {
					vals[name] = v
				}
			}
		}
	}
	return vals
}

// lexer is BuildKit's word lexer for the file's escape character.
func (f *File) lexer() *bkshell.Lex { return bkshell.NewLex(rune(f.Escape)) }

// bareNames returns the names s refers to as $NAME or ${NAME}, without a
// modifier.
func bareNames(s string) map[string]bool {
	bare := map[string]bool{}
	for _, m := range bareRef().FindAllStringSubmatch(s, -1) {
		bare[m[1]+m[2]] = true
	}
	return bare
}

// bareRef matches $NAME and ${NAME} without a modifier.
var bareRef = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})`)
})

// argEnv gives BuildKit's lexer the ARG defaults; a name in unknown that
// has none reads as "$".
type argEnv struct {
	defaults map[string]string
	unknown  map[string]bool
}

func (e argEnv) Get(name string) (string, bool) {
	if v, ok := e.defaults[name]; ok {
		return v, true
	}
	if e.unknown[name] {
		return "$", true
	}
	return "", false
}

func (e argEnv) Keys() []string {
	keys := make([]string, 0, len(e.defaults))
	for k := range e.defaults {
		keys = append(keys, k)
	}
	return keys
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
	case f.windowsPlatform(s.From.Node.Flags):
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
// SHELL in effect at in for RUN, CMD and ENTRYPOINT (BuildKit writes it
// into the command). A HEALTHCHECK is stored as CMD-SHELL text, which the
// daemon runs with the final shell of the image that carries it: the last
// SHELL of its stage, or of a stage built on it (see Carriers); all of
// those must read it alike. ONBUILD triggers run in child images, under
// the SHELL this stage ends with. A stage that is, or may be, a Windows
// stage reads it with Windows' rules; before the first FROM (a fragment
// meant to follow one) the default shell reads it unless the file looks
// like a Windows one.
func (f *File) Dialect(in *Instruction) shell.Dialect {
	st := in.Stage
	switch {
	case st == nil && (f.Escape == '`' || f.WindowsHinted()):
		return shell.Unknown
	case st == nil:
		return shell.POSIX
	case f.MaybeWindows(st) && !st.Windows:
		return shell.Unknown
	case in.Keyword == "healthcheck" && !in.OnBuild:
		return f.healthcheckDialect(in)
	}
	d := ShellDialect(in.Shell, st.Windows)
	if d.SplitsWords() && in.OnBuild {
		return ShellDialect(st.Shell, st.Windows)
	}
	return d
}

// healthcheckDialect is the dialect every image carrying HEALTHCHECK in
// runs its text with, or Unknown when they differ.
func (f *File) healthcheckDialect(in *Instruction) shell.Dialect {
	carriers := f.Carriers(in)
	if len(carriers) == 0 {
		carriers = []*Stage{in.Stage} // overridden in its own stage: never runs
	}
	d := shell.Unknown
	for i, c := range carriers {
		if f.MaybeWindows(c) && !c.Windows {
			return shell.Unknown
		}
		dc := ShellDialect(c.Shell, c.Windows)
		switch {
		case !dc.SplitsWords():
			return dc
		case i > 0 && dc != d:
			return shell.Unknown
		}
		d = dc
	}
	return d
}

// Carriers returns the stages whose image config holds in, a CMD,
// ENTRYPOINT or HEALTHCHECK: its own stage, when no later one of its kind
// overrides it there, and every stage built on it in the file that
// inherits it. The health check of each runs with that stage's final
// shell.
func (f *File) Carriers(in *Instruction) []*Stage {
	var out []*Stage
	for _, s := range f.Stages {
		var got *Instruction
		switch in.Keyword {
		case "healthcheck":
			got = s.Healthcheck()
		case "entrypoint":
			got = s.Entrypoint()
		case "cmd":
			got, _ = s.Cmd()
		}
		if got == in {
			out = append(out, s)
		}
	}
	return out
}

// RunningShell returns the SHELL that runs in's shell-form text instead of
// the platform's default, with the stage whose image uses it, or nil: for
// RUN, CMD, ENTRYPOINT and ONBUILD triggers the SHELL in effect at in; for
// a HEALTHCHECK, which the daemon runs with the image's final shell, the
// final SHELL of the first image that carries it (see Carriers). A SHELL
// that is the default (see DefaultShell) counts as none.
func (f *File) RunningShell(in *Instruction) (*Instruction, *Stage) {
	if in.Keyword == "healthcheck" && !in.OnBuild {
		for _, c := range f.Carriers(in) {
			if !DefaultShell(c.Shell, c.Windows) {
				return c.Shell, c
			}
		}
		return nil, nil
	}
	if DefaultShell(in.Shell, in.Stage != nil && in.Stage.Windows) {
		return nil, nil
	}
	return in.Shell, in.Stage
}

// DefaultShell reports whether SHELL instruction sh (nil: none) runs
// shell-form text as the platform's default does: nil, or exactly
// ["/bin/sh", "-c"] outside a Windows stage.
func DefaultShell(sh *Instruction, windows bool) bool {
	if sh == nil {
		return true
	}
	args := sh.Args()
	return !windows && sh.JSON() && len(args) == 2 && args[0] == "/bin/sh" && args[1] == "-c"
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
