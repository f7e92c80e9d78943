package wrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// errNoStateDir is returned when AutoClose is set without a StateDir.
var errNoStateDir = errors.New("auto-close needs a state directory")

// stateLockWait bounds the wait for another run's hold on a check's state
// lock: the hold is one small read and write, so a longer wait means
// something is wrong, and the run goes on unlocked rather than hang.
const stateLockWait = 10 * time.Second

// state is the last result of a check, as upstream records it (same JSON
// field names; the output is left out), plus when it was last reported.
type state struct {
	Cmd      []string
	Name     string
	Note     string
	ExitCode int
	Signaled bool
	Msg      string
	Success  bool
	// LastOccurredAt is the occurredAt of the last report decided for the
	// check (sent or spooled); the next one is sent strictly later, since
	// the hosted API ignores a second report at the same second. 0 (and
	// absent from the file) in a state written before mkr kept it.
	LastOccurredAt int64 `json:",omitempty"`
}

// nextOccurredAt is when the next report of a check is said to occur: now,
// or one second after the last report when now is not later (two runs in
// one second, or a clock that went back).
func nextOccurredAt(now, last int64) int64 { return max(now, last+1) }

func newState(res *Result, name, note string) state {
	return state{
		Cmd: res.Args, Name: name, Note: note, ExitCode: res.ExitCode,
		Signaled: res.Signal != 0, Msg: res.Message, Success: res.Success(),
	}
}

// StatePath returns where the auto-close state of checkName is kept:
// <stateDir>/wrap/<checkName>.json. A name that is not safe as a file name
// is sanitised and suffixed with a hash of the original, so that two names
// never share a file.
func StatePath(stateDir, checkName string) string {
	file := sanitize(checkName, "")
	if file != checkName {
		sum := sha256.Sum256([]byte(checkName))
		file += "-" + hex.EncodeToString(sum[:4])
	}
	return filepath.Join(stateDir, "wrap", file+".json")
}

// loadState returns the previous state, or nil when there is none. A state
// that cannot be read or decoded is removed (it would fail forever) and
// reported as nil with an error to log.
func loadState(stateDir, name string) (*state, error) {
	if stateDir == "" {
		return nil, errNoStateDir
	}
	path := StatePath(stateDir, name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err == nil {
		var st state
		if err = json.Unmarshal(data, &st); err == nil {
			return &st, nil
		}
	}
	rmErr := os.Remove(path)
	if errors.Is(rmErr, fs.ErrNotExist) {
		rmErr = nil
	}
	return nil, errors.Join(fmt.Errorf("discarding auto-close state %s: %w", path, err), rmErr)
}

// updateState replaces the check's state with next(prev), prev being the
// state loaded as loadState does, while holding the check's state lock
// (<state file>.lock) — so that concurrent runs of one check take turns:
// each sees the result and the last occurredAt of the one before, and no
// two pick the same second. Errors are advisory, as loadState's: without a
// state directory next(nil) still decides, and a lock that cannot be taken
// in stateLockWait leaves the update unlocked.
func updateState(stateDir, name string, next func(prev *state) state) error {
	if stateDir == "" {
		next(nil)
		return errNoStateDir
	}
	var lockErr error
	lockPath := StatePath(stateDir, name) + ".lock"
	l, err := openLock(lockPath, 0o600)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), stateLockWait)
		_, err = l.pollLock(ctx, nil, time.Millisecond, 5*time.Millisecond)
		cancel()
		defer l.Close()
	}
	if err != nil {
		lockErr = fmt.Errorf("locking auto-close state %s (going on unlocked): %w", lockPath, err)
	}
	prev, loadErr := loadState(stateDir, name)
	saveErr := saveState(stateDir, next(prev))
	return errors.Join(lockErr, loadErr, saveErr)
}

// saveState records st for the next run.
func saveState(stateDir string, st state) error {
	if stateDir == "" {
		return errNoStateDir
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	path := StatePath(stateDir, st.Name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("saving auto-close state: %w", err)
	}
	if err := writeFileAtomic(path, data); err != nil {
		return fmt.Errorf("saving auto-close state: %w", err)
	}
	return nil
}

// writeFileAtomic writes data to path so that readers see the old file or
// the complete new one, never a torn write: a 0600 temp file in the same
// directory (so rename stays within one file system), synced, then renamed.
// The temp name starts with "." so directory scans can skip it.
func writeFileAtomic(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// ForgetState forgets that the last result of a check was a success, so
// that the next successful run reports OK again. The caller uses it when an
// OK report could not be delivered: otherwise the state would say "closed"
// while the alert stays open for good. When the last report was sent is
// kept, so the next one still goes out at a later second.
func ForgetState(stateDir, checkName string) error {
	if stateDir == "" {
		return nil
	}
	if _, err := os.Stat(StatePath(stateDir, checkName)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return updateState(stateDir, checkName, func(prev *state) state {
		if prev == nil {
			return state{Name: checkName}
		}
		next := *prev
		next.Success = false
		return next
	})
}
