package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"
)

// runStats counts what a multi-file run did, for the summary printed at
// its end.
type runStats struct {
	files, changed, failed int
	fixes, unfixed         map[string]int // findings by rule
	failedPaths            []string       // the first maxFailedShown
	elapsed                time.Duration
}

// maxFailedShown is how many failed files the summary names.
const maxFailedShown = 10

// elapsed is the time since start; tests make it constant.
var elapsed = time.Since

func (s *runStats) add(j *job) {
	s.files++
	if j.err != nil {
		s.failed++
		if len(s.failedPaths) < maxFailedShown {
			s.failedPaths = append(s.failedPaths, j.path)
		}
		return
	}
	if j.result.Changed {
		s.changed++
	}
	for _, fd := range j.result.Findings {
		m := &s.unfixed
		if fd.Fixed {
			m = &s.fixes
		}
		if *m == nil {
			*m = map[string]int{}
		}
		(*m)[fd.Rule]++
	}
}

// print writes the summary: one line of file counts and the time taken,
// then the fixes and the findings left unfixed, by rule, most frequent
// first, then the files that failed.
//
//	cmdfix: 120 files in 1.2s: 14 changed, 105 unchanged, 1 failed
//	cmdfix: fixes: exec-form 12, json-array 3
//	cmdfix: not fixed: entrypoint-cmd 2
//	cmdfix: failed: web/Dockerfile
func (s *runStats) print(w io.Writer, cfg *config) {
	if s.files == 0 {
		fmt.Fprintln(w, "cmdfix: no Dockerfiles found")
		return
	}
	changed := "would change"
	if cfg.write {
		changed = "changed"
	}
	fmt.Fprintf(w, "cmdfix: %s in %s: %d %s, %d unchanged", plural(s.files, "file"), roundDuration(s.elapsed), s.changed, changed, s.files-s.changed-s.failed)
	if s.failed > 0 {
		fmt.Fprintf(w, ", %d failed", s.failed)
	}
	fmt.Fprintln(w)
	if len(s.fixes) > 0 {
		label := "fixes to apply"
		if cfg.write || !(cfg.list || cfg.check || cfg.diff) {
			label = "fixes"
		}
		fmt.Fprintf(w, "cmdfix: %s: %s\n", label, byRule(s.fixes))
	}
	if len(s.unfixed) > 0 {
		fmt.Fprintf(w, "cmdfix: not fixed: %s\n", byRule(s.unfixed))
	}
	if len(s.failedPaths) > 0 {
		more := ""
		if n := s.failed - len(s.failedPaths); n > 0 {
			more = fmt.Sprintf(" and %d more", n)
		}
		fmt.Fprintf(w, "cmdfix: failed: %s%s\n", strings.Join(s.failedPaths, ", "), more)
	}
}

// roundDuration shows a duration to a tenth of a second (a millisecond
// below that).
func roundDuration(d time.Duration) time.Duration {
	if d < 100*time.Millisecond {
		return d.Round(time.Millisecond)
	}
	return d.Round(100 * time.Millisecond)
}

// printStatistics writes --statistics: for each rule with findings, how
// many there were, how many are fixed in the result and how many are not,
// most frequent first.
//
//	rule            findings  fixed  not fixed
//	exec-form             12     12          0
func (s *runStats) printStatistics(w io.Writer, cfg *config) {
	total := map[string]int{}
	for r, n := range s.fixes {
		total[r] += n
	}
	for r, n := range s.unfixed {
		total[r] += n
	}
	fixed := "fixed"
	if !(cfg.write || !(cfg.list || cfg.check || cfg.diff)) {
		fixed = "fixable"
	}
	if len(total) == 0 {
		fmt.Fprintln(w, "cmdfix: no findings")
		return
	}
	rules := make([]string, 0, len(total))
	width := len("rule")
	for r := range total {
		rules = append(rules, r)
		width = max(width, len(r))
	}
	slices.SortFunc(rules, func(a, b string) int {
		return cmp.Or(cmp.Compare(total[b], total[a]), strings.Compare(a, b))
	})
	fmt.Fprintf(w, "%-*s  %8s  %7s  %9s\n", width, "rule", "findings", fixed, "not fixed")
	for _, r := range rules {
		fmt.Fprintf(w, "%-*s  %8d  %7d  %9d\n", width, r, total[r], s.fixes[r], s.unfixed[r])
	}
}

// byRule lists counts by rule, most frequent first, then by name.
func byRule(counts map[string]int) string {
	rules := make([]string, 0, len(counts))
	for r := range counts {
		rules = append(rules, r)
	}
	slices.SortFunc(rules, func(a, b string) int {
		return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b))
	})
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = fmt.Sprintf("%s %d", r, counts[r])
	}
	return strings.Join(parts, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// progress keeps one status line on a terminal's standard error while a
// run that takes more than a moment goes on. It is drawn from a timer and
// again right after each file's output (which is printed above it), never
// in the middle of a file's output, and erased at the end. All its
// methods do nothing on a nil *progress, which is what newProgress gives
// when standard error is not a terminal.
type progress struct {
	w     io.Writer
	delay time.Duration // nothing is drawn before this much time has passed
	start time.Time

	nFound  atomic.Int64
	walking atomic.Bool

	mu                    sync.Mutex // held while a file's output is printed
	done, changed, failed int
	shown                 bool // a line is on screen
	quit                  chan struct{}
	stopped               sync.WaitGroup
}

const (
	progressDelay  = 500 * time.Millisecond
	progressPeriod = 100 * time.Millisecond
)

// newProgress returns a progress line on w when w is a terminal (and not a
// dumb one), nil otherwise.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) || os.Getenv("TERM") == "dumb" {
		return nil
	}
	return startProgress(w, progressDelay, progressPeriod)
}

func startProgress(w io.Writer, delay, period time.Duration) *progress {
	p := &progress{w: w, delay: delay, start: time.Now(), quit: make(chan struct{})}
	p.walking.Store(true)
	p.stopped.Add(1)
	go func() {
		defer p.stopped.Done()
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				p.tick()
			case <-p.quit:
				return
			}
		}
	}()
	return p
}

// tick draws the line, as the timer does.
func (p *progress) tick() {
	p.mu.Lock()
	p.draw()
	p.mu.Unlock()
}

// found counts a file the walk found.
func (p *progress) found() {
	if p != nil {
		p.nFound.Add(1)
	}
}

// walked records that the walk is over, so the total is known.
func (p *progress) walked() {
	if p != nil {
		p.walking.Store(false)
	}
}

// step counts j as reported. When j has output (print does it), the
// line is erased first and drawn again after it, so it stays on screen
// below the output; a file without output leaves the line as it is, for
// the timer to redraw.
func (p *progress) step(j *job, hasOutput bool, print func()) {
	if p == nil {
		print()
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	switch {
	case j.err != nil:
		p.failed++
	case j.result.Changed:
		p.changed++
	}
	if !hasOutput {
		return
	}
	wasShown := p.shown
	p.erase()
	print()
	if wasShown {
		p.draw()
	}
}

// stop erases the line for good.
func (p *progress) stop() {
	if p == nil {
		return
	}
	close(p.quit)
	p.stopped.Wait()
	p.mu.Lock()
	p.erase()
	p.mu.Unlock()
}

func (p *progress) draw() {
	if time.Since(p.start) < p.delay {
		return
	}
	// The walk runs only a little ahead of the work (the window), so the
	// total is shown once the walk is over.
	done := fmt.Sprint(p.done)
	if !p.walking.Load() {
		done += fmt.Sprintf("/%d", p.nFound.Load())
	}
	fmt.Fprintf(p.w, "\rcmdfix: %s files, %d changed, %d failed\x1b[K", done, p.changed, p.failed)
	p.shown = true
}

func (p *progress) erase() {
	if p.shown {
		io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
}
