package wrap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// errLockBusy means another process holds the lock.
var errLockBusy = errors.New("lock is held by another process")

// fileLock is an exclusive lock on a file, held by an open handle that the
// job never inherits: flock(2) on Unix (lock_unix.go), a file opened with
// no sharing on Windows (lock_windows.go). Either way the lock goes away
// when the file is closed or the process dies, so a crash never leaves it
// behind. openLock prepares it, tryLock takes it without blocking and
// Close releases it.

// lockWait polls until the lock is taken, ctx ends, or a signal arrives on
// sigs (returned so the caller can act on it). Polling rather than a
// blocking flock keeps the wait cancellable: a thread blocked in flock(2)
// cannot be interrupted from Go. Windows has no way to block at all, so
// polling is the only way there.
func (l *fileLock) lockWait(ctx context.Context, sigs <-chan os.Signal) (os.Signal, error) {
	return l.pollLock(ctx, sigs, 10*time.Millisecond, 250*time.Millisecond)
}

// pollLock is lockWait polling first after delay, doubling up to most: a
// job lock is held for minutes and polled slowly, a state lock for
// milliseconds and polled often.
func (l *fileLock) pollLock(ctx context.Context, sigs <-chan os.Signal, delay, most time.Duration) (os.Signal, error) {
	for {
		err := l.tryLock()
		if !errors.Is(err, errLockBusy) {
			return nil, err
		}
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, context.Cause(ctx)
		case sig := <-sigs:
			t.Stop()
			return sig, errLockBusy
		}
		delay = min(delay*2, most)
	}
}

// takeJobLock applies Options.Lock and OnOverlap. It returns the held lock,
// or nil after filling res when the job must not run.
func takeJobLock(ctx context.Context, o Options, res *Result) *fileLock {
	l, err := openLock(o.Lock, 0o600)
	if err == nil {
		err = l.tryLock()
		if err == nil {
			return l
		}
	}
	if !errors.Is(err, errLockBusy) {
		// Running unlocked could let two copies of the job collide, which
		// is what the user asked to prevent: fail loudly instead.
		lockFailed(res, err)
		if l != nil {
			l.Close()
		}
		return nil
	}
	switch o.OnOverlap {
	case OverlapFail:
		res.Overlapped = true
		res.ExitCode = ExitOverlap
		res.Message = msgOverlap
	case OverlapWait:
		if waitJobLock(ctx, o, l, res) {
			return l
		}
	default:
		res.Overlapped = true
		res.Skipped = true
		res.ExitCode = 0
		res.Message = msgSkipped
	}
	l.Close()
	return nil
}

// waitJobLock waits for the lock under OverlapWait and reports whether it
// was taken; otherwise res says why not.
func waitJobLock(ctx context.Context, o Options, l *fileLock, res *Result) bool {
	wctx := ctx
	if o.LockWait > 0 {
		var cancel context.CancelFunc
		wctx, cancel = context.WithTimeout(ctx, o.LockWait)
		defer cancel()
	}
	sig, err := l.lockWait(wctx, o.Signals)
	switch {
	case err == nil:
		return true
	case sig != nil:
		// The wrapper was told to stop before the job started: do as the
		// job would have done with that signal.
		n := 0
		if s, ok := sig.(syscall.Signal); ok {
			n = int(s)
		}
		res.ExitCode = ExitSignalBase + n
		res.Message = fmt.Sprintf("not started: interrupted by signal: %d while waiting for the lock", n)
	case ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded):
		res.Overlapped = true
		res.ExitCode = ExitOverlap
		res.Message = fmt.Sprintf("%s after waiting %s", msgOverlap, o.LockWait)
	case ctx.Err() != nil:
		res.Overlapped = true
		res.ExitCode = ExitOverlap
		res.Message = fmt.Sprintf("%s: %v", msgOverlap, err)
	default:
		lockFailed(res, err)
	}
	return false
}

func lockFailed(res *Result, err error) {
	res.ExitCode = ExitWrapperError
	res.Message = fmt.Sprintf("not started: cannot lock: %v", err)
}
