package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/cmdfix/cmdfix/internal/udiff"
	"github.com/cmdfix/cmdfix/rewrite"
	"github.com/cmdfix/cmdfix/rewrite/rule"
)

// runner processes files and reports on them in a fixed order, whatever
// order the parallel work finishes in.
type runner struct {
	cfg            *config
	stdout, stderr io.Writer

	failed, changed bool
	report          reports // for --output-format json and sarif

	stats runStats // for the summary of a multi-file run
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

	done chan struct{} // closed when the job has been processed
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

// Bounds on the work done ahead of the output: at most windowPerWorker
// files per worker, and at most windowBytes bytes of input, are read but
// not yet reported. Memory stays flat however many files there are.
const (
	windowPerWorker = 16
	windowBytes     = 64 << 20
)

// paths processes files and directories: a walker finds them in order,
// -j workers process them in parallel, and the results are reported in
// the walker's order, each released once reported.
func (r *runner) paths(paths []string) {
	tuneGC()
	// Output is buffered and flushed after each file: two writes per
	// file rather than one per line, and the progress line is redrawn
	// only between files.
	stdout, stderr := bufio.NewWriter(r.stdout), bufio.NewWriter(r.stderr)
	progress := newProgress(r.stderr)
	r.stdout, r.stderr = stdout, stderr

	found := make(chan *job)
	w := &walker{noIgnore: r.cfg.noIgnore, emit: func(j *job) { found <- j }}
	go func() {
		w.walk(paths)
		close(found)
	}()

	window := make(chan *job, windowPerWorker*r.cfg.jobs)
	work := make(chan *job)
	budget := newBudget(windowBytes)
	var wg sync.WaitGroup
	for range r.cfg.jobs {
		wg.Go(func() {
			for j := range work {
				if j.err == nil {
					r.load(j)
				}
				if j.err == nil {
					r.process(j)
				}
				close(j.done)
			}
		})
	}
	go func() {
		for j := range found {
			j.done = make(chan struct{})
			budget.acquire(j.weight())
			window <- j
			work <- j
			progress.found()
		}
		progress.walked()
		close(window)
		close(work)
	}()
	for j := range window {
		<-j.done
		progress.pause()
		r.finish(j)
		stdout.Flush()
		stderr.Flush()
		progress.resume(j)
		budget.release(j.weight())
	}
	wg.Wait()
	progress.stop()
	r.flushReport()
	if w.walkedDir || len(paths) > 1 {
		r.stats.print(stderr, r.cfg)
	}
	stdout.Flush()
	stderr.Flush()
}

// tuneGC lets the heap grow to five times what is live before collecting
// (GOGC=400), unless GOGC is set: what is live stays small however many
// files there are (the window bounds it), and collecting a quarter as often
// saves about a sixth of the CPU time of a run over many files.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

// weight is what a job counts against the window's byte budget.
func (j *job) weight() int64 {
	if j.info == nil {
		return 0
	}
	return j.info.Size()
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
	r.stats.add(j)
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
		r.stdout.Write(udiff.Unified("a/"+label, "b/"+label, j.src, res.Output))
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
func diagnosticLine(path string, fd rule.Finding, fixedWord string) string {
	var note string
	switch {
	case fd.Fixed:
		note = " (" + fixedWord + ")"
	case fd.Fix != nil && fd.Fix.Safety == rule.Unsafe:
		note = " (fix with --unsafe)"
	case fd.Fix != nil && fd.Fix.Safety == rule.Suggested:
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

// relPath returns path relative to the folder cmdfix runs in when the file
// is below it, otherwise cleaned, with forward slashes.
func relPath(path string) string {
	if filepath.IsAbs(path) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, path); err == nil && !strings.HasPrefix(rel, "..") {
				path = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(path))
}

// diffLabel returns the path to put after a/ and b/ in diff headers: the
// path relative to the current folder, so git apply and patch -p1 run
// from there find it. An absolute path outside it loses its leading slash
// ("a/abs/path", as git diff writes it), so the diff applies from the root
// and never names an absolute path.
func diffLabel(path string) string {
	return strings.TrimLeft(relPath(path), "/")
}

// budget is a counting semaphore over bytes. A request larger than the
// whole budget waits until nothing else is held, so one huge file runs
// alone rather than never.
type budget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	total int64
	held  int64
}

func newBudget(total int64) *budget {
	b := &budget{total: total}
	b.cond = sync.NewCond(&b.mu)
	return b
}

func (b *budget) acquire(n int64) {
	n = min(n, b.total)
	b.mu.Lock()
	for b.held > 0 && b.held+n > b.total {
		b.cond.Wait()
	}
	b.held += n
	b.mu.Unlock()
}

func (b *budget) release(n int64) {
	n = min(n, b.total)
	b.mu.Lock()
	b.held -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}
