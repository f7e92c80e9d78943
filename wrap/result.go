package wrap

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"syscall"
	"time"
)

// Result is what happened to one run. Run always returns one, whether or not
// the job could be started.
type Result struct {
	// Args is the command as given in Options.Args.
	Args []string
	// ExitCode is the code mkr wrap should exit with: the job's own code,
	// ExitSignalBase+signal, or one of the Exit* constants.
	ExitCode int
	// Message is the first line of the check message, upstream's wording:
	// "command exited with code: N", "command died with signal: N",
	// "command invocation failed with follwing error: …" [sic],
	// "command timed out after D", or one of the lock messages.
	Message string

	// Signal is the signal that ended the job, 0 if it exited by itself.
	// It is set on a timeout too (SIGTERM or SIGKILL), where ExitCode is
	// ExitTimeout instead of ExitSignalBase+Signal. It is always 0 on
	// Windows, where a job killed by Run exits with code 1.
	Signal syscall.Signal
	// TimedOut is set when Options.Timeout ended the job.
	TimedOut bool
	// Canceled is set when the context ended the job.
	Canceled bool
	// StartErr is the error when the job could not be started.
	StartErr error
	// Skipped is set when the job did not run because the lock was held and
	// the policy was OverlapSkip. ExitCode is 0 but the run is no success.
	Skipped bool
	// Overlapped is set whenever the lock was held by another run and this
	// job therefore did not run (skip, fail, or a wait that gave up).
	Overlapped bool

	// Output is the merged stdout and stderr as captured: all of it, or the
	// head and the tail when it exceeded Options.OutputCapacity.
	Output []byte
	// OutputOmitted counts the bytes left out between head and tail.
	OutputOmitted int64

	// StartedAt and FinishedAt bracket the job; both are zero when it did
	// not start.
	StartedAt, FinishedAt time.Time
	// Duration is the job's wall-clock run time, for a duration metric.
	Duration time.Duration
}

// Ran reports whether the job was started.
func (r *Result) Ran() bool { return !r.StartedAt.IsZero() }

// Success reports whether the job ran and exited 0. A skipped run is not a
// success: it must neither close an alert nor be recorded as a result.
func (r *Result) Success() bool { return r.ExitCode == 0 && !r.Skipped && r.Ran() }

// Messages for the outcomes that upstream mkr does not have.
const (
	msgSkipped = "skipped: previous run still running"
	msgOverlap = "not started: previous run still running"
)

func exitedMessage(code int) string { return fmt.Sprintf("command exited with code: %d", code) }

func signaledMessage(sig syscall.Signal) string {
	return fmt.Sprintf("command died with signal: %d", int(sig))
}

func startFailedMessage(err error) string {
	// "follwing" is upstream's spelling; users match on it.
	return fmt.Sprintf("command invocation failed with follwing error: %s", err)
}

func timedOutMessage(d time.Duration) string { return fmt.Sprintf("command timed out after %s", d) }

// startExitCode maps an error from exec.Cmd.Start to the shell's codes.
func startExitCode(err error) int {
	switch {
	case errors.Is(err, exec.ErrNotFound), errors.Is(err, fs.ErrNotExist),
		errors.Is(err, syscall.ENOTDIR):
		return ExitNotFound
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.ENOEXEC),
		errors.Is(err, syscall.EISDIR), errors.Is(err, syscall.ETXTBSY):
		return ExitCannotExecute
	}
	return ExitWrapperError
}
