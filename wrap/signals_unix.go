//go:build unix

package wrap

import (
	"os"
	"os/signal"
	"syscall"
)

// forwardedSignals are the signals NotifySignals relays to the job.
var forwardedSignals = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP}

// NotifySignals makes the wrapper catch SIGINT, SIGTERM and SIGHUP instead of
// dying from them, and returns a channel for Options.Signals so Run forwards
// them to the job's process group. The wrapper then lives until the job has
// ended and can still report its result.
//
// It also catches SIGPIPE, which Go would otherwise turn into death on a
// write to a closed stdout or stderr; the write fails instead and Run stops
// passing that stream through. Catching (rather than ignoring) matters:
// a caught signal is reset to its default in the job at exec, an ignored
// one would be inherited.
//
// On Windows only Ctrl-C (os.Interrupt) is caught, and Run kills the job
// when it arrives.
//
// Call stop after the report has been delivered, not right after Run: a
// second SIGTERM in between must not kill the wrapper before it reports.
func NotifySignals() (signals <-chan os.Signal, stop func()) {
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, forwardedSignals...)
	// Never read: the runtime drops what does not fit, which is the point.
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	return ch, func() {
		signal.Stop(ch)
		signal.Stop(pipe)
	}
}
