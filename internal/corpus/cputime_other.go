//go:build !unix

package corpus

import "time"

// CPUTime is not measured here; benchmarks report zero CPU time.
func CPUTime() time.Duration { return 0 }
