package main

import (
	"maps"
	"os"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// cliCmds are script commands for the command-line tests.
var cliCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"schema": schemaCmd,
	// registry starts an in-process image registry (registry_test.go).
	"registry": registryCmd,
	// age FILE... sets the files' modification time two minutes back, as
	// the temporary files of an earlier run would be.
	"age": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) == 0 {
			ts.Fatalf("usage: age FILE...")
		}
		then := time.Now().Add(-2 * time.Minute)
		for _, a := range args {
			ts.Check(os.Chtimes(ts.MkAbs(a), then, then))
		}
	},
}

// scriptCmds are every custom script command.
func scriptCmds() map[string]func(ts *testscript.TestScript, neg bool, args []string) {
	out := maps.Clone(reliabilityCmds)
	maps.Copy(out, cliCmds)
	return out
}
