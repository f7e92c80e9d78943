// Package proc supervises child processes the way both `mkr wrap` (the
// job) and `mkr checks run` (check plugins) need: each child in a process
// group of its own, so that a timeout or a forwarded signal reaches every
// process it spawned, and a stop that asks first (SIGTERM) and insists
// later (SIGKILL).
//
// The platform files hold the differences: Windows has no Unix process
// groups and no SIGTERM, so a stop there kills the child at once.
package proc

import (
	"errors"
	"time"
)

// ErrKilled stands for a child's exit status once mkr has killed it where
// the platform leaves no status of its own (Windows' TerminateProcess
// makes it 1, which would read as the child's own failure).
var ErrKilled = errors.New("killed")

// Stop asks g to end, waits up to killAfter for done (the result of the
// child's Wait), kills the group if it is still running and returns Wait's
// error.
func Stop(g Group, done <-chan error, killAfter time.Duration) error {
	if !canTerminate {
		g.Kill()
		<-done
		return ErrKilled
	}
	g.Terminate()
	select {
	case err := <-done:
		return err
	case <-time.After(killAfter):
		g.Kill()
		return <-done
	}
}
