package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// colorModes decides, for --color=MODE, whether standard output and
// standard error get colour: always and never say so; auto colours a
// stream that is a terminal (not a dumb one), unless NO_COLOR is set to
// anything; FORCE_COLOR set to anything but 0 colours both streams even
// when they are not terminals (NO_COLOR wins over it).
func colorModes(mode string, stdout, stderr io.Writer) (out, errw bool, err error) {
	switch mode {
	case "always":
		return true, true, nil
	case "never":
		return false, false, nil
	case "auto":
	default:
		msg := fmt.Sprintf("--color: %q is not one of auto, always, never", mode)
		if c := closest(mode, []string{"auto", "always", "never"}); c != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", c)
		}
		return false, false, fmt.Errorf("%s", msg)
	}
	if os.Getenv("NO_COLOR") != "" {
		return false, false, nil
	}
	if f := os.Getenv("FORCE_COLOR"); f != "" && f != "0" {
		return true, true, nil
	}
	return isTerminal(stdout), isTerminal(stderr), nil
}

// isTerminal reports whether w is a terminal that understands escape
// sequences.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("TERM") != "dumb"
}

// SGR sequences used by the coloured output.
const (
	sgrReset  = "\x1b[0m"
	sgrBold   = "\x1b[1m"
	sgrDim    = "\x1b[2m"
	sgrRed    = "\x1b[31m"
	sgrGreen  = "\x1b[32m"
	sgrYellow = "\x1b[33m"
	sgrCyan   = "\x1b[36m"
)

// paint wraps s in an SGR sequence when on is true.
func paint(on bool, sgr, s string) string {
	if !on || s == "" {
		return s
	}
	return sgr + s + sgrReset
}

// severityColor is the colour of a severity's rule name.
func severityColor(sev string) string {
	switch sev {
	case "error":
		return sgrRed + sgrBold
	case "warning":
		return sgrYellow + sgrBold
	}
	return sgrCyan + sgrBold
}

// colorDiff colours a unified diff line by line: file headers bold, hunk
// headers cyan, removed lines red, added lines green. Each line's own
// bytes are kept, and the colour ends before the line ending.
func colorDiff(diff []byte) []byte {
	var b bytes.Buffer
	for len(diff) > 0 {
		n := bytes.IndexByte(diff, '\n')
		var line []byte
		if n < 0 {
			line, diff = diff, nil
		} else {
			line, diff = diff[:n+1], diff[n+1:]
		}
		body := bytes.TrimRight(line, "\r\n")
		end := line[len(body):]
		var sgr string
		switch s := string(body); {
		case strings.HasPrefix(s, "--- ") || strings.HasPrefix(s, "+++ "):
			sgr = sgrBold
		case strings.HasPrefix(s, "@@"):
			sgr = sgrCyan
		case strings.HasPrefix(s, "-"):
			sgr = sgrRed
		case strings.HasPrefix(s, "+"):
			sgr = sgrGreen
		}
		if sgr == "" || len(body) == 0 {
			b.Write(line)
			continue
		}
		b.WriteString(sgr)
		b.Write(body)
		b.WriteString(sgrReset)
		b.Write(end)
	}
	return b.Bytes()
}
