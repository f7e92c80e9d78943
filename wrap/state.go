package wrap

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// errNoStateDir is returned when AutoClose is set without a StateDir.
var errNoStateDir = errors.New("auto-close needs a state directory")

// state is the last result of a check, as upstream records it (same JSON
// field names; the output is left out).
type state struct {
	Cmd      []string
	Name     string
	Note     string
	ExitCode int
	Signaled bool
	Msg      string
	Success  bool
}

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

// ForgetState removes the auto-close state of a check, so that the next
// successful run reports OK again. The caller uses it when an OK report
// could not be delivered: otherwise the state would say "closed" while
// the alert stays open for good.
func ForgetState(stateDir, checkName string) error {
	if stateDir == "" {
		return nil
	}
	err := os.Remove(StatePath(stateDir, checkName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
