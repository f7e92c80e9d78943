package plugininstall

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
)

// ManifestOptions are the flags of `mkr plugin install` without a target.
type ManifestOptions struct {
	// Locked installs exactly what the lock records: no version resolution, no GitHub
	// API or releases/latest request, no lock write. Any disagreement between manifest
	// and lock, a missing entry for this platform, or a hash difference fails with
	// ErrLockMismatch before anything is installed.
	Locked bool
}

// ManifestResult says what InstallFromManifest did.
type ManifestResult struct {
	Prefix      string       `json:"prefix"`
	LockPath    string       `json:"lockPath"`
	Installed   []string     `json:"installed"` // sources whose files were placed
	UpToDate    []string     `json:"upToDate"`  // sources whose files already matched the lock
	LockChanges []LockChange `json:"lockChanges"`
	LockWritten bool         `json:"lockWritten"`
}

// pendingInstall is a verified plugin waiting to be placed (st is nil when its files
// are already in place and only meta may need writing).
type pendingInstall struct {
	entry *lockEntry
	st    *staging
}

// InstallFromManifest installs every plugin of the manifest for this platform. With a
// lock, the locked URLs are downloaded and every hash (archive and each file) is checked
// before anything is placed; plugins missing from the lock are resolved and added. Without
// a lock, everything is resolved, installed, and the lock is written for every declared
// platform. Files always end up as locked (this is convergence, so existing files are
// overwritten); plugins whose files already match are not downloaded at all.
func (in *Installer) InstallFromManifest(ctx context.Context, manifestPath string, opts ManifestOptions) (*ManifestResult, error) {
	m, err := LoadManifest(manifestPath)
	if err != nil {
		return nil, err
	}
	lockPath := LockPath(manifestPath)
	old, oldData, err := readLock(lockPath)
	if err != nil {
		return nil, err
	}
	cur := in.platform()
	// Empty lists rather than nil, so that JSON output shows [] and not null.
	res := &ManifestResult{Prefix: in.prefixFor(m), LockPath: lockPath,
		Installed: []string{}, UpToDate: []string{}, LockChanges: []LockChange{}}
	var plans []*entryPlan
	if opts.Locked {
		if err := lockedMismatch(m, old, cur, lockPath); err != nil {
			return nil, err
		}
		for _, mp := range m.Plugins {
			plans = append(plans, &entryPlan{mp: mp, entry: old.find(mp.Source)})
		}
	} else {
		var changes []LockChange
		plans, changes = planLock(m, old, unionPlatforms(in.platformsOf(m), []string{cur}), false)
		res.LockChanges = append(res.LockChanges, changes...)
		for _, p := range plans {
			if p.fresh {
				more, err := in.resolvePlan(ctx, p)
				if err != nil {
					return nil, err
				}
				res.LockChanges = append(res.LockChanges, more...)
			}
		}
	}
	ws, err := openWorkspace(res.Prefix, true)
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	work, removeWork, err := ws.newWorkDir()
	if err != nil {
		return nil, err
	}
	defer removeWork()
	cache := newFetchCache(in, ws.root, work)
	var pending []pendingInstall
	defer func() {
		for _, pi := range pending {
			if pi.st != nil {
				pi.st.discard()
			}
		}
	}()
	// Phase 1: download, verify and stage everything; nothing visible changes yet.
	for _, p := range plans {
		e := p.entry
		if a := e.Platforms[cur]; a != nil && ws.filesMatch(a.Files) {
			in.logf("%s is already installed and matches the lock", describe(e))
			res.UpToDate = append(res.UpToDate, e.Source)
			pending = append(pending, pendingInstall{entry: e})
			continue
		}
		st, err := in.prepareEntry(ctx, cache, ws, e, lockPath, opts.Locked)
		if err != nil {
			return nil, err
		}
		p.missing = slices.DeleteFunc(slices.Clone(p.missing), func(s string) bool { return s == cur })
		pending = append(pending, pendingInstall{entry: e, st: st})
	}
	if !opts.Locked {
		for _, p := range plans {
			for _, pl := range p.missing {
				if err := in.hashPlatform(ctx, cache, p.entry, pl); err != nil {
					return nil, err
				}
			}
		}
	}
	// Phase 2: place.
	for _, pi := range pending {
		if err := in.place(ws, pi, cur); err != nil {
			return nil, err
		}
		if pi.st != nil {
			res.Installed = append(res.Installed, pi.entry.Source)
		}
	}
	if !opts.Locked {
		if res.LockWritten, err = in.saveLock(lockPath, plans, oldData); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func describe(e *lockEntry) string {
	if e.Tag == "" {
		return e.Source
	}
	return e.Source + " " + e.Tag
}

// place commits a staged plugin and records it in meta.
func (in *Installer) place(ws *workspace, pi pendingInstall, platform string) error {
	e := pi.entry
	a := e.Platforms[platform]
	rec := installRecord{Source: e.Source, Repo: e.Repo, Tag: e.Tag, URL: a.URL}
	placed := a.Files
	if pi.st != nil {
		var err error
		if placed, _, err = pi.st.commit(ws, true, in.logf); err != nil {
			return err
		}
	}
	if err := ws.saveInstall(rec, placed, nil); err != nil {
		return fmt.Errorf("saving meta of %s: %w", e.Source, err)
	}
	if pi.st != nil {
		in.logf("Successfully installed %s", describe(e))
	}
	return nil
}

// prepareEntry downloads and stages an entry's archive for this platform. When the
// entry already has hashes for it, the archive and every file must match them;
// otherwise the hashes are taken from this download (trust on first use).
func (in *Installer) prepareEntry(ctx context.Context, c *fetchCache, ws *workspace, e *lockEntry, lockPath string, locked bool) (*staging, error) {
	cur := in.platform()
	want := e.Platforms[cur]
	u := in.assetURL(e, cur)
	if want != nil {
		u = want.URL
	}
	got, err := c.get(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("installing %s: %w", e.Source, err)
	}
	mismatch := func(problems []string) error {
		causes := []error{ErrChecksumMismatch}
		if locked {
			causes = append(causes, ErrLockMismatch)
		}
		return &problemsError{header: fmt.Sprintf("%s (%s) does not match %s", describe(e), cur, filepath.Base(lockPath)),
			problems: problems, causes: causes}
	}
	if want != nil && (got.sha256 != want.SHA256 || got.size != want.Size) {
		return nil, mismatch([]string{fmt.Sprintf("%s has sha256 %s and %d bytes, the lock has sha256 %s and %d bytes",
			u, got.sha256, got.size, want.SHA256, want.Size)})
	}
	st, err := stageArchive(ctx, ws.root, got.path, ws.root, in.rules(in.cfg.GOOS))
	if err != nil {
		return nil, fmt.Errorf("installing %s: %w", e.Source, err)
	}
	if want == nil {
		e.Platforms[cur] = &lockAsset{Files: st.lockedFiles(), SHA256: got.sha256, Size: got.size, URL: u}
		return st, nil
	}
	if problems := compareFiles(want.Files, st.lockedFiles()); len(problems) > 0 {
		st.discard()
		return nil, mismatch(problems)
	}
	return st, nil
}
