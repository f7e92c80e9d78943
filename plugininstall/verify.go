package plugininstall

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"runtime"
	"slices"
)

// FileStatus is the state of one installed file compared with its record.
type FileStatus string

// The states Verify reports.
const (
	FileOK          FileStatus = "ok"
	FileModified    FileStatus = "modified"     // content differs (or it is no longer a regular file)
	FileMissing     FileStatus = "missing"      // not in bin/
	FileModeChanged FileStatus = "mode-changed" // same content, different permission bits
	FileNotLocked   FileStatus = "not-locked"   // the lock has no entry for this platform
)

// FileCheck is the result for one file (or, for FileNotLocked, one plugin).
type FileCheck struct {
	Plugin string     `json:"plugin"` // source, as in the manifest or at install time
	File   string     `json:"file,omitempty"`
	Path   string     `json:"path,omitempty"`
	Status FileStatus `json:"status"`
	Want   string     `json:"want,omitempty"` // recorded sha256 or mode
	Got    string     `json:"got,omitempty"`  // actual sha256 or mode
}

// VerifyOptions select what installed files are compared with.
type VerifyOptions struct {
	// ManifestPath selects the lock next to that manifest (and the manifest's prefix).
	// Empty means the install records kept under meta/ by every install.
	ManifestPath string
}

// VerifyResult lists every file checked.
type VerifyResult struct {
	Prefix   string      `json:"prefix"`
	Platform string      `json:"platform"`
	Files    []FileCheck `json:"files"`
}

// Drift returns the checks that are not FileOK.
func (r *VerifyResult) Drift() []FileCheck {
	return slices.DeleteFunc(slices.Clone(r.Files), func(c FileCheck) bool { return c.Status == FileOK })
}

// Verify re-hashes installed files against the lock for this platform (or against the
// install records) and reports drift. When anything drifted, the result comes back
// together with an error wrapping ErrDrift.
func (in *Installer) Verify(ctx context.Context, opts VerifyOptions) (*VerifyResult, error) {
	type expected struct {
		plugin string
		files  map[string]lockedFile // nil: the lock has no entry for this platform
	}
	var want []expected
	var m *Manifest
	if opts.ManifestPath != "" {
		var err error
		if m, err = LoadManifest(opts.ManifestPath); err != nil {
			return nil, err
		}
		l, _, err := readLock(LockPath(opts.ManifestPath))
		if err != nil {
			return nil, err
		}
		if l == nil {
			return nil, fmt.Errorf("%s does not exist", LockPath(opts.ManifestPath))
		}
		for _, e := range l.Plugins {
			exp := expected{plugin: e.Source}
			if a := e.Platforms[in.platform()]; a != nil {
				exp.files = a.Files
			}
			want = append(want, exp)
		}
	}
	res := &VerifyResult{Prefix: in.prefixFor(m), Platform: in.platform(), Files: []FileCheck{}}
	ws, err := openWorkspace(res.Prefix, false)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if ws != nil {
		defer ws.Close()
	}
	if opts.ManifestPath == "" && ws != nil {
		plugins, err := ws.scanInstalled()
		if err != nil {
			return nil, err
		}
		for _, p := range plugins {
			if p.record != nil {
				want = append(want, expected{plugin: p.record.Source, files: p.record.Files})
			}
		}
	}
	for _, exp := range want {
		if exp.files == nil {
			res.Files = append(res.Files, FileCheck{Plugin: exp.plugin, Status: FileNotLocked})
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(exp.files)) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			c := FileCheck{Plugin: exp.plugin, File: name, Path: filepath.Join(res.Prefix, "bin", name), Status: FileMissing}
			if ws != nil {
				c.Status, c.Want, c.Got = ws.checkFile(name, exp.files[name])
			}
			res.Files = append(res.Files, c)
		}
	}
	if d := res.Drift(); len(d) > 0 {
		return res, fmt.Errorf("%w: %d of %d checks failed", ErrDrift, len(d), len(res.Files))
	}
	return res, nil
}

// checkFile compares bin/<name> with its record. Modes are not compared on Windows,
// which has no permission bits to speak of.
func (w *workspace) checkFile(name string, want lockedFile) (status FileStatus, wantV, gotV string) {
	p := path.Join("bin", name)
	st, err := w.root.Lstat(p)
	if err != nil {
		return FileMissing, "", ""
	}
	if !st.Mode().IsRegular() {
		return FileModified, want.SHA256, st.Mode().Type().String()
	}
	sum, err := w.hashFile(p)
	if err != nil {
		return FileModified, want.SHA256, err.Error()
	}
	if sum != want.SHA256 {
		return FileModified, want.SHA256, sum
	}
	if mode := formatMode(st.Mode()); runtime.GOOS != "windows" && mode != want.Mode {
		return FileModeChanged, want.Mode, mode
	}
	return FileOK, "", ""
}

// filesMatch reports whether every file is installed exactly as recorded.
func (w *workspace) filesMatch(files map[string]lockedFile) bool {
	for name, f := range files {
		if s, _, _ := w.checkFile(name, f); s != FileOK {
			return false
		}
	}
	return len(files) > 0
}

func (w *workspace) hashFile(name string) (string, error) {
	f, err := w.root.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
