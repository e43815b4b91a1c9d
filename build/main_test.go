package build

import (
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/cmdfix/cmdfix/internal/sourcetree"
)

// The release that the tests build with build/dist, for this machine's
// platform only.
const (
	testVersion = "v1.2.3"
	testCommit  = "1111111111111111111111111111111111111111"
	testEpoch   = "1764000000" // 2025-11-24T16:00:00Z
)

var (
	distOnce sync.Once
	distDir  string
	distOut  string
	distCode int
	tmpRoot  string
)

func TestMain(m *testing.M) {
	var err error
	tmpRoot, err = os.MkdirTemp("", "cmdfix-build-test-")
	if err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(tmpRoot)
	os.Exit(code)
}

// hostDist runs build/dist once for this machine's GOOS/GOARCH, with the
// test release's version, commit and date, and returns its output folder:
// the archive, SHA256SUMS and bin/GOOS-GOARCH/cmdfix.
func hostDist(t *testing.T) string {
	t.Helper()
	root := sourcetree.Root(t)
	distOnce.Do(func() {
		distDir = filepath.Join(tmpRoot, "dist")
		distOut, distCode = run(t, root, []string{"VERSION=" + testVersion, "COMMIT=" + testCommit, "SOURCE_DATE_EPOCH=" + testEpoch},
			goTool(), "run", "./build/dist", "-o", distDir, "-targets", runtime.GOOS+"/"+runtime.GOARCH)
	})
	if distCode != 0 {
		t.Fatalf("build/dist: exit %d\n%s", distCode, distOut)
	}
	return distDir
}

// hostBinary is the binary hostDist built.
func hostBinary(t *testing.T) string {
	exe := "cmdfix"
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	return filepath.Join(hostDist(t), "bin", runtime.GOOS+"-"+runtime.GOARCH, exe)
}
