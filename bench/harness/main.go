//go:build unix

// Command harness takes the measurements of make bench (bench/bench.sh
// prepares its inputs): cmdfix against dockerfmt and dprint on the same
// files, against the parse-only floor (bench/floor) on the corpus and on
// ten copies of it, on one file through standard input as editors call it,
// and its peak memory. cmdfix --check is timed twice: as a first run (its
// result cache emptied before each run) and as a warm run over the same
// unchanged files (beside dprint with its incremental cache). Commands of a group run in alternation, round after
// round, and each figure is the median of its rounds, so a burst of load
// from elsewhere on the machine hits every command alike. It also runs
// each formatter on every corpus file alone, twice, and counts the files
// it fails on, changes again on the second run, or turns into a file
// BuildKit no longer parses (dockerfmt through its binary, with verdicts
// cached by file content; cmdfix in process).
//
// It prints a report and exits 1 when a target is missed.
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/cmdfix/cmdfix/internal/fileutil"
	"github.com/cmdfix/cmdfix/rewrite"
)

var (
	cmdfixBin    = flag.String("cmdfix", "", "cmdfix binary")
	floorBin     = flag.String("floor", "", "parse-only floor binary (bench/floor)")
	dockerfmtBin = flag.String("dockerfmt", "", "dockerfmt binary")
	dprintBin    = flag.String("dprint", "", "dprint binary")
	dprintConfig = flag.String("dprint-config", "", "dprint configuration naming the Dockerfile plugin")
	corpus1      = flag.String("corpus", "", "folder holding the corpus as a tree of Dockerfiles")
	corpus10     = flag.String("corpus10", "", "folder holding ten copies of the corpus")
	typical      = flag.String("typical", "", "a typical Dockerfile, for the editor measurement")
	formatted    = flag.String("formatted", "", "optional: the corpus tree after cmdfix -w, for the steady state of a repository CI already gates")
	rounds       = flag.Int("rounds", 7, "timed rounds per group (after one warm-up round)")
	editorRuns   = flag.Int("editor-runs", 25, "runs of each command per round in the single-file group")
	peerList     = flag.String("peer-list", "", "write the files dockerfmt can process to this file")
	verdicts     = flag.String("verdicts", "", "file caching dockerfmt's verdict on each file, by content")
	cacheRoot    = flag.String("cache-root", "", "folder for cmdfix's result caches (emptied before each cold run, kept for the warm ones)")
)

func main() {
	flag.Parse()
	for name, v := range map[string]string{"cmdfix": *cmdfixBin, "floor": *floorBin, "dockerfmt": *dockerfmtBin,
		"dprint": *dprintBin, "dprint-config": *dprintConfig, "corpus": *corpus1, "corpus10": *corpus10, "typical": *typical,
		"cache-root": *cacheRoot} {
		if v == "" {
			fmt.Fprintf(os.Stderr, "harness: -%s is required\n", name)
			os.Exit(2)
		}
	}
	files, err := dockerfiles(*corpus1)
	if err != nil {
		fatal(err)
	}
	files10, err := dockerfiles(*corpus10)
	if err != nil {
		fatal(err)
	}
	jobs := runtime.GOMAXPROCS(0)

	printMachine(jobs)
	fmt.Printf("corpus: %d files (%s); ten copies: %d files\n", len(files), size(files), len(files10))
	fmt.Printf("figures: median of %d alternating rounds after one warm-up round; cmdfix and the floor use -j %d;\n", *rounds, jobs)
	fmt.Printf("targets are judged on wall time; CPU time (user + system) is shown beside it, steadier on a shared machine\n\n")

	// Correctness, and the files dockerfmt can process at all.
	fmt.Println("Each formatter on every corpus file alone, then again on its own output:")
	dfm := correctness(files, execFormatter(*dockerfmtBin), *verdicts)
	cfx := correctness(files, processFormatter, "")
	fmt.Printf("  %d files BuildKit parses, %d it rejects (not counted below)\n", dfm.parsed, len(files)-dfm.parsed)
	fmt.Printf("  %-18s %6s %16s %26s\n", "", "fails", "not idempotent", "output BuildKit rejects")
	for _, c := range []struct {
		name string
		r    correctnessResult
	}{{"cmdfix", cfx}, {"dockerfmt 0.5.4", dfm}} {
		fmt.Printf("  %-18s %6d %16d %26d\n", c.name, len(c.r.fails), len(c.r.unstable), len(c.r.broken))
	}
	for _, c := range []struct {
		name string
		r    correctnessResult
	}{{"cmdfix", cfx}, {"dockerfmt", dfm}} {
		listExamples(c.name+" fails on", c.r.fails)
		listExamples(c.name+" is not idempotent on", c.r.unstable)
		listExamples(c.name+" breaks", c.r.broken)
	}
	peers := dfm.processed
	if *peerList != "" {
		os.WriteFile(*peerList, []byte(strings.Join(peers, "\n")+"\n"), 0o644)
	}
	fmt.Println()

	var missed []string
	check := func(ok bool, what string) string {
		if ok {
			return "ok"
		}
		missed = append(missed, what)
		return "MISSED"
	}

	// cold is cmdfix --check as a first run: its result cache emptied
	// before each run (not timed), so the run pays for filling it. warm
	// is the run after: the same files, unchanged, every result cached.
	cold := func(name string, paths ...string) command {
		dir := filepath.Join(*cacheRoot, "cold")
		return command{name: name, args: append([]string{*cmdfixBin, "--check", "--cache-dir", dir}, paths...), ok: cmdfixOK,
			before: func() { os.RemoveAll(dir) }}
	}
	warm := func(name, set string, paths ...string) command {
		dir := filepath.Join(*cacheRoot, "warm-"+set) // filled by the warm-up round
		return command{name: name, args: append([]string{*cmdfixBin, "--check", "--cache-dir", dir}, paths...), ok: cmdfixOK}
	}

	// 1. Against the peers and the floor, on the files dockerfmt can
	// process, named as arguments: first runs, then runs over the same
	// unchanged files (dprint with its incremental cache, filled by the
	// warm-up round; dockerfmt has none).
	dprintArgs := []string{*dprintBin, "check", "--config", *dprintConfig, "--list-different"}
	g1 := timeGroup([]command{
		cold("cmdfix --check", peers...),
		warm("cmdfix --check, warm", "peers", peers...),
		{name: "floor", args: append([]string{*floorBin}, peers...)},
		{name: "dockerfmt -c", args: append([]string{*dockerfmtBin, "-c"}, peers...), ok: dockerfmtOK},
		{name: "dprint check", args: append(append(slices.Clip(dprintArgs), "--incremental=false"), peers...), ok: dprintOK},
		{name: "dprint check, warm", args: append(append(slices.Clip(dprintArgs), "--incremental=true"), peers...), ok: dprintOK},
	}, *rounds, 1)
	cf, cw, fl, df, dp, dpw := g1[0], g1[1], g1[2], g1[3], g1[4], g1[5]
	fmt.Printf("1. Check mode on the %d files dockerfmt can process, named as arguments:\n", len(peers))
	fmt.Printf("   first run:  cmdfix --check %s, floor %s, dockerfmt -c %s, dprint check --incremental=false %s\n", both(cf), both(fl), both(df), both(dp))
	fmt.Printf("   warm run:   cmdfix --check %s, dprint check --incremental %s (the same files again, unchanged)\n", both(cw), both(dpw))
	fmt.Printf("   dockerfmt / cmdfix     = %.2fx (target >= 2)    %s\n", ratio(df.median(), cf.median()), check(ratio(df.median(), cf.median()) >= 2, "faster than dockerfmt"))
	fmt.Printf("   dprint / cmdfix        = %.2fx (target >= 1.5)  %s\n", ratio(dp.median(), cf.median()), check(ratio(dp.median(), cf.median()) >= 1.5, "faster than dprint"))
	fmt.Printf("   cmdfix / floor         = %.2fx (target <= 1.6)  %s\n", ratio(cf.median(), fl.median()), check(ratio(cf.median(), fl.median()) <= 1.6, "first run within 1.6x of the floor"))
	fmt.Printf("   cmdfix CPU / dockerfmt CPU = %.2fx (target <= 1)  %s\n", ratio(cf.medianCPU(), df.medianCPU()), check(cf.medianCPU() <= df.medianCPU(), "CPU time no more than dockerfmt's"))
	fmt.Printf("   warm cmdfix / floor    = %.2fx (target <= 0.3)  %s\n", ratio(cw.median(), fl.median()), check(ratio(cw.median(), fl.median()) <= 0.3, "warm run within 0.3x of the floor"))
	fmt.Printf("   warm dprint / warm cmdfix = %.2fx (for information)\n\n", ratio(dpw.median(), cw.median()))

	// 2 and 4. Against the floor, walking the corpus and ten copies.
	g2 := timeGroup([]command{
		cold("cmdfix --check corpus", *corpus1),
		warm("cmdfix --check corpus, warm", "corpus", *corpus1),
		{name: "floor corpus", args: []string{*floorBin, *corpus1}},
		cold("cmdfix --check corpus x10", *corpus10),
		warm("cmdfix --check corpus x10, warm", "corpus10", *corpus10),
		{name: "floor corpus x10", args: []string{*floorBin, *corpus10}},
	}, *rounds, 1)
	fmt.Println("2. Walking the corpus, against the parse-only floor (read + BuildKit parse, same parallelism):")
	for i, label := range []string{"corpus", "ten copies"} {
		c, w, f := g2[3*i], g2[3*i+1], g2[3*i+2]
		fmt.Printf("   %-10s first run %s, warm %s, floor %s:\n", label, both(c), both(w), both(f))
		fmt.Printf("   %-10s first run %.2fx the floor (target <= 1.6)  %s; warm %.2fx (target <= 0.3)  %s\n", "",
			ratio(c.median(), f.median()), check(ratio(c.median(), f.median()) <= 1.6, "first run within 1.6x of the floor on the "+label),
			ratio(w.median(), f.median()), check(ratio(w.median(), f.median()) <= 0.3, "warm run within 0.3x of the floor on the "+label))
	}
	if *formatted != "" {
		g := timeGroup([]command{
			cold("cmdfix --check formatted", *formatted),
			{name: "floor formatted", args: []string{*floorBin, *formatted}},
		}, *rounds, 1)
		c, f := g[0].median(), g[1].median()
		fmt.Printf("   formatted  first run %s, floor %s: %.2fx the floor (the corpus after cmdfix -w: a tree CI already gates; for information)\n",
			both(g[0]), both(g[1]), ratio(c, f))
	}
	fmt.Println()

	// 3. One typical file through standard input, as an editor calls it.
	src, err := os.ReadFile(*typical)
	if err != nil {
		fatal(err)
	}
	g3 := timeGroup([]command{
		{name: "cmdfix < file", args: []string{*cmdfixBin, "--stdin-filename", "Dockerfile"}, stdin: src, ok: cmdfixOK},
		{name: "floor < file", args: []string{*floorBin}, stdin: src},
	}, *rounds, *editorRuns)
	c3, f3 := g3[0].median(), g3[1].median()
	fmt.Printf("3. One %d-line file, standard input to standard output (%d runs each):\n", bytes.Count(src, []byte("\n")), len(g3[0].wall))
	fmt.Printf("   cmdfix %s (cpu %s), floor %s (cpu %s): %.2fx the floor (target <= 1.3)  %s\n\n", msecs(c3), msecs(g3[0].medianCPU()), msecs(f3), msecs(g3[1].medianCPU()), ratio(c3, f3), check(ratio(c3, f3) <= 1.3, "editor call within 1.3x of the floor"))

	// 4. Peak memory.
	r1, r10 := g2[0].medianRSS(), g2[3].medianRSS()
	fmt.Println("4. Peak resident memory of a first cmdfix --check (maximum RSS, median):")
	fmt.Printf("   corpus %s, ten copies %s: %.2fx (target <= 1.2)  %s\n\n", mib(r1), mib(r10), float64(r10)/float64(r1), check(float64(r10) <= 1.2*float64(r1), "flat memory"))

	// Formatting the corpus (issue 6): results to standard output.
	g5 := timeGroup([]command{
		{name: "cmdfix", args: append([]string{*cmdfixBin, "--no-cache"}, peers...), ok: cmdfixOK},
		{name: "dockerfmt", args: append([]string{*dockerfmtBin}, peers...), ok: dockerfmtOK},
	}, *rounds, 1)
	fmt.Printf("Formatting the %d files (fixed and formatted text to standard output):\n", len(peers))
	for _, t := range g5 {
		fmt.Printf("   %-10s %s  %7.0f files/s  peak RSS %s\n", t.name, both(t), float64(len(peers))/t.median().Seconds(), mib(t.medianRSS()))
	}

	if len(missed) > 0 {
		fmt.Printf("\nmissed: %s\n", strings.Join(missed, "; "))
		os.Exit(1)
	}
	fmt.Println("\nall targets met")
}

// dockerfiles lists the Dockerfiles below root in walk order.
func dockerfiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && fileutil.IsDockerfile(path) {
			out = append(out, path)
		}
		return nil
	})
	if len(out) == 0 && err == nil {
		err = fmt.Errorf("%s: no Dockerfiles", root)
	}
	return out, err
}

type command struct {
	name   string
	args   []string
	stdin  []byte
	ok     []int  // exit statuses that are results, not failures (0 always is)
	before func() // run, untimed, before each run (nil: nothing)
}

// Exit statuses that report results: cmdfix 1 (files would change) and 2
// (some corpus files do not parse: BuildKit rejects them too), dockerfmt 1
// and dprint 20 (files are not formatted).
var (
	cmdfixOK    = []int{1, 2}
	dockerfmtOK = []int{1}
	dprintOK    = []int{20}
)

type timing struct {
	name string
	wall []time.Duration
	cpu  []time.Duration // user + system
	rss  []int64         // KiB
}

func (t *timing) median() time.Duration    { return median(t.wall) }
func (t *timing) medianCPU() time.Duration { return median(t.cpu) }
func (t *timing) medianRSS() int64         { return median(t.rss) }

func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// timeGroup runs the commands in turn, each perRound times per round, for
// one warm-up round and then rounds timed rounds.
func timeGroup(cmds []command, rounds, perRound int) []*timing {
	out := make([]*timing, len(cmds))
	for i, c := range cmds {
		out[i] = &timing{name: c.name}
	}
	for r := 0; r <= rounds; r++ {
		for range perRound {
			for i, c := range cmds {
				m, err := run(c)
				if err != nil {
					fatal(fmt.Errorf("%s: %v", c.name, err))
				}
				if r > 0 {
					out[i].wall = append(out[i].wall, m.wall)
					out[i].cpu = append(out[i].cpu, m.cpu)
					out[i].rss = append(out[i].rss, m.rss)
				}
			}
		}
	}
	return out
}

type measurement struct {
	wall, cpu time.Duration
	rss       int64 // KiB
}

// run runs a command with its output discarded and returns its wall time,
// CPU time and peak RSS. An exit status not in c.ok, or a Go panic, is an
// error.
func run(c command) (measurement, error) {
	if c.before != nil {
		c.before()
	}
	cmd := exec.Command(c.args[0], c.args[1:]...)
	if c.stdin != nil {
		cmd.Stdin = bytes.NewReader(c.stdin)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &limited{w: &stderr, n: 4096}
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if errors.As(err, &ee) && slices.Contains(c.ok, ee.ExitCode()) && !bytes.Contains(stderr.Bytes(), []byte("panic:")) {
		err = nil
	}
	if err != nil {
		return measurement{}, fmt.Errorf("%v: %s", err, stderr.String())
	}
	m := measurement{wall: wall, cpu: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.rss = ru.Maxrss
	}
	return m, nil
}

// limited keeps the first n bytes written to it.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(l.n, len(p))
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

type correctnessResult struct {
	parsed                  int      // files BuildKit parses
	processed               []string // files the formatter exits 0 on
	fails, unstable, broken []string
}

// A formatter returns its output for src, or an error when it fails.
type formatter func(src []byte) ([]byte, error)

// execFormatter runs a command that formats standard input to standard
// output.
func execFormatter(bin string) formatter {
	return func(src []byte) ([]byte, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin)
		cmd.Stdin = bytes.NewReader(src)
		return cmd.Output()
	}
}

// processFormatter is cmdfix with its default options, in process: the
// same code as the binary, without thousands of process starts.
func processFormatter(src []byte) ([]byte, error) {
	res, err := rewrite.Process("Dockerfile", src, rewrite.Options{Indent: 4})
	if err != nil {
		return nil, err
	}
	return res.Output, nil
}

type verdict struct {
	parses, ok, unstable, broken bool
}

// correctness runs the formatter on each file, and again on its output.
// Verdicts are cached by content in cacheFile when one is named.
func correctness(files []string, format formatter, cacheFile string) correctnessResult {
	cache := readVerdicts(cacheFile)
	verdicts := make([]verdict, len(files))
	keys := make([]string, len(files))
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				src, err := os.ReadFile(files[i])
				if err != nil {
					fatal(err)
				}
				keys[i] = fmt.Sprintf("%x", sha256.Sum256(src))
				if v, ok := cache[keys[i]]; ok {
					verdicts[i] = v
					continue
				}
				v := verdict{parses: parses(src)}
				out, err := format(src)
				if err == nil {
					v.ok = true
					again, err := format(out)
					v.unstable = err != nil || !bytes.Equal(again, out)
					v.broken = v.parses && !parses(out)
				}
				verdicts[i] = v
			}
		})
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	if cacheFile != "" {
		writeVerdicts(cacheFile, keys, verdicts)
	}
	var r correctnessResult
	for i, v := range verdicts {
		if v.ok {
			r.processed = append(r.processed, files[i])
		}
		if !v.parses {
			continue
		}
		r.parsed++
		switch {
		case !v.ok:
			r.fails = append(r.fails, files[i])
		case v.broken:
			r.broken = append(r.broken, files[i])
		case v.unstable:
			r.unstable = append(r.unstable, files[i])
		}
	}
	return r
}

// readVerdicts reads a cache of "sha256 parses ok unstable broken" lines.
func readVerdicts(file string) map[string]verdict {
	out := map[string]verdict{}
	if file == "" {
		return out
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return out
	}
	for l := range strings.SplitSeq(string(data), "\n") {
		var key string
		var v verdict
		if n, _ := fmt.Sscanf(l, "%s %t %t %t %t", &key, &v.parses, &v.ok, &v.unstable, &v.broken); n == 5 {
			out[key] = v
		}
	}
	return out
}

func writeVerdicts(file string, keys []string, verdicts []verdict) {
	var b strings.Builder
	for i, v := range verdicts {
		fmt.Fprintf(&b, "%s %t %t %t %t\n", keys[i], v.parses, v.ok, v.unstable, v.broken)
	}
	os.WriteFile(file, []byte(b.String()), 0o644)
}

func parses(src []byte) bool {
	_, err := parser.Parse(bytes.NewReader(src))
	return err == nil
}

func listExamples(what string, files []string) {
	if len(files) == 0 {
		return
	}
	const show = 3
	var names []string
	for _, f := range files[:min(show, len(files))] {
		if rel, err := filepath.Rel(*corpus1, f); err == nil {
			f = rel
		}
		names = append(names, f)
	}
	fmt.Printf("  %s %d, e.g. %s\n", what, len(files), strings.Join(names, ", "))
}

func printMachine(jobs int) {
	model, mem := "unknown CPU", ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for l := range strings.SplitSeq(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(b), "\n", 2)[0], "MemTotal:"), "%d", &kb)
		mem = fmt.Sprintf(", %.0f GiB memory", float64(kb)/(1<<20))
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		load = ", load average " + strings.Join(strings.Fields(string(b))[:3], " ")
	}
	fmt.Printf("machine: %s, %d CPUs%s, %s/%s, %s%s\n", model, runtime.NumCPU(), mem, runtime.GOOS, runtime.GOARCH, runtime.Version(), load)
}

func size(files []string) string {
	var n int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			n += fi.Size()
		}
	}
	return mib(n >> 10)
}

func ratio(a, b time.Duration) float64 { return a.Seconds() / b.Seconds() }

// both prints a timing's median wall and CPU time.
func both(t *timing) string {
	return fmt.Sprintf("%s (cpu %s)", secs(t.median()), secs(t.medianCPU()))
}
func secs(d time.Duration) string  { return fmt.Sprintf("%.3f s", d.Seconds()) }
func msecs(d time.Duration) string { return fmt.Sprintf("%.2f ms", d.Seconds()*1000) }
func mib(kib int64) string         { return fmt.Sprintf("%.1f MiB", float64(kib)/1024) }

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "harness:", err)
	os.Exit(2)
}
