package plugininstall

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// LockOptions are the flags of `mkr plugin lock`.
type LockOptions struct {
	// Platforms are locked in addition to the manifest's platforms. Platforms already
	// in the lock are always kept.
	Platforms []string
	// Check reports whether the lock is stale without writing it or touching the
	// network. A stale lock returns ErrLockStale together with the result.
	Check bool
	// Update resolves every plugin again (latest release, highest matching version);
	// entries whose tag does not change are kept as they are.
	Update bool
}

// LockResult says what changed in the lock, or what would change with Check.
type LockResult struct {
	Path    string       `json:"path"`
	Changes []LockChange `json:"changes"`
	Written bool         `json:"written"`
}

// Lock brings mkr-plugins.lock in line with the manifest without installing anything:
// new and changed plugins are resolved, and every declared platform's archive is
// downloaded (to a temporary directory) to record its hashes. Entries that are still
// right are kept byte-identical and not downloaded again.
func (in *Installer) Lock(ctx context.Context, manifestPath string, opts LockOptions) (*LockResult, error) {
	if opts.Check && opts.Update {
		return nil, errors.New("checking and updating the lock cannot be combined")
	}
	if problems := checkPlatforms(opts.Platforms); len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	m, err := LoadManifest(manifestPath)
	if err != nil {
		return nil, err
	}
	lockPath := LockPath(manifestPath)
	old, oldData, err := readLock(lockPath)
	if err != nil {
		return nil, err
	}
	plans, changes := planLock(m, old, unionPlatforms(in.platformsOf(m), opts.Platforms), opts.Update)
	res := &LockResult{Path: lockPath, Changes: append([]LockChange{}, changes...)}
	if opts.Check {
		return res, staleError(lockPath, old == nil, changes)
	}
	tmp, err := os.MkdirTemp("", "mkr-plugin-lock-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	cache := newFetchCache(in, root, ".")
	for _, p := range plans {
		if p.fresh {
			more, err := in.resolvePlan(ctx, p)
			if err != nil {
				return nil, err
			}
			res.Changes = append(res.Changes, more...)
		}
		for _, pl := range p.missing {
			if err := in.hashPlatform(ctx, cache, p.entry, pl); err != nil {
				return nil, err
			}
		}
	}
	res.Written, err = in.saveLock(lockPath, plans, oldData)
	return res, err
}

// staleError is nil for a lock that needs no change.
func staleError(lockPath string, missing bool, changes []LockChange) error {
	name := filepath.Base(lockPath)
	if missing {
		return fmt.Errorf("%w: %s does not exist", ErrLockStale, name)
	}
	if len(changes) == 0 {
		return nil
	}
	problems := make([]string, len(changes))
	for i, c := range changes {
		problems[i] = c.String()
	}
	return &problemsError{header: fmt.Sprintf("%s is out of date", name),
		problems: problems, causes: []error{ErrLockStale}}
}

// saveLock writes the lock built from plans unless the file already holds exactly that.
func (in *Installer) saveLock(lockPath string, plans []*entryPlan, oldData []byte) (bool, error) {
	l := &lockData{}
	for _, p := range plans {
		l.Plugins = append(l.Plugins, p.entry)
	}
	data, err := l.marshal()
	if err != nil {
		return false, err
	}
	if bytes.Equal(data, oldData) {
		return false, nil
	}
	if err := writeLock(lockPath, data); err != nil {
		return false, err
	}
	in.logf("Wrote %s", lockPath)
	return true, nil
}
