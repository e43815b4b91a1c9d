//go:build !unix

package main

import (
	"errors"

	"github.com/rogpeppe/go-internal/testscript"
)

// The bad-input and write scripts need Unix; elsewhere they have no helpers.
var (
	reliabilityPrograms = map[string]func(){}
	reliabilityCmds     = map[string]func(ts *testscript.TestScript, neg bool, args []string){}
)

func reliabilityCondition(cond string) (bool, error) { return false, errors.New("unix only") }
