//go:build unix

package rewrite

import (
	"syscall"
	"time"
)

// cpuTime returns the process's CPU time so far (user and system, all
// threads), which a busy machine disturbs less than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
