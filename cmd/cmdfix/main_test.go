package main

import (
	"flag"
	"maps"
	"os"
	"testing"
	"time"

	"github.com/cmdfix/cmdfix/internal/corpus"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "update testscript files with the actual output")

// TestMain lets testscript run this test binary as the cmdfix command, so
// scripts exercise the real main: flags, files, exit codes.
func TestMain(m *testing.M) {
	// The summary's time taken is constant, so scripts can compare it.
	elapsed = func(time.Time) time.Duration { return 1500 * time.Millisecond }
	programs := map[string]func(){
		"cmdfix": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	}
	maps.Copy(programs, reliabilityPrograms)
	testscript.Main(corpus.Reporting(m), programs)
}

// TestScripts runs testdata/script/*.txtar: each holds the input files,
// the commands and the expected output.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		UpdateScripts:       *update,
		Cmds:                scriptCmds(),
		Condition:           reliabilityCondition,
	})
}
