package rules

import (
	"fmt"
	"net"
	"strconv"
	"strings"

	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
)

// ExposeFormat drops the IP address and host port from an EXPOSE word.
// BuildKit validates them and then keeps only the container port and
// protocol (dockerfile2llb portSpecs.parsePort), so where it accepts them
// the image config is the same without them. A word BuildKit rejects is
// left alone: removing its bad part would let a failing build pass.
var ExposeFormat = &rule.Rule{
	Name: "expose-format",
	Doc: `drop the IP address and host port that BuildKit ignores in EXPOSE

EXPOSE 127.0.0.1:8080:80 exposes port 80/tcp, nothing else: BuildKit checks
the address and host port, warns (ExposeInvalidFormat) and drops them. They
are removed where BuildKit accepts them.`,
	URL:      pageURL + "expose-format.md",
	Safety:   rule.Safe,
	BuildKit: []string{linter.RuleExposeInvalidFormat.Name},
	Run:      runExposeFormat,
}

func runExposeFormat(p *rule.Pass) {
	f := p.File
	for _, in := range f.Instructions {
		var spans []span
		var words, kept []string
		for _, w := range exposeWords(f, in) {
			if !strings.Contains(w.text, ":") || strings.ContainsAny(w.text, "$\"'\\`") {
				continue
			}
			cont := exposeContainerPart(w.text)
			if cont == "" {
				p.Report(in, rule.Warning, fmt.Sprintf("EXPOSE `%s` names an address or host port, which BuildKit rejects here; EXPOSE takes PORT[/PROTOCOL]", w.text), nil)
				continue
			}
			spans = append(spans, span{w.line, w.lo, w.hi, cont})
			words = append(words, "`"+w.text+"`")
			kept = append(kept, "`"+cont+"`")
		}
		if len(spans) == 0 {
			continue
		}
		p.Report(in, rule.Warning, fmt.Sprintf("EXPOSE %s: BuildKit ignores the address and host port and exposes %s; publish ports with docker run -p", strings.Join(words, ", "), strings.Join(kept, ", ")),
			&rule.Fix{Message: "drop them", Safety: rule.Safe, Edits: []dockerfile.Edit{editSpans(f, in, spans)}})
	}
}

// exposeContainerPart returns the PORT[/PROTOCOL] of an EXPOSE word
// IP:HOST:PORT[/PROTOCOL] or HOST:PORT[/PROTOCOL] when BuildKit accepts
// it (portSpecs.parsePort: the IP parses, [] stripped; the host port
// range parses and has the container range's length, or the container
// port is one port), "" otherwise.
func exposeContainerPart(w string) string {
	parts := strings.Split(w, ":")
	n := len(parts)
	if n < 2 {
		return ""
	}
	ip, host, cont := strings.Join(parts[:n-2], ":"), parts[n-2], parts[n-1]
	port, proto, _ := strings.Cut(cont, "/")
	if p := strings.ToLower(proto); p != "" && p != "tcp" && p != "udp" && p != "sctp" {
		return ""
	}
	if strings.HasPrefix(ip, "[") {
		if !strings.HasSuffix(ip, "]") {
			return ""
		}
		ip = ip[1 : len(ip)-1]
	}
	if ip != "" && net.ParseIP(ip) == nil {
		return ""
	}
	lo, hi, ok := exposeRange(port)
	if !ok {
		return ""
	}
	if host != "" {
		hlo, hhi, ok := exposeRange(host)
		if !ok || (hhi-hlo != hi-lo && hi != lo) {
			return ""
		}
	}
	return cont
}

func exposeRange(s string) (lo, hi int, ok bool) {
	a, b, isRange := strings.Cut(s, "-")
	lo, err := strconv.Atoi(a)
	if err != nil || lo < 0 || lo > 65535 || a == "" || strings.HasPrefix(a, "+") {
		return 0, 0, false
	}
	if !isRange || a == b {
		return lo, lo, true
	}
	hi, err = strconv.Atoi(b)
	if err != nil || hi < lo || hi > 65535 || strings.HasPrefix(b, "+") {
		return 0, 0, false
	}
	return lo, hi, true
}
