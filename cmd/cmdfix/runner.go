package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/rewrite"
)

// runner processes files and reports on them in a fixed order, whatever
// order the parallel work finishes in.
type runner struct {
	cfg            *config
	stdout, stderr io.Writer

	failed, changed bool
	report          reports // for --output-format json and sarif
}

// job is one file to process, or an error found while collecting files.
type job struct {
	path    string // as the user or the walk named it
	err     error  // set when the file cannot be processed at all
	info    os.FileInfo
	stdin   bool
	src     []byte
	result  *rewrite.Result
	wroteTo string
}

func (r *runner) exitCode() int {
	switch {
	case r.failed:
		return exitError
	case r.changed && (r.cfg.check || r.cfg.diff):
		return exitChanged
	}
	return exitOK
}

// stdin processes standard input and writes the result to standard output.
func (r *runner) stdin(in io.Reader) {
	name := r.cfg.stdinName
	if name == "" {
		name = "<stdin>"
	}
	j := &job{path: name, stdin: true}
	src, err := io.ReadAll(io.LimitReader(in, maxFileSize+1))
	switch {
	case err != nil:
		j.err = fmt.Errorf("%s: %v", name, err)
	case len(src) > maxFileSize:
		j.err = fmt.Errorf("%s: larger than %d MiB; not a Dockerfile cmdfix will process", name, maxFileSize>>20)
	default:
		j.src = src
		r.process(j)
	}
	r.finish(j)
	r.flushReport()
}

// paths processes files and directories.
func (r *runner) paths(paths []string) {
	jobs := collect(paths)
	results := make([]chan *job, len(jobs))
	for i := range results {
		results[i] = make(chan *job, 1)
	}
	// Work runs ahead of output by a bounded window, so memory stays flat
	// however many files there are.
	sem := make(chan struct{}, r.cfg.jobs)
	var wg sync.WaitGroup
	go func() {
		for i, j := range jobs {
			sem <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				if j.err == nil {
					r.load(j)
				}
				if j.err == nil {
					r.process(j)
				}
				results[i] <- j
			}()
		}
	}()
	for i := range jobs {
		j := <-results[i]
		r.finish(j)
		jobs[i] = nil // let the result go
	}
	wg.Wait()
	r.flushReport()
}

// load reads a job's file.
func (r *runner) load(j *job) {
	src, err := readFile(j.path, j.info)
	if err != nil {
		j.err = err
		return
	}
	j.src = src
}

// process runs the engine on a loaded job and, with -w, writes the result.
func (r *runner) process(j *job) {
	opts, err := r.cfg.optionsFor(j)
	if err != nil {
		j.err = err
		return
	}
	res, err := rewrite.Process(j.path, j.src, opts)
	if err != nil {
		j.err = err
		return
	}
	j.result = res
	if r.cfg.write && res.Changed && !j.stdin {
		if err := writeFile(j.path, j.info, res.Output); err != nil {
			j.err = err
			return
		}
		j.wroteTo = j.path
	}
}

// finish reports one job, in order.
func (r *runner) finish(j *job) {
	if j.err != nil {
		r.failed = true
	}
	if r.collect(j) {
		if j.result != nil && j.result.Changed {
			r.changed = true
		}
		return
	}
	r.diagnose(j)
	if j.err != nil {
		return
	}
	res := j.result
	if res.Changed {
		r.changed = true
	}
	showed := false
	if res.Changed && (r.cfg.list || r.cfg.check) {
		fmt.Fprintln(r.stdout, j.path)
		showed = true
	}
	if res.Changed && r.cfg.diff {
		label := diffLabel(j.path)
		r.stdout.Write(rewrite.UnifiedDiff("a/"+label, "b/"+label, j.src, res.Output))
		showed = true
	}
	if !showed && r.cfg.outputFormat == "text" && !r.cfg.write && !r.cfg.list && !r.cfg.check && !r.cfg.diff {
		r.stdout.Write(res.Output)
	}
}

// fixedWord is how diagnostics describe a fix that is in the result: fixed
// when the result is written or printed, fixable when only checked.
func (r *runner) fixedWord() string {
	if r.cfg.write || !(r.cfg.list || r.cfg.check || r.cfg.diff) {
		return "fixed"
	}
	return "fixable"
}

// diagnosticLine formats a finding as PATH:LINE:COL: RULE: message, the
// form editors and CI problem matchers read.
func diagnosticLine(path string, fd rewrite.Finding, fixedWord string) string {
	var note string
	switch {
	case fd.Fixed:
		note = " (" + fixedWord + ")"
	case fd.Fix != nil && fd.Fix.Safety == rewrite.Unsafe:
		note = " (fix with --unsafe)"
	case fd.Fix != nil && fd.Fix.Safety == rewrite.Suggested:
		note = " (apply with --split)"
	}
	return fmt.Sprintf("%s:%d:%d: %s: %s%s", path, fd.Line, fd.Col, fd.Rule, fd.Message, note)
}

// errorLine formats a job's error on one line, naming the file.
func errorLine(j *job) string {
	msg := j.err.Error()
	if !strings.HasPrefix(msg, j.path) {
		msg = j.path + ": " + msg
	}
	return "cmdfix: " + strings.ReplaceAll(msg, "\n", " ")
}

// diffLabel returns the path to put after a/ and b/ in diff headers:
// relative to the current folder when the file is below it, so git apply
// and patch -p1 run from there find it.
func diffLabel(path string) string {
	if filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
				path = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}
