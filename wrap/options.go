package wrap

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Exit codes Run puts in Result.ExitCode for the wrapper's own outcomes.
// A job that ran and exited keeps its own code; one killed by a signal gets
// ExitSignalBase+signal, as a shell reports it.
const (
	// ExitOverlap is used when OnOverlap is OverlapFail (or OverlapWait gave
	// up) and a previous run still holds the lock: EX_TEMPFAIL from
	// sysexits.h, "try again later".
	ExitOverlap = 75
	// ExitTimeout is used when the job outlived Options.Timeout, as
	// timeout(1) does.
	ExitTimeout = 124
	// ExitWrapperError is used when the job could not be started for a
	// reason other than the two below, or the lock file could not be used.
	ExitWrapperError = 125
	// ExitCannotExecute is used when the command exists but cannot be
	// executed (permission denied, not an executable format).
	ExitCannotExecute = 126
	// ExitNotFound is used when the command does not exist.
	ExitNotFound = 127
	// ExitSignalBase plus the signal number is the code of a job killed by
	// a signal (143 for SIGTERM, 137 for SIGKILL).
	ExitSignalBase = 128
)

// Defaults applied by Run to zero-valued Options fields.
const (
	// DefaultOutputCapacity bounds the captured output: far more than the
	// 1024-rune check message needs, small enough to ignore.
	DefaultOutputCapacity = 64 << 10
	// MinOutputCapacity is the smallest capacity Run accepts; smaller values
	// are raised to it so the head and tail of the message stay exact.
	MinOutputCapacity = 8 << 10
	// DefaultKillAfter is how long a job gets between SIGTERM and SIGKILL.
	DefaultKillAfter = 10 * time.Second
	// DefaultWaitDelay is how long Run waits, after the job exited, for
	// processes it left behind to close its stdout and stderr.
	DefaultWaitDelay = 5 * time.Second
)

// OverlapPolicy says what Run does when Options.Lock is held by another run.
type OverlapPolicy string

// The overlap policies. The zero value behaves as OverlapSkip.
const (
	// OverlapSkip does not run the job; the result is Skipped with exit 0.
	OverlapSkip OverlapPolicy = "skip"
	// OverlapWait blocks until the lock is free (bounded by Options.LockWait
	// and the context).
	OverlapWait OverlapPolicy = "wait"
	// OverlapFail does not run the job; the result fails with ExitOverlap.
	OverlapFail OverlapPolicy = "fail"
)

// ParseOverlapPolicy parses the value of an --on-overlap flag.
func ParseOverlapPolicy(s string) (OverlapPolicy, error) {
	switch p := OverlapPolicy(s); p {
	case OverlapSkip, OverlapWait, OverlapFail:
		return p, nil
	}
	return "", fmt.Errorf("invalid overlap policy %q: want skip, wait or fail", s)
}

// Options describe one run of a job. Only Args is required; every other
// field has a usable zero value.
type Options struct {
	// Args is the command and its arguments. It is executed directly, never
	// through a shell; Args[0] is looked up in PATH when it has no slash.
	Args []string
	// Env is the job's environment; nil inherits the wrapper's.
	Env []string
	// Dir is the job's working directory; "" inherits the wrapper's.
	Dir string

	// Stdout and Stderr receive the job's output live, each stream to its
	// own writer (cron mails stderr separately). nil discards. A writer that
	// fails is dropped for the rest of the run; capture continues.
	Stdout, Stderr io.Writer
	// OutputCapacity bounds, in bytes, the merged capture in Result.Output
	// (head and tail are kept). 0 means DefaultOutputCapacity.
	OutputCapacity int

	// Timeout, when positive, ends the job: SIGTERM to its process group,
	// then SIGKILL after KillAfter. The result exits with ExitTimeout.
	Timeout time.Duration
	// KillAfter is the grace period after SIGTERM (from Timeout, context
	// cancellation or a forwarded SIGINT/SIGTERM). 0 means DefaultKillAfter.
	KillAfter time.Duration
	// WaitDelay bounds the wait for output pipes held open by background
	// processes after the job exited. 0 means DefaultWaitDelay.
	WaitDelay time.Duration

	// Signals, when non-nil, are forwarded to the job's process group while
	// it runs. Use NotifySignals to fill it from the wrapper's own signals.
	Signals <-chan os.Signal

	// Lock, when non-empty, is a file to flock(2) for the duration of the
	// run so that runs of the same job never overlap.
	Lock string
	// OnOverlap is the policy when Lock is held elsewhere.
	OnOverlap OverlapPolicy
	// LockWait bounds OverlapWait; 0 waits as long as the context allows.
	LockWait time.Duration

	// Now is the clock for Result.StartedAt and FinishedAt; nil is time.Now.
	Now func() time.Time
}

// withDefaults returns o with the zero values replaced.
func (o Options) withDefaults() Options {
	if o.Stdout == nil {
		o.Stdout = io.Discard
	}
	if o.Stderr == nil {
		o.Stderr = io.Discard
	}
	if o.OutputCapacity == 0 {
		o.OutputCapacity = DefaultOutputCapacity
	}
	o.OutputCapacity = max(o.OutputCapacity, MinOutputCapacity)
	if o.KillAfter <= 0 {
		o.KillAfter = DefaultKillAfter
	}
	if o.WaitDelay <= 0 {
		o.WaitDelay = DefaultWaitDelay
	}
	if o.OnOverlap == "" {
		o.OnOverlap = OverlapSkip
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
