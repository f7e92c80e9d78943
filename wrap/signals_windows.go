//go:build windows

package wrap

import (
	"os"
	"os/signal"
)

// NotifySignals makes the wrapper catch Ctrl-C (os.Interrupt) instead of
// dying from it, and returns a channel for Options.Signals so Run kills the
// job when it arrives. The wrapper then lives until the job has ended and
// can still report its result. Windows has no SIGHUP or SIGPIPE to catch.
//
// Call stop after the report has been delivered, not right after Run.
func NotifySignals() (signals <-chan os.Signal, stop func()) {
	ch := make(chan os.Signal, 8)
	signal.Notify(ch, os.Interrupt)
	return ch, func() { signal.Stop(ch) }
}
