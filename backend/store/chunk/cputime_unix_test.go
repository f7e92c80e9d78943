//go:build unix

package chunk

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the test process has used: on a machine shared
// by many builds, wall time per point mostly measures the neighbours.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
