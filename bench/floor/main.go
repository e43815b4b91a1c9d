// Command floor is the parse-only floor that make bench measures cmdfix
// against: the least any Dockerfile tool has to do. It walks the named
// folders for Dockerfiles as cmdfix does (without ignore files), reads
// each file and parses it with BuildKit's parser, with -j files in
// parallel, and does nothing else. With no path it reads standard input,
// parses it and writes it back to standard output, as an editor
// integration would.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/moby/buildkit/frontend/dockerfile/parser"

	"github.com/cmdfix/cmdfix/internal/fileutil"
)

func main() {
	jobs := flag.Int("j", runtime.GOMAXPROCS(0), "files to parse in parallel")
	flag.Parse()
	// The same garbage collector setting as cmdfix uses for a run over
	// many files, so the comparison is of the work done, not of GC tuning.
	if os.Getenv("GOGC") == "" && flag.NArg() > 0 {
		debug.SetGCPercent(400)
	}
	if flag.NArg() == 0 {
		src, err := io.ReadAll(os.Stdin)
		if err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(2)
		}
		parse(src)
		os.Stdout.Write(src)
		return
	}
	paths := make(chan string, 64)
	var failed atomic.Int64
	var wg sync.WaitGroup
	for range max(*jobs, 1) {
		wg.Go(func() {
			for p := range paths {
				src, err := os.ReadFile(p)
				if err != nil || !parse(src) {
					failed.Add(1)
				}
			}
		})
	}
	for _, root := range flag.Args() {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				failed.Add(1)
			case d.IsDir() && path != root && (d.Name() == ".git" || d.Name() == "node_modules"):
				return filepath.SkipDir
			case d.Type().IsRegular() && (path == root || fileutil.IsDockerfile(path)):
				paths <- path
			}
			return nil
		})
	}
	close(paths)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		fmt.Fprintf(os.Stderr, "floor: %d files did not parse\n", n)
	}
}

// parse reports whether BuildKit's parser accepts src.
func parse(src []byte) bool {
	_, err := parser.Parse(bytes.NewReader(src))
	return err == nil
}
