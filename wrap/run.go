package wrap

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/mkr-dev/mkr/internal/proc"
)

// ErrNoCommand is returned by Run when Options.Args is empty. It is the only
// error Run returns; upstream prints it as "no commands specified".
var ErrNoCommand = errors.New("no commands specified")

// Run runs the job described by opts and waits for it, however it ends. The
// Result is never nil when err is nil, and err is non-nil only for an empty
// Args: problems with reporting are not Run's business, so nothing about
// them can keep the job from running.
//
// The job runs in its own process group with stdin on /dev/null. Its stdout
// and stderr go live to opts.Stdout and opts.Stderr and, merged, into a
// bounded capture (Result.Output).
//
// Cancelling ctx ends the job like a timeout does (SIGTERM to the group,
// SIGKILL after KillAfter), but the result keeps the job's own exit status
// and sets Canceled. While waiting for the lock, ctx bounds the wait.
//
// On Windows the job gets a new console process group instead, and a
// timeout, ctx or a forwarded Ctrl-C kills its process at once: Windows
// has no SIGTERM to send first (see run_windows.go).
func Run(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Args) == 0 {
		return nil, ErrNoCommand
	}
	o := opts.withDefaults()
	res := &Result{Args: slices.Clone(o.Args)}
	if o.Lock != "" {
		lock := takeJobLock(ctx, o, res)
		if lock == nil {
			return res, nil
		}
		// Held until the job and its process group are gone.
		defer lock.Close()
	}
	runJob(ctx, o, res)
	return res, nil
}

// runJob starts the job and supervises it to the end.
func runJob(ctx context.Context, o Options, res *Result) {
	capt := newCapture(o.OutputCapacity)
	defer func() { res.Output, res.OutputOmitted = capt.Bytes() }()

	cmd := exec.Command(o.Args[0], o.Args[1:]...)
	cmd.Env = o.Env
	cmd.Dir = o.Dir
	// Non-*os.File writers make exec create pipes and copy from them, so the
	// capture sees every byte and a terminal never reaches the job.
	var passMu sync.Mutex
	cmd.Stdout = &tee{w: o.Stdout, cap: capt, mu: &passMu}
	cmd.Stderr = &tee{w: o.Stderr, cap: capt, mu: &passMu}
	// Its own process group lets a timeout or forwarded signal reach every
	// process the job spawned, and keeps the terminal's Ctrl-C from reaching
	// the job before the wrapper has decided what to do with it (see
	// proc.SysProcAttr for each OS).
	cmd.SysProcAttr = proc.SysProcAttr()
	// A daemon started by the job may hold its stdout open forever; without
	// this Wait would block on the pipe long after the job exited.
	cmd.WaitDelay = o.WaitDelay

	if err := cmd.Start(); err != nil {
		res.StartErr = err
		res.ExitCode = startExitCode(err)
		res.Message = startFailedMessage(err)
		return
	}
	res.StartedAt = o.Now()
	waitErr := supervise(ctx, o, cmd, res)
	res.FinishedAt = o.Now()
	res.Duration = res.FinishedAt.Sub(res.StartedAt)

	if cmd.ProcessState == nil {
		res.ExitCode = ExitWrapperError
		res.Message = fmt.Sprintf("waiting for command failed: %v", waitErr)
		return
	}
	res.setExit(cmd.ProcessState)
	if res.TimedOut {
		res.ExitCode = ExitTimeout
		res.Message = timedOutMessage(o.Timeout)
	}
}

// supervise waits for the job while enforcing the timeout, the context and
// signal forwarding. It returns cmd.Wait's error.
func supervise(ctx context.Context, o Options, cmd *exec.Cmd, res *Result) error {
	group := proc.NewGroup(cmd.Process)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	var timeout, kill <-chan time.Time
	if o.Timeout > 0 {
		t := time.NewTimer(o.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	var killTimer *time.Timer
	defer func() {
		if killTimer != nil {
			killTimer.Stop()
		}
	}()
	armKill := func() {
		if killTimer == nil {
			killTimer = time.NewTimer(o.KillAfter)
			kill = killTimer.C
		}
	}
	terminate := func() {
		group.Terminate()
		armKill()
	}

	ctxDone := ctx.Done()
	sigs := o.Signals
	for {
		select {
		case err := <-done:
			if res.TimedOut || res.Canceled {
				// The job is being ended: leave nothing of it behind, even
				// processes that survived SIGTERM after their parent left.
				group.Kill()
			}
			return err
		case <-timeout:
			timeout = nil
			res.TimedOut = true
			terminate()
		case <-ctxDone:
			ctxDone = nil
			res.Canceled = true
			terminate()
		case sig, ok := <-sigs:
			if !ok {
				sigs = nil
				continue
			}
			group.Signal(sig)
			if sig == syscall.SIGINT || sig == syscall.SIGTERM {
				// The wrapper was asked to stop; make sure it can, and can
				// still report, even if the job ignores the request.
				armKill()
			}
		case <-kill:
			kill = nil
			group.Kill()
		}
	}
}
