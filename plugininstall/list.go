package plugininstall

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

// ListOptions select the optional lock consulted by List.
type ListOptions struct {
	// ManifestPath adds the lock's tags and file lists (and the manifest's prefix).
	ManifestPath string
}

// PluginInfo is one installed plugin.
type PluginInfo struct {
	Name      string   `json:"name"`                // owner/repo, or the archive name for URL installs
	Source    string   `json:"source"`              // owner/repo, registry name or URL as installed
	Tag       string   `json:"tag,omitempty"`       // meta/<owner>/<repo>/release_tag
	LockedTag string   `json:"lockedTag,omitempty"` // the lock's tag, when a lock was given
	Files     []string `json:"files"`               // installed files present in bin/
	Missing   []string `json:"missing,omitempty"`   // recorded files absent from bin/
}

// ListResult is what `mkr plugin list` prints.
type ListResult struct {
	Prefix  string       `json:"prefix"`
	Plugins []PluginInfo `json:"plugins"`
	// Unmanaged are files in bin/ that no known plugin owns (copied by hand, or
	// installed by a tool that keeps no record).
	Unmanaged []string `json:"unmanaged"`
}

// List reports installed plugins from meta/ and bin/, and from the lock when given.
// Plugins installed by upstream mkr have a release_tag but no file record; their files
// are known only through a lock and otherwise show up as Unmanaged.
func (in *Installer) List(ctx context.Context, opts ListOptions) (*ListResult, error) {
	m, l, err := loadOptionalLock(opts.ManifestPath)
	if err != nil {
		return nil, err
	}
	res := &ListResult{Prefix: in.prefixFor(m), Plugins: []PluginInfo{}, Unmanaged: []string{}}
	ws, err := openWorkspace(res.Prefix, false)
	if errors.Is(err, fs.ErrNotExist) {
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	plugins, err := ws.scanInstalled()
	if err != nil {
		return nil, err
	}
	owned := map[string]bool{}
	for _, p := range plugins {
		info := PluginInfo{Name: p.name, Source: p.name, Tag: p.tag, Files: []string{}}
		if p.record != nil {
			info.Source = p.record.Source
		}
		if e := p.lockEntry(l); e != nil {
			info.LockedTag = e.Tag
		}
		for _, f := range slices.Sorted(maps.Keys(in.filesOf(p, l))) {
			owned[f] = true
			if _, err := ws.root.Lstat(path.Join("bin", f)); err != nil {
				info.Missing = append(info.Missing, f)
				continue
			}
			info.Files = append(info.Files, f)
		}
		res.Plugins = append(res.Plugins, info)
	}
	entries, err := fs.ReadDir(ws.root.FS(), "bin")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, de := range entries {
		if !de.IsDir() && !strings.HasPrefix(de.Name(), ".") && !owned[de.Name()] {
			res.Unmanaged = append(res.Unmanaged, de.Name())
		}
	}
	return res, nil
}

// installedPlugin is what meta/ knows about one installed plugin.
type installedPlugin struct {
	name   string // owner/repo, or the archive name for URL installs
	dir    string // its meta directory, relative to the prefix
	tag    string
	record *installRecord // nil for installs by upstream mkr
}

// scanInstalled reads meta/<owner>/<repo>/ and meta/_url/<hash>/, sorted by name.
func (w *workspace) scanInstalled() ([]*installedPlugin, error) {
	var out []*installedPlugin
	fsys := w.root.FS()
	owners, err := fs.ReadDir(fsys, "meta")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	for _, o := range owners {
		if !o.IsDir() {
			continue
		}
		repos, err := fs.ReadDir(fsys, path.Join("meta", o.Name()))
		if err != nil {
			return nil, err
		}
		for _, r := range repos {
			if !r.IsDir() {
				continue
			}
			p := &installedPlugin{dir: path.Join("meta", o.Name(), r.Name())}
			if p.record, err = w.readRecord(p.dir); err != nil {
				return nil, err
			}
			if o.Name() == urlMetaOwner {
				if p.record == nil {
					continue
				}
				p.name = urlPluginName(p.record.URL)
			} else {
				p.name = o.Name() + "/" + r.Name()
				tag, ok, err := w.readReleaseTag(p.name)
				if err != nil {
					return nil, err
				}
				if !ok && p.record == nil {
					continue
				}
				p.tag = tag
			}
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *installedPlugin) int { return strings.Compare(a.name, b.name) })
	return out, nil
}

// lockEntry finds the plugin's entry in a lock, by source or else by repository.
func (p *installedPlugin) lockEntry(l *lockData) *lockEntry {
	if l == nil {
		return nil
	}
	if p.record != nil {
		if e := l.find(p.record.Source); e != nil {
			return e
		}
	}
	for _, e := range l.Plugins {
		if e.Repo != "" && strings.EqualFold(e.Repo, p.name) {
			return e
		}
	}
	return nil
}

// filesOf returns the plugin's files: from its record, else from the lock for this
// platform, else nil (unknown).
func (in *Installer) filesOf(p *installedPlugin, l *lockData) map[string]lockedFile {
	if p.record != nil {
		return p.record.Files
	}
	if e := p.lockEntry(l); e != nil {
		if a := e.Platforms[in.platform()]; a != nil {
			return a.Files
		}
	}
	return nil
}

// loadOptionalLock loads a manifest and its lock when manifestPath is not empty.
func loadOptionalLock(manifestPath string) (*Manifest, *lockData, error) {
	if manifestPath == "" {
		return nil, nil, nil
	}
	m, err := LoadManifest(manifestPath)
	if err != nil {
		return nil, nil, err
	}
	l, _, err := readLock(LockPath(manifestPath))
	return m, l, err
}
