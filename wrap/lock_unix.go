//go:build unix

package wrap

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

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

// Close releases the lock.
func (l *fileLock) Close() error { return l.f.Close() }
