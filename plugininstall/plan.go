package plugininstall

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
)

// ChangeKind classifies a LockChange.
type ChangeKind string

// The kinds of change a lock can need.
const (
	ChangeAdded         ChangeKind = "added"          // in the manifest, not in the lock
	ChangeRemoved       ChangeKind = "removed"        // in the lock, not in the manifest
	ChangeUpdated       ChangeKind = "updated"        // requested version or resolved tag changed
	ChangePlatformAdded ChangeKind = "platform-added" // a platform entry is missing
)

// LockChange is one difference between the lock and what the manifest asks for.
type LockChange struct {
	Source   string     `json:"source"`
	Kind     ChangeKind `json:"kind"`
	Platform string     `json:"platform,omitempty"`
	Detail   string     `json:"detail,omitempty"`
}

// String describes the change in one line.
func (c LockChange) String() string {
	switch c.Kind {
	case ChangeAdded:
		return c.Source + ": not in the lock yet"
	case ChangeRemoved:
		return c.Source + ": in the lock but no longer in the manifest"
	case ChangePlatformAdded:
		return c.Source + ": no entry for platform " + c.Platform
	}
	return c.Source + ": " + c.Detail
}

// entryPlan is one manifest plugin on its way into the lock.
type entryPlan struct {
	mp      ManifestPlugin
	old     *lockEntry // the existing lock's entry, or nil
	entry   *lockEntry // the entry being built
	fresh   bool       // repo and tag must be resolved over the network
	missing []string   // platforms whose asset must still be downloaded and hashed
}

// planLock works out, without any network access, what the lock for m needs: which
// entries are kept (byte-identical, with missing platforms added), which must be
// resolved, and which go away. Platforms already in an entry are never dropped, so
// adding a platform is always a pure addition.
func planLock(m *Manifest, old *lockData, platforms []string, update bool) ([]*entryPlan, []LockChange) {
	var plans []*entryPlan
	var changes []LockChange
	for _, mp := range m.Plugins {
		prev := old.find(mp.Source)
		p := &entryPlan{mp: mp, old: prev}
		if prev != nil && prev.Version == mp.Version && !update {
			p.entry = prev.clone()
			for _, pl := range platforms {
				if p.entry.Platforms[pl] == nil {
					p.missing = append(p.missing, pl)
					changes = append(changes, LockChange{Source: mp.Source, Kind: ChangePlatformAdded, Platform: pl})
				}
			}
			plans = append(plans, p)
			continue
		}
		p.fresh = true
		p.entry = &lockEntry{Source: mp.Source, Version: mp.Version, Platforms: map[string]*lockAsset{}}
		p.missing = slices.Clone(platforms)
		switch {
		case prev == nil:
			changes = append(changes, LockChange{Source: mp.Source, Kind: ChangeAdded})
		case prev.Version != mp.Version:
			p.missing = unionPlatforms(platforms, slices.Collect(maps.Keys(prev.Platforms)))
			changes = append(changes, LockChange{Source: mp.Source, Kind: ChangeUpdated,
				Detail: fmt.Sprintf("version %q → %q", prev.Version, mp.Version)})
		default:
			p.missing = unionPlatforms(platforms, slices.Collect(maps.Keys(prev.Platforms)))
		}
		plans = append(plans, p)
	}
	if old != nil {
		for _, e := range old.Plugins {
			if !slices.ContainsFunc(m.Plugins, func(mp ManifestPlugin) bool { return mp.Source == e.Source }) {
				changes = append(changes, LockChange{Source: e.Source, Kind: ChangeRemoved})
			}
		}
	}
	return plans, changes
}

// resolvePlan resolves a fresh entry's repository and tag. When they come out as they
// were, the old platform entries are reused instead of downloaded again.
func (in *Installer) resolvePlan(ctx context.Context, p *entryPlan) ([]LockChange, error) {
	t, err := ParseTarget(p.mp.Source)
	if err != nil {
		return nil, err
	}
	e := p.entry
	if t.Kind != KindURL {
		owner, repo, err := in.repoOf(ctx, t)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", p.mp.Source, err)
		}
		tag, err := in.resolveVersion(ctx, owner, repo, p.mp.Version)
		if err != nil {
			return nil, fmt.Errorf("resolving %s: %w", p.mp.Source, err)
		}
		e.Repo, e.Tag = owner+"/"+repo, tag
	}
	prev := p.old
	if prev == nil || prev.Version != e.Version {
		return nil, nil
	}
	if prev.Repo != e.Repo || prev.Tag != e.Tag {
		return []LockChange{{Source: e.Source, Kind: ChangeUpdated,
			Detail: fmt.Sprintf("tag %s → %s", prev.Tag, e.Tag)}}, nil
	}
	e.Platforms = maps.Clone(prev.Platforms)
	var changes []LockChange
	var still []string
	for _, pl := range p.missing {
		if e.Platforms[pl] == nil {
			still = append(still, pl)
			changes = append(changes, LockChange{Source: e.Source, Kind: ChangePlatformAdded, Platform: pl})
		}
	}
	p.missing = still
	return changes, nil
}

// assetURL is where an entry's archive for a platform is downloaded from.
func (in *Installer) assetURL(e *lockEntry, platform string) string {
	goos, goarch := splitPlatform(platform)
	if e.Repo == "" {
		return strings.NewReplacer("{GOOS}", goos, "{GOARCH}", goarch).Replace(e.Source)
	}
	owner, repo, _ := strings.Cut(e.Repo, "/")
	return in.githubAssetURL(owner, repo, e.Tag, goos, goarch)
}

// hashPlatform downloads an entry's archive for a platform and records its hashes.
func (in *Installer) hashPlatform(ctx context.Context, c *fetchCache, e *lockEntry, platform string) error {
	u := in.assetURL(e, platform)
	got, err := c.get(ctx, u)
	if err != nil {
		return fmt.Errorf("locking %s for %s: %w", e.Source, platform, err)
	}
	goos, _ := splitPlatform(platform)
	files, err := hashArchive(ctx, c.root, got.path, in.rules(goos))
	if err != nil {
		return fmt.Errorf("locking %s for %s: %w", e.Source, platform, err)
	}
	e.Platforms[platform] = &lockAsset{Files: files, SHA256: got.sha256, Size: got.size, URL: u}
	return nil
}

// fetchCache downloads each URL at most once per operation: a URL source without
// {GOOS}/{GOARCH} serves every platform from the same archive.
type fetchCache struct {
	in   *Installer
	root *os.Root
	dir  string
	got  map[string]fetched
}

func newFetchCache(in *Installer, root *os.Root, dir string) *fetchCache {
	return &fetchCache{in: in, root: root, dir: dir, got: map[string]fetched{}}
}

func (c *fetchCache) get(ctx context.Context, rawURL string) (fetched, error) {
	if f, ok := c.got[rawURL]; ok {
		return f, nil
	}
	sub := path.Join(c.dir, strconv.Itoa(len(c.got)))
	if err := c.root.Mkdir(sub, 0o700); err != nil {
		return fetched{}, err
	}
	f, err := c.in.fetch(ctx, c.root, sub, rawURL)
	if err != nil {
		return fetched{}, err
	}
	c.got[rawURL] = f
	return f, nil
}
