//go:build windows

package wrap

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
)

// errSharingViolation is ERROR_SHARING_VIOLATION, which the syscall package
// does not name: the file is open elsewhere in a way that excludes us.
const errSharingViolation syscall.Errno = 32

// fileLock is, on Windows, the lock file opened with share mode 0: while
// the handle is open no other process can open the file at all, so a
// second run gets ERROR_SHARING_VIOLATION and reads it as "held". Windows
// closes the handle when the process dies, so a crash never leaves the lock
// behind. The handle is not inheritable and the job never sees it. Any
// other program that keeps the file open (an editor, a virus scanner) also
// holds the lock while it does.
type fileLock struct {
	path string
	h    syscall.Handle // syscall.InvalidHandle when not held
}

// openLock prepares path for locking; the file is created and opened by
// tryLock, since opening it is what takes the lock. perm does not apply.
func openLock(path string, perm os.FileMode) (*fileLock, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	return &fileLock{path: path, h: syscall.InvalidHandle}, nil
}

// tryLock takes the lock without blocking; errLockBusy if it is held.
func (l *fileLock) tryLock() error {
	name, err := syscall.UTF16PtrFromString(l.path)
	if err != nil {
		return &os.PathError{Op: "open", Path: l.path, Err: err}
	}
	h, err := createLockFile(name, syscall.GENERIC_READ|syscall.GENERIC_WRITE)
	if errors.Is(err, syscall.ERROR_ACCESS_DENIED) {
		// Someone else's lock file that we may read: the lock needs no
		// write access, so share it rather than fail.
		h, err = createLockFile(name, syscall.GENERIC_READ)
	}
	switch {
	case err == nil:
		l.h = h
		return nil
	case errors.Is(err, errSharingViolation):
		return errLockBusy
	}
	return &os.PathError{Op: "lock", Path: l.path, Err: err}
}

// createLockFile opens or creates the file with share mode 0 (exclusive)
// and no security attributes (a handle no child process inherits).
func createLockFile(name *uint16, access uint32) (syscall.Handle, error) {
	return syscall.CreateFile(name, access, 0, nil, syscall.OPEN_ALWAYS, syscall.FILE_ATTRIBUTE_NORMAL, 0)
}

// Close releases the lock.
func (l *fileLock) Close() error {
	if l.h == syscall.InvalidHandle {
		return nil
	}
	err := syscall.CloseHandle(l.h)
	l.h = syscall.InvalidHandle
	return err
}
