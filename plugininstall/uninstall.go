package plugininstall

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strings"
)

// UninstallOptions select the optional lock consulted by Uninstall.
type UninstallOptions struct {
	// ManifestPath lets Uninstall find the files of a plugin installed without a
	// record (by upstream mkr) through the lock next to that manifest.
	ManifestPath string
}

// UninstallResult lists what happened to each of the plugin's files.
type UninstallResult struct {
	Name    string   `json:"name"`
	Removed []string `json:"removed"`
	Kept    []string `json:"kept"`    // also recorded by another installed plugin
	Missing []string `json:"missing"` // already gone
}

// Uninstall removes a plugin's files from bin/ and its meta directory. name is
// owner/repo, the repository name alone when that is unambiguous, a registry name or
// URL as installed, or the archive name List shows for URL installs. Files that another
// installed plugin also recorded (it overwrote them later) are kept. The manifest and
// lock are not edited.
func (in *Installer) Uninstall(ctx context.Context, name string, opts UninstallOptions) (*UninstallResult, error) {
	m, l, err := loadOptionalLock(opts.ManifestPath)
	if err != nil {
		return nil, err
	}
	prefix := in.prefixFor(m)
	notInstalled := fmt.Errorf("%w: %s (prefix %s)", ErrNotInstalled, name, prefix)
	ws, err := openWorkspace(prefix, false)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, notInstalled
	}
	if err != nil {
		return nil, err
	}
	defer ws.Close()
	plugins, err := ws.scanInstalled()
	if err != nil {
		return nil, err
	}
	var matches []*installedPlugin
	for _, p := range plugins {
		if p.matches(name) {
			matches = append(matches, p)
		}
	}
	switch {
	case len(matches) == 0:
		return nil, notInstalled
	case len(matches) > 1:
		names := make([]string, len(matches))
		for i, p := range matches {
			names[i] = p.name
		}
		return nil, fmt.Errorf("%q matches several installed plugins (%s): name one as owner/repo",
			name, strings.Join(names, ", "))
	}
	p := matches[0]
	files := in.filesOf(p, l)
	if files == nil {
		return nil, fmt.Errorf("%s was installed without a record of its files (by upstream mkr?): "+
			"pass the manifest whose lock lists it, or remove its files from %s by hand", p.name, ws.binPath(""))
	}
	shared := map[string]bool{}
	for _, o := range plugins {
		if o != p && o.record != nil {
			for f := range o.record.Files {
				shared[f] = true
			}
		}
	}
	res := &UninstallResult{Name: p.name, Removed: []string{}, Kept: []string{}, Missing: []string{}}
	for _, f := range slices.Sorted(maps.Keys(files)) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if shared[f] {
			res.Kept = append(res.Kept, f)
			continue
		}
		switch err := ws.root.Remove(path.Join("bin", f)); {
		case errors.Is(err, fs.ErrNotExist):
			res.Missing = append(res.Missing, f)
		case err != nil:
			return nil, fmt.Errorf("removing %s: %w", ws.binPath(f), err)
		default:
			in.logf("Removed %s", ws.binPath(f))
			res.Removed = append(res.Removed, f)
		}
	}
	if err := ws.root.RemoveAll(p.dir); err != nil {
		return nil, err
	}
	_ = ws.root.Remove(path.Dir(p.dir)) // the owner directory, only if now empty
	in.logf("Successfully uninstalled %s", p.name)
	return res, nil
}

// matches reports whether an Uninstall argument names this plugin.
func (p *installedPlugin) matches(name string) bool {
	if strings.EqualFold(p.name, name) {
		return true
	}
	if p.record != nil && (p.record.Source == name || p.record.URL == name) {
		return true
	}
	_, repo, ok := strings.Cut(p.name, "/")
	return ok && !strings.HasPrefix(p.dir, "meta/"+urlMetaOwner+"/") && strings.EqualFold(repo, name)
}
