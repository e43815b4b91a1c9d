package dockerfile

import (
	"strings"
	"unicode/utf8"
)

// JSONArray writes args as an exec-form array in Docker's documented style:
// ["a", "b"], one space after each comma, no HTML escaping, non-ASCII kept,
// and only what JSON requires escaped. It reports false when an argument is
// not valid UTF-8, since JSON cannot carry those bytes unchanged.
func JSONArray(args []string) (string, bool) {
	var b strings.Builder
	b.WriteByte('[')
	for i, a := range args {
		if !utf8.ValidString(a) {
			return "", false
		}
		if i > 0 {
			b.WriteString(", ")
		}
		writeJSONString(&b, a)
	}
	b.WriteByte(']')
	return b.String(), true
}

const hexDigits = "0123456789abcdef"

func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}
