package rewrite_test

import (
	"fmt"
	"log"

	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/rule"
	"github.com/cmdfix/cmdfix/rewrite/rules"
)

// Process fixes and formats one Dockerfile: the keywords are upper-cased,
// the overridden CMD goes, and the shell-form CMD becomes exec form (it
// provably runs the same program).
func ExampleProcess() {
	src := []byte("from python:3.12-slim\ncmd python old.py\ncmd python app.py\n")
	res, err := rewrite.Process("Dockerfile", src, rewrite.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(res.Output))
	for _, f := range res.Findings {
		fmt.Printf("%s (%s)\n", f.Rule, f.Note())
	}
	// Output:
	// FROM python:3.12-slim
	// CMD ["python", "app.py"]
	// keyword-case (fixed)
	// redundant-instruction (fixed)
	// exec-form (fixed)
	// keyword-case (fixed)
}

// Options.Rules chooses the rules: here only the report of ENTRYPOINT and
// CMD combinations, with formatting off, so nothing changes.
func ExampleProcess_rules() {
	src := []byte("FROM alpine\nENTRYPOINT /usr/local/bin/worker\nCMD [\"--verbose\"]\n")
	res, err := rewrite.Process("Dockerfile", src, rewrite.Options{
		Rules:    []*rule.Rule{rules.EntrypointCmd},
		NoFormat: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Changed)
	for _, f := range res.Findings {
		fmt.Println(f)
	}
	// Output:
	// false
	// 2:1: entrypoint-cmd: this shell-form ENTRYPOINT runs /bin/sh -c and ignores the CMD at line 3 (and any docker run arguments); an exec-form ENTRYPOINT would receive them, if that was meant
}
