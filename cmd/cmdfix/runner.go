package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

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
	// findingsFailed: a finding at or above its file's fail level was
	// not fixed.
	findingsFailed bool
	report         reports // for --output-format json and sarif

	stats runStats // for the summary of a multi-file run

	caches caches // the result caches in use
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
	failOn  level     // the fail level of the file's settings
	notes   *jobNotes // lines about the build context and base images, printed before its findings

	done chan struct{} // closed when the job has been processed
}

func (r *runner) exitCode() int {
	switch {
	case r.failed:
		return exitError
	case r.changed && (r.cfg.check || r.cfg.diff), r.findingsFailed:
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
	if r.cfg.statistics {
		r.stats.printStatistics(r.stderr, r.cfg)
	}
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
	start := time.Now()
	// Each file's output is gathered, then written at once: two writes per
	// file rather than one per line, and the progress line is erased and
	// redrawn around it, never in the middle of it.
	stdout, stderr := bufio.NewWriter(r.stdout), bufio.NewWriter(r.stderr)
	var jobOut, jobErr bytes.Buffer
	var progress *progress
	if !r.cfg.quiet {
		progress = newProgress(r.stderr)
	}
	r.stdout, r.stderr = &jobOut, &jobErr

	found := make(chan *job)
	w := &walker{noIgnore: r.cfg.noIgnore, emit: func(j *job) { found <- j }, leftovers: &leftovers{}}
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
		r.finish(j)
		progress.step(j, jobOut.Len()+jobErr.Len() > 0, func() {
			stdout.Write(jobOut.Bytes())
			stderr.Write(jobErr.Bytes())
			stdout.Flush()
			stderr.Flush()
		})
		for _, b := range []*bytes.Buffer{&jobOut, &jobErr} {
			if b.Cap() > 1<<20 {
				*b = bytes.Buffer{} // one huge file's output is not kept
			}
			b.Reset()
		}
		budget.release(j.weight())
	}
	r.stdout, r.stderr = stdout, stderr
	wg.Wait()
	r.caches.close()
	progress.stop()
	r.flushReport()
	if !r.cfg.quiet {
		w.leftovers.report(stderr)
	}
	r.stats.elapsed = elapsed(start)
	if (w.walkedDir || len(paths) > 1) && !r.cfg.quiet {
		r.stats.print(stderr, r.cfg)
	}
	if r.cfg.statistics {
		r.stats.printStatistics(stderr, r.cfg)
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
	js, err := r.cfg.settingsFor(j)
	if err != nil {
		j.err = err
		return
	}
	j.failOn = js.failOn
	r.cfg.withOutside(j, &js)
	store, key, hit := r.cached(j, js)
	if hit {
		return
	}
	res, err := rewrite.Process(j.path, j.src, js.opts)
	if err != nil {
		j.err = err
		return
	}
	for i, fd := range res.Findings {
		if sev, ok := js.severity[fd.Rule]; ok {
			res.Findings[i].Severity = sev
		}
	}
	j.result = res
	r.remember(store, key, j, js)
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
	if lines := j.notes.take(); len(lines) > 0 && !r.cfg.quiet {
		fmt.Fprintln(r.stderr, strings.Join(lines, "\n"))
	}
	r.stats.add(j)
	if j.err != nil {
		r.failed = true
	}
	if j.result != nil && j.failOn != levelNever {
		for _, fd := range j.result.Findings {
			if !fd.Fixed && severityOf(fd.Severity) >= j.failOn {
				r.findingsFailed = true
			}
		}
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
		diff := udiff.Unified("a/"+label, "b/"+label, j.src, res.Output)
		if r.cfg.colorOut {
			diff = colorDiff(diff)
		}
		r.stdout.Write(diff)
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

// colorDiagnostic formats a finding as PATH:LINE:COL: RULE: message, the
// form editors and CI problem matchers read, coloured when color is set:
// the position bold, the rule in its severity's colour, the note dim.
func colorDiagnostic(color bool, path string, fd rule.Finding, fixedWord string) string {
	pos := fmt.Sprintf("%s:%d:%d:", path, fd.Line, fd.Col)
	return fmt.Sprintf("%s %s %s%s", paint(color, sgrBold, pos), paint(color, severityColor(fd.Severity.String()), fd.Rule+":"),
		fd.Message, paint(color, sgrDim, fixNote(fd, fixedWord)))
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
