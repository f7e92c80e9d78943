package wrap

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// errLockBusy means another process holds the lock.
var errLockBusy = errors.New("lock is held by another process")

// fileLock is an exclusive flock(2) on an open file. The lock belongs to the
// open file description, so it is released when the file is closed or the
// process dies, and it is never left behind by a crash.
type fileLock struct{ f *os.File }

// openLock opens (creating) path for locking. os.OpenFile always sets
// O_CLOEXEC, so the job and anything it spawns never inherit the descriptor
// and cannot keep the lock after the wrapper is gone (PMSS#756). The file
// must never be handed to a child through ExtraFiles.
func openLock(path string, perm os.FileMode) (*fileLock, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, perm)
	if errors.Is(err, os.ErrPermission) {
		// Someone else's lock file that we may read: flock needs no write
		// access, so share it rather than fail.
		f, err = os.Open(path)
	}
	if err != nil {
		return nil, err
	}
	return &fileLock{f: f}, nil
}

// tryLock takes the lock without blocking; errLockBusy if it is held.
func (l *fileLock) tryLock() error {
	for {
		err := syscall.Flock(int(l.f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return errLockBusy
		}
		return fmt.Errorf("flock %s: %w", l.f.Name(), err)
	}
}

// lockWait polls until the lock is taken, ctx ends, or a signal arrives on
// sigs (returned so the caller can act on it). Polling rather than a
// blocking flock keeps the wait cancellable: a thread blocked in flock(2)
// cannot be interrupted from Go.
func (l *fileLock) lockWait(ctx context.Context, sigs <-chan os.Signal) (os.Signal, error) {
	delay := 10 * time.Millisecond
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
		delay = min(delay*2, 250*time.Millisecond)
	}
}

// Close releases the lock.
func (l *fileLock) Close() error { return l.f.Close() }

// takeJobLock applies Options.Lock and OnOverlap. It returns the held lock,
// or nil after filling res when the job must not run.
func takeJobLock(ctx context.Context, o Options, res *Result) *fileLock {
	l, err := openLock(o.Lock, 0o644)
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
