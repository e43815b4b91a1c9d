package dockerfile

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// FuzzJSONArray checks the exec-form writer: it refuses exactly the
// arguments that are not UTF-8; its output is one line, has no HTML
// escapes, decodes with encoding/json to the same strings, and BuildKit
// reads CMD <output> as an exec-form CMD with the same arguments.
func FuzzJSONArray(f *testing.F) {
	for _, args := range [][]string{
		{"python", "app.py", "--port=8080"},
		{"sh", "-c", "a && b > c < d"},
		{"", " ", "\t\r\n"},
		{`"quoted"`, `back\slash`, `C:\`},
		{"\x00\x01\x1f\x7f", "\u2028\u2029\u0085", "ünïcödé ✓"},
		{"\xff", "a", "b"},
		{"$HOME", "${X:-y}", "`cmd`"},
		{"#", "]", "["},
	} {
		for n := range 4 {
			f.Add(args[0], args[1], args[2], uint8(n))
		}
	}
	f.Fuzz(func(t *testing.T, a, b, c string, n uint8) {
		args := []string{a, b, c}[:n%4]
		out, ok := JSONArray(args)
		valid := !slices.ContainsFunc(args, func(s string) bool { return !utf8.ValidString(s) })
		if ok != valid {
			t.Fatalf("JSONArray(%q) ok = %v, but arguments valid UTF-8 = %v", args, ok, valid)
		}
		if !ok {
			return
		}
		if strings.ContainsAny(out, "\n\r") || strings.Contains(out, `\u003c`) || strings.Contains(out, `\u0026`) {
			t.Fatalf("JSONArray(%q) = %s: not one line, or HTML-escaped", args, out)
		}
		var back []string
		if err := json.Unmarshal([]byte(out), &back); err != nil {
			t.Fatalf("JSONArray(%q) = %s does not decode: %v", args, out, err)
		}
		if !slices.Equal(back, args) {
			t.Fatalf("JSONArray(%q) = %s decodes to %q", args, out, back)
		}
		res, err := parser.Parse(strings.NewReader("CMD " + out + "\n"))
		if err != nil {
			t.Fatalf("BuildKit rejects CMD %s: %v", out, err)
		}
		if len(res.AST.Children) != 1 || !res.AST.Children[0].Attributes["json"] {
			t.Fatalf("BuildKit does not read CMD %s as one exec-form instruction", out)
		}
		var got []string
		for n := res.AST.Children[0].Next; n != nil; n = n.Next {
			got = append(got, n.Value)
		}
		if !slices.Equal(got, args) {
			t.Fatalf("BuildKit reads CMD %s as %q, want %q", out, got, args)
		}
	})
}
