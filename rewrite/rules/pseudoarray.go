package rules

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cmdfix/cmdfix/internal/clip"
)

// pseudoArray is the reading of a text that starts like an exec-form array.
type pseudoArray struct {
	args    []string
	comment string   // a trailing "# ..." after the closing bracket
	defects []string // what keeps a list of quoted strings from being JSON
	problem string   // why it is not a bracketed list of quoted strings
}

// readPseudoArray reads text as a bracketed, comma-separated list of single-
// or double-quoted strings, allowing a trailing comma and a trailing
// comment. ok is false when the text is not an attempt at an exec-form
// array: it must start with "[" followed (after blanks) by a quote or "]".
// That leaves alone the shell's own test command ([ -f x ] && run),
// PowerShell type literals ([Net.ServicePointManager]::...) and words
// such as [${VAR}], which cmdfix cannot read as a list.
func readPseudoArray(text string) (pa pseudoArray, ok bool) {
	s := strings.TrimSpace(text)
	if !strings.HasPrefix(s, "[") {
		return pa, false
	}
	if next := strings.TrimLeft(s[1:], " \t"); next == "" || strings.IndexByte("\"']", next[0]) < 0 {
		return pa, false
	}
	pa = parsePseudoArray(s)
	if pa.problem != "" {
		if first := strings.Fields(s)[0]; first == "[" || first == "[[" {
			return pa, false // a shell test such as [ "$x" = y ] && run
		}
	}
	return pa, true
}

func parsePseudoArray(s string) pseudoArray {
	var pa pseudoArray
	defect := func(d string) {
		for _, x := range pa.defects {
			if x == d {
				return
			}
		}
		pa.defects = append(pa.defects, d)
	}
	i := 1
	skip := func() {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
	}
	fail := func(format string, args ...any) pseudoArray {
		return pseudoArray{problem: fmt.Sprintf(format, args...)}
	}
	skip()
	if i < len(s) && s[i] == ']' {
		i++
	} else {
		for {
			skip()
			if i == len(s) {
				return fail("it has no closing `]`")
			}
			switch s[i] {
			case '"':
				j := i + 1
				for j < len(s) && s[j] != '"' {
					if s[j] == '\\' {
						j++
					}
					j++
				}
				if j >= len(s) {
					return fail("a double-quoted string is not closed")
				}
				var v string
				if err := json.Unmarshal([]byte(s[i:j+1]), &v); err != nil {
					return fail("`%s` is not a valid JSON string", clip.Text(s[i:j+1]))
				}
				pa.args = append(pa.args, v)
				i = j + 1
			case '\'':
				j := strings.IndexByte(s[i+1:], '\'')
				if j < 0 {
					return fail("a single-quoted string is not closed")
				}
				v := s[i+1 : i+1+j]
				if strings.Contains(v, `\`) {
					// JSON, Python and the shell each read a backslash
					// in single quotes differently.
					return fail("the backslash in `'%s'` could mean an escape or itself", clip.Text(v))
				}
				pa.args = append(pa.args, v)
				defect("single quotes")
				i += j + 2
			default:
				end := strings.IndexAny(s[i:], ", \t]")
				if end <= 0 {
					end = len(s) - i
				}
				return fail("`%s` is not a quoted string", clip.Text(s[i:i+end]))
			}
			skip()
			if i == len(s) {
				return fail("it has no closing `]`")
			}
			if s[i] == ']' {
				i++
				break
			}
			if s[i] != ',' {
				return fail("a comma is missing before `%s`", clip.Text(s[i:]))
			}
			i++
			skip()
			if i < len(s) && s[i] == ']' {
				defect("a trailing comma")
				i++
				break
			}
		}
	}
	rest := strings.TrimSpace(s[i:])
	switch {
	case rest == "":
	case rest[0] == '#':
		pa.comment = rest
		defect("a comment after the array")
	default:
		return fail("`%s` follows the closing `]`", clip.Text(rest))
	}
	return pa
}
