package rewrite

import (
	"strings"
	"testing"

	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// TestMessagesUseInputLines runs entrypoint-cmd after redundant-instruction
// removed a line above, as the driver does: the lines the message names must
// be those of the input.
func TestMessagesUseInputLines(t *testing.T) {
	src := "FROM alpine\nCMD [\"old\"]\nENTRYPOINT [\"/app\"]\nCMD serve --port 80\n"
	res, err := process("Dockerfile", []byte(src), Options{NoFormat: true}, []*rule.Rule{rules.RedundantInstruction, rules.EntrypointCmd})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, fd := range res.Findings {
		if fd.Rule == rules.EntrypointCmd.Name {
			msgs = append(msgs, fd.Message)
		}
	}
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "the ENTRYPOINT at line 3 receives") {
		t.Fatalf("entrypoint-cmd findings %q, want one naming the ENTRYPOINT at line 3", msgs)
	}
}
