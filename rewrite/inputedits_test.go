package rewrite

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// TestFindingEdits checks that findings carry their fixes' edits in the
// input's line numbers, and none when the fix only applies after another.
func TestFindingEdits(t *testing.T) {
	src := "FROM alpine\n" +
		"RUN REMOVE me\n" +
		"RUN TWICE\n" +
		"CMD UNSAFE thing\n" +
		"RUN REMOVE too\n" +
		"RUN INSERT here\n"
	res, err := process("Dockerfile", []byte(src), Options{NoFormat: true}, engineTestRules)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]dockerfile.Edit{
		"2 REMOVE found": {{Start: 2, End: 2, Text: ""}},
		"3 TWICE found":  {{Start: 3, End: 3, Text: "RUN ONCE\n"}},
		"3 ONCE found":   nil, // rewrites the line TWICE's fix wrote
		"4 UNSAFE found": {{Start: 4, End: 4, Text: "CMD CHANGED thing\n"}},
		"5 REMOVE found": {{Start: 5, End: 5, Text: ""}},
		"6 INSERT found": {{Start: 6, End: 5, Text: "LABEL inserted=1\n"}},
	}
	got := map[string][]dockerfile.Edit{}
	for _, fd := range res.Findings {
		got[itoa(fd.Line)+" "+fd.Message] = fd.Edits
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("edits by finding:\ngot  %+v\nwant %+v", got, want)
	}
}

// TestFindingEditsLaterRound checks a fix first offered after other fixes
// moved the lines: its edits are still stated against the input.
func TestFindingEditsLaterRound(t *testing.T) {
	src := "FROM alpine\n" +
		"RUN REMOVE me\n" +
		"RUN REMOVE me too\n" +
		"CMD UNSAFE thing\n" // line 2 once the removals are applied
	res, err := process("Dockerfile", []byte(src), Options{NoFormat: true}, engineTestRules)
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range res.Findings {
		if fd.Message != "UNSAFE found" {
			continue
		}
		want := []dockerfile.Edit{{Start: 4, End: 4, Text: "CMD CHANGED thing\n"}}
		if fd.Line != 4 || !reflect.DeepEqual(fd.Edits, want) {
			t.Errorf("UNSAFE finding at line %d with edits %+v, want line 4 with %+v", fd.Line, fd.Edits, want)
		}
		return
	}
	t.Fatal("no UNSAFE finding")
}

func itoa(n int) string {
	return strconv.Itoa(n)
}
