package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Release builds set these with the linker (build/dist.sh does):
//
//	go build -ldflags "-X main.version=v1.2.3 -X main.commit=<sha> -X main.date=<RFC 3339>"
//
// Left empty, the values come from the build information that the go
// command records (runtime/debug.ReadBuildInfo): the main module's version
// (a tag, a pseudo-version, or "(devel)") and, in a build from a version
// control checkout with -buildvcs, the revision, its commit time and
// whether the tree was modified.
var (
	version string
	commit  string
	date    string
)

// versionInfo is what cmdfix --version reports.
type versionInfo struct {
	Version   string // v1.2.3, a pseudo-version, or "devel"
	Commit    string // the full revision, or ""
	Date      string // the commit time (RFC 3339), or ""
	Modified  bool   // built from a tree with uncommitted changes
	GoVersion string // the Go toolchain that built the binary
	Platform  string // GOOS/GOARCH
}

// currentVersion reads the version of the running binary.
func currentVersion() versionInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = nil
	}
	return makeVersionInfo(bi, version, commit, date)
}

// makeVersionInfo combines the build information (nil when there is none)
// with the values set by the linker, which win where they are set.
func makeVersionInfo(bi *debug.BuildInfo, ldVersion, ldCommit, ldDate string) versionInfo {
	v := versionInfo{GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi != nil {
		if bi.GoVersion != "" {
			v.GoVersion = bi.GoVersion
		}
		if mv := bi.Main.Version; mv != "" && mv != "(devel)" {
			v.Version = mv
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				v.Date = s.Value
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if ldVersion != "" {
		v.Version = ldVersion
	}
	if ldCommit != "" {
		v.Commit = ldCommit
	}
	if ldDate != "" {
		v.Date = ldDate
	}
	if v.Version == "" {
		v.Version = "devel"
	}
	return v
}

// versionString returns the version alone, as SARIF logs report it.
func versionString() string {
	return currentVersion().Version
}

// printVersion writes cmdfix --version's report: the version on the first
// line, as scripts read it, then one line each for what is known.
func printVersion(w io.Writer, v versionInfo) {
	fmt.Fprintf(w, "cmdfix %s\n", v.Version)
	if v.Commit != "" {
		modified := ""
		if v.Modified {
			modified = " (modified)"
		}
		fmt.Fprintf(w, "commit: %s%s\n", v.Commit, modified)
	}
	if v.Date != "" {
		fmt.Fprintf(w, "date: %s\n", v.Date)
	}
	fmt.Fprintf(w, "go: %s %s\n", v.GoVersion, v.Platform)
}
