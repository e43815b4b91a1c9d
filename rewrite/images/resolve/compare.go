package resolve

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// Row is what an offline table says about an image, in the terms Compare
// checks. For cmdfix's table (the Info that images.Lookup returns):
// Entrypoint is its EntrypointText decoded as a JSON array, Cmd its Cmd,
// Windows what the Windows-image test of the reference says.
type Row struct {
	// Entrypoint is the ENTRYPOINT the table gives; nil or empty for none.
	Entrypoint []string
	// Cmd is the CMD the table gives. nil means the table does not say
	// (it does not know, or knows there is none: it cannot tell which),
	// and the CMD is not compared; an empty non-nil Cmd is CMD [].
	Cmd []string
	// Shell is the SHELL the table assumes; nil for the default of the
	// image's OS (["/bin/sh", "-c"], or ["cmd", "/S", "/C"] on Windows).
	Shell []string
	// Windows: the table takes the image for a Windows image.
	Windows bool
}

// Difference is one way a Row disagrees with a resolved Config.
type Difference struct {
	// Field is "ENTRYPOINT", "CMD", "SHELL" or "OS".
	Field string
	// Table and Image are the two values, as exec-form arrays (or "none")
	// for the instructions, "windows" or "not windows" for the OS.
	Table, Image string
}

func (d Difference) String() string {
	return fmt.Sprintf("%s: the table has %s, the image %s", d.Field, d.Table, d.Image)
}

// Compare lists where row disagrees with c, in the order OS, ENTRYPOINT,
// CMD, SHELL; none if they agree.
func Compare(row Row, c Config) []Difference {
	var diffs []Difference
	if row.Windows != c.Windows() {
		diffs = append(diffs, Difference{"OS", windowsText(row.Windows), windowsText(c.Windows())})
	}
	if !equalArgs(row.Entrypoint, c.Entrypoint) {
		diffs = append(diffs, Difference{"ENTRYPOINT", argsText(row.Entrypoint), argsText(c.Entrypoint)})
	}
	if row.Cmd != nil && (!slices.Equal(row.Cmd, c.Cmd) || c.Cmd == nil) {
		diffs = append(diffs, Difference{"CMD", argsText(row.Cmd), argsText(c.Cmd)})
	}
	// The default shell is the image's OS's: an OS disagreement is
	// reported once, above, not again as a SHELL one.
	if (row.Shell != nil || c.Shell != nil) && !slices.Equal(shellOr(row.Shell, c.Windows()), shellOr(c.Shell, c.Windows())) {
		diffs = append(diffs, Difference{"SHELL", argsText(shellOr(row.Shell, c.Windows())), argsText(shellOr(c.Shell, c.Windows()))})
	}
	return diffs
}

// equalArgs compares two ENTRYPOINTs, for which none and [] are the same.
func equalArgs(a, b []string) bool {
	return len(a) == 0 && len(b) == 0 || slices.Equal(a, b)
}

func shellOr(shell []string, windows bool) []string {
	switch {
	case shell != nil:
		return shell
	case windows:
		return []string{"cmd", "/S", "/C"}
	}
	return []string{"/bin/sh", "-c"}
}

// argsText writes args as an exec-form JSON array, "none" for nil.
func argsText(args []string) string {
	if args == nil {
		return "none"
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(args)
	return strings.ReplaceAll(strings.TrimSpace(b.String()), `","`, `", "`)
}

func windowsText(w bool) string {
	if w {
		return "windows"
	}
	return "not windows"
}
