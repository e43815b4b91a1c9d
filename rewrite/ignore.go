package rewrite

import (
	"strings"
)

// Pragmas let users keep a deliberate instruction. Three spellings are
// honoured, each on the run of comment lines directly above an instruction:
//
//	# cmdfix ignore=exec-form,redundant-instruction   (or ignore=all)
//	# hadolint ignore=DL3025                           (mapped by Rule.Hadolint)
//	# check=skip=JSONArgsRecommended                   (mapped by Rule.BuildKit)
//
// BuildKit's check=skip (and skip=all) also works file-wide as a parser
// directive at the top of the file.

// fileSkips returns the rules that the file-level "# check=skip=" directive
// turns off for the whole file.
func fileSkips(f *File) map[string]bool {
	v, ok := f.Directives["check"]
	if !ok {
		return nil
	}
	return checkSkips(v)
}

// checkSkips reads the skip list of a BuildKit check directive value such
// as "skip=JSONArgsRecommended,StageNameCasing;error=true" and returns the
// cmdfix rules it covers.
func checkSkips(v string) map[string]bool {
	out := map[string]bool{}
	for _, part := range strings.Split(v, ";") {
		k, list, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "skip") {
			continue
		}
		for _, name := range strings.Split(list, ",") {
			name = strings.TrimSpace(name)
			for _, r := range registry {
				if strings.EqualFold(name, "all") || containsFold(r.BuildKit, name) {
					out[r.Name] = true
				}
			}
		}
	}
	return out
}

// ignoredAt returns the rules silenced for instruction in by pragma
// comments directly above it.
func ignoredAt(f *File, in *Instruction) map[string]bool {
	var out map[string]bool
	add := func(name string) {
		if out == nil {
			out = map[string]bool{}
		}
		out[name] = true
	}
	for n := in.Start - 1; n >= 1 && f.kinds[n-1] == LineOther && isCommentLine(f.lines[n-1]); n-- {
		text := strings.TrimSpace(string(lineBody(trimLeftSpace(f.lines[n-1]))[1:]))
		fields := strings.Fields(text)
		switch {
		case len(fields) >= 2 && fields[0] == "cmdfix":
			for _, name := range pragmaList(fields[1:], "ignore=") {
				for _, r := range registry {
					if name == "all" || name == r.Name {
						add(r.Name)
					}
				}
			}
		case len(fields) >= 2 && fields[0] == "hadolint":
			for _, code := range pragmaList(fields[1:], "ignore=") {
				for _, r := range registry {
					if containsFold(r.Hadolint, code) {
						add(r.Name)
					}
				}
			}
		case strings.HasPrefix(strings.ToLower(text), "check="):
			for name := range checkSkips(text[len("check="):]) {
				add(name)
			}
		}
	}
	return out
}

// pragmaList returns the comma-separated names after key in fields, such as
// ["ignore=DL3025,DL4003"] → [DL3025 DL4003].
func pragmaList(fields []string, key string) []string {
	var out []string
	for _, fl := range fields {
		if v, ok := strings.CutPrefix(fl, key); ok {
			for _, name := range strings.Split(v, ",") {
				if name = strings.TrimSpace(name); name != "" {
					out = append(out, name)
				}
			}
		}
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
