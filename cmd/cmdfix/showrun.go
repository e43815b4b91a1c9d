package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/cmdfix/cmdfix/cmd/cmdfix/internal/showrun"
	"github.com/cmdfix/cmdfix/rewrite/dockerfile"
)

// printRuns prints, for each stage of each path (or of standard input), what
// `docker run IMAGE` and `docker run IMAGE ARGS` execute and where each
// part comes from: what --show-run prints, as text or (with
// --output-format json) one JSON report. A file that cannot be read or
// parsed is reported on standard error and makes the status 2.
func (c *config) printRuns(paths []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if c.outputFormat != formatText && c.outputFormat != formatJSON {
		fmt.Fprintf(stderr, "cmdfix: --show-run prints text or json, not %s\n", c.outputFormat)
		return exitError
	}
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	code := exitOK
	report := showrun.Report{Version: showrun.Version, Tool: showrun.Tool{Name: "cmdfix", Version: versionString()}, Files: []showrun.File{}}
	for i, p := range paths {
		name, stages, err := c.runStages(p, stdin)
		if err != nil {
			fmt.Fprintf(stderr, "cmdfix: %v\n", err)
			code = exitError
			report.Files = append(report.Files, showrun.File{File: name, Error: err.Error()})
			continue
		}
		report.Files = append(report.Files, showrun.File{File: name, Stages: stages})
		if c.outputFormat == formatJSON {
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		if len(stages) == 0 {
			fmt.Fprintf(stdout, "%s: no stage (no FROM)\n", name)
			continue
		}
		showrun.WriteText(stdout, name, stages)
	}
	if c.outputFormat == formatJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		enc.Encode(report)
	}
	return code
}

// runStages reads and parses one input for --show-run and returns its
// name and the answer for each stage.
func (c *config) runStages(path string, stdin io.Reader) (string, []showrun.Stage, error) {
	name := path
	var src []byte
	var err error
	if path == "-" {
		name = "<stdin>"
		if c.stdinName != "" {
			name = c.stdinName
		}
		src, err = io.ReadAll(io.LimitReader(stdin, maxFileSize+1))
		if err == nil && len(src) > maxFileSize {
			err = fmt.Errorf("%s: larger than %d MiB; not a Dockerfile cmdfix will process", name, maxFileSize>>20)
		}
	} else {
		var info os.FileInfo
		if info, err = os.Stat(path); err != nil {
			err = pathError(path, err)
		} else if info.IsDir() {
			err = fmt.Errorf("%s: is a directory; --show-run takes Dockerfiles", path)
		} else {
			src, err = readFile(path, info)
		}
	}
	if err != nil {
		return name, nil, err
	}
	src = bytes.TrimPrefix(src, []byte("\xEF\xBB\xBF"))
	f, err := dockerfile.Parse(name, src)
	if errors.Is(err, dockerfile.ErrNoInstructions) {
		return name, nil, nil
	}
	if err != nil {
		return name, nil, err
	}
	stages := make([]showrun.Stage, 0, len(f.Stages))
	for _, s := range f.Stages {
		stages = append(stages, showrun.Of(f, s))
	}
	return name, stages, nil
}
