package rewrite

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestExecFormCorpusReport reports what the exec-form and json-array rules
// decide for every shell-form CMD, ENTRYPOINT and HEALTHCHECK CMD in the
// corpus, grouped by outcome and reason. Print it with
//
//	go test ./rewrite -run TestExecFormCorpusReport -v
func TestExecFormCorpusReport(t *testing.T) {
	files := corpusFiles(t)
	type key struct{ outcome, kind string }
	counts := map[key]int{}
	outcomes := map[string]int{}
	var total, parsed int
	example := map[key]string{}
	jsonArray := map[string]int{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(filepath.Base(path), bytes.TrimPrefix(src, bom))
		if err != nil {
			continue
		}
		parsed++
		for _, top := range f.Instructions {
			in := top
			if top.Trigger != nil {
				in = top.Trigger
			}
			if text, ok := arrayCandidateText(in); ok {
				if pa, ok := readPseudoArray(text); ok {
					switch {
					case pa.problem != "":
						jsonArray["reported: not a list of quoted strings"]++
					case len(pa.defects) > 0:
						jsonArray["repaired ("+strings.Join(pa.defects, ", ")+")"]++
					}
					if in.Keyword != "run" && in.Keyword != "shell" {
						total++
						k := key{"handled by json-array", "pseudo-JSON array"}
						counts[k]++
						outcomes[k.outcome]++
						if _, ok := example[k]; !ok {
							example[k] = fmt.Sprintf("%s:%d %s", f.Name, in.Start, clipN(text, 50))
						}
					}
					continue
				}
			}
			v := judgeExecForm(f, in)
			if v == nil {
				continue
			}
			total++
			k := key{v.outcome, v.kind}
			counts[k]++
			outcomes[v.outcome]++
			if _, ok := example[k]; !ok {
				example[k] = fmt.Sprintf("%s:%d %s", f.Name, in.Start, clipN(v.text, 50))
			}
		}
	}
	if total == 0 {
		t.Fatal("no shell-form CMD, ENTRYPOINT or HEALTHCHECK found in the corpus")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "exec-form over %d parsed corpus files: %d shell-form CMD/ENTRYPOINT/HEALTHCHECK CMD instructions (ONBUILD triggers included)\n", parsed, total)
	for _, o := range []string{outcomeConverted, outcomeUnsafe, outcomeWrapped, outcomeLeft, "handled by json-array"} {
		fmt.Fprintf(&b, "  %-58s %5d\n", o+":", outcomes[o])
		var ks []key
		for k := range counts {
			if k.outcome == o {
				ks = append(ks, k)
			}
		}
		sort.Slice(ks, func(i, j int) bool {
			if counts[ks[i]] != counts[ks[j]] {
				return counts[ks[i]] > counts[ks[j]]
			}
			return ks[i].kind < ks[j].kind
		})
		for _, k := range ks {
			fmt.Fprintf(&b, "      %-54s %5d   e.g. %s\n", k.kind, counts[k], example[k])
		}
	}
	fmt.Fprintf(&b, "json-array over the same files (CMD, ENTRYPOINT, RUN, SHELL, HEALTHCHECK):\n")
	var jk []string
	for k := range jsonArray {
		jk = append(jk, k)
	}
	sort.Strings(jk)
	for _, k := range jk {
		fmt.Fprintf(&b, "  %-58s %5d\n", k, jsonArray[k])
	}
	t.Log("\n" + b.String())
}
