package rewrite

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
)

func init() { register(20, jsonArrayRule) }

var jsonArrayRule = &Rule{
	Name: "json-array",
	Doc: `repair exec-form arrays that are not valid JSON

CMD ['python', 'app.py'], CMD ["a", 'b'], CMD ["a", "b",] and
ENTRYPOINT ["app"] # comment are not JSON, so Docker treats them as shell
form and runs the whole text as a shell command, which cannot have worked.
For CMD, ENTRYPOINT, RUN, SHELL and HEALTHCHECK CMD whose text is a
bracketed list of quoted strings, the rule writes the array the author
spelled (a trailing comment moves to its own line above); anything else
that looks like an array is reported and left alone.`,
	Fixes:    Safe,
	Hadolint: []string{"DL3025"},
	BuildKit: []string{"JSONArgsRecommended"},
	Run:      runJSONArray,
}

func runJSONArray(p *Pass) {
	f := p.File
	for _, top := range f.Instructions {
		in := top
		if top.Trigger != nil {
			in = top.Trigger
		}
		text, ok := arrayCandidateText(in)
		if !ok {
			continue
		}
		pa, ok := readPseudoArray(text)
		if !ok {
			continue
		}
		kw := strings.ToUpper(in.Keyword)
		shown := "`" + clip(text) + "`"
		if pa.problem != "" {
			p.Report(in, Warning, fmt.Sprintf("%s looks like an exec-form array but %s, so %s; cmdfix cannot tell which array was meant and leaves it",
				shown, pa.problem, runsAsShell(in.Keyword)), nil)
			continue
		}
		if len(pa.defects) == 0 {
			continue // valid JSON that BuildKit still read as shell form: not ours to guess about
		}
		if sh := in.Shell; sh != nil && in.Keyword != "shell" && !posixLikeShell(sh) {
			p.Report(in, Warning, fmt.Sprintf("%s is not a JSON array (%s); with the SHELL at line %d (%s) in effect cmdfix cannot tell that it fails, so it leaves it",
				shown, strings.Join(pa.defects, ", "), f.InputLine(sh.Start), shellInstructionText(sh)), nil)
			continue
		}
		consequence := runsAsShell(in.Keyword)
		if in.Keyword != "shell" {
			consequence += ", which cannot have worked as written"
		}
		safety := Safe
		if ep := argumentReader(f, in); ep != "" {
			// An ENTRYPOINT gets the text as arguments and may run fine
			// with them; passing it the array changes what it receives.
			safety = Unsafe
			consequence = ep + " receives `/bin/sh -c …` as its arguments today"
		}
		msg := fmt.Sprintf("%s is not a JSON array (%s), so %s; the fix writes the array it spells",
			shown, strings.Join(pa.defects, ", "), consequence)
		if pa.comment != "" {
			msg += ", with the comment on its own line above"
		}
		fix, why := arrayFix(f, in, pa.args, pa.comment)
		if fix == nil {
			p.Report(in, Warning, fmt.Sprintf("%s is not a JSON array (%s), so %s; cmdfix cannot rewrite it: %s", shown, strings.Join(pa.defects, ", "), runsAsShell(in.Keyword), why), nil)
			continue
		}
		fix.Safety = safety
		fix.Message = "write " + kw + " as a JSON array"
		p.Report(in, Warning, msg, fix)
	}
}

// argumentReader names the ENTRYPOINT that receives a CMD's text as its
// arguments, when one may look at them: any non-empty ENTRYPOINT in the
// file, or a base image's that inspects its arguments. "" otherwise.
func argumentReader(f *File, in *Instruction) string {
	if in.Keyword != "cmd" || in.Stage == nil {
		return ""
	}
	ep := entrypointFor(f, in.Stage)
	switch {
	case ep.inFile != nil:
		return "the " + describeInstruction(f, ep.inFile)
	case ep.known && ep.info.Entrypoint == InspectsArgs:
		return fmt.Sprintf("the ENTRYPOINT %s of base image %s", ep.info.EntrypointText, ep.shown())
	}
	return ""
}

// arrayCandidateText returns the shell-form text of an instruction that
// takes an exec-form array: CMD, ENTRYPOINT, RUN, SHELL, HEALTHCHECK CMD.
func arrayCandidateText(in *Instruction) (string, bool) {
	if in.JSON() {
		return "", false
	}
	args := in.Args()
	switch in.Keyword {
	case "cmd", "entrypoint", "run", "shell":
		if len(args) != 1 {
			return "", false
		}
		return args[0], true
	case "healthcheck":
		if len(args) != 2 || !strings.EqualFold(args[0], "cmd") {
			return "", false
		}
		return args[1], true
	}
	return "", false
}

// runsAsShell says what happens to a non-JSON argument of keyword.
func runsAsShell(keyword string) string {
	switch keyword {
	case "shell":
		return "BuildKit refuses it (SHELL takes only a JSON array)"
	case "run":
		return "the build runs the whole text as a shell command"
	case "healthcheck":
		return "the health check runs the whole text as a shell command"
	}
	return "Docker runs the whole text as a shell command"
}

// posixLikeShell reports whether a SHELL instruction runs a shell that, like
// sh or cmd.exe, fails on a bracketed list of strings.
func posixLikeShell(sh *Instruction) bool {
	args := sh.Args()
	if !sh.JSON() || len(args) == 0 {
		return false
	}
	prog := strings.ToLower(path.Base(strings.ReplaceAll(args[0], `\`, "/")))
	prog = strings.TrimSuffix(prog, ".exe")
	switch prog {
	case "sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox", "cmd":
		return true
	}
	return false
}

// shellText shows a SHELL instruction's argument for messages.
func shellInstructionText(sh *Instruction) string {
	if sh.JSON() {
		j, _ := JSONArray(sh.Args())
		return "`" + clip(j) + "`"
	}
	return "`" + clip(strings.Join(sh.Args(), " ")) + "`"
}

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
					return fail("`%s` is not a valid JSON string", clip(s[i:j+1]))
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
					return fail("the backslash in `'%s'` could mean an escape or itself", clip(v))
				}
				pa.args = append(pa.args, v)
				defect("single quotes")
				i += j + 2
			default:
				end := strings.IndexAny(s[i:], ", \t]")
				if end <= 0 {
					end = len(s) - i
				}
				return fail("`%s` is not a quoted string", clip(s[i:i+end]))
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
				return fail("a comma is missing before `%s`", clip(s[i:]))
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
		return fail("`%s` follows the closing `]`", clip(rest))
	}
	return pa
}

// arrayFix builds the edit that writes instruction in with args as its
// exec-form array, hoisting comment (if any) above it. It returns nil and
// why when the instruction cannot be rewritten without changing something
// else about it.
func arrayFix(f *File, in *Instruction, args []string, comment string) (*Fix, string) {
	fix, why := arrayInstructionFix(f, in, rewriteHead, args, comment, "the rewritten instruction would not keep its options")
	if fix != nil {
		fix.Safety = Safe
	}
	return fix, why
}
