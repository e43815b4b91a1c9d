// Package shell answers what cmdfix needs to know about shell text: which
// dialect a program reads it in (Dialect, DialectOf), whether a command
// line is one simple command of literal words that exec form can run
// unchanged (Words, ExecArgv), where exec can be put before its last
// command (ExecLast), and whether two texts are the same program
// (SameText, OnlySeparatorsDiffer).
//
// Text is parsed with mvdan.cc/sh as POSIX sh (dash, busybox ash) and as
// Bash (/bin/sh on RHEL, Fedora and Amazon Linux), and a command is
// accepted only when both read it the same.
package shell
