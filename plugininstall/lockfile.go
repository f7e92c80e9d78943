package plugininstall

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// lockFormatVersion is the "version" field of mkr-plugins.lock. Bump it on any change
// an older mkr would misread.
const lockFormatVersion = 1

// lockData is the content of mkr-plugins.lock: 2-space-indented JSON whose object keys
// are sorted (struct fields are declared alphabetically, encoding/json sorts map keys)
// and whose plugins are sorted by source, so that a change shows as a small diff.
type lockData struct {
	Plugins []*lockEntry `json:"plugins"`
	Version int          `json:"version"`
}

// lockEntry pins one manifest plugin.
type lockEntry struct {
	Platforms map[string]*lockAsset `json:"platforms"`
	Repo      string                `json:"repo,omitempty"` // owner/repo; "" for URL sources
	Source    string                `json:"source"`         // as in the manifest
	Tag       string                `json:"tag,omitempty"`  // resolved release tag
	Version   string                `json:"version"`        // as requested in the manifest
}

// lockAsset is one platform's archive and the files it installs.
type lockAsset struct {
	Files  map[string]lockedFile `json:"files"`
	SHA256 string                `json:"sha256"`
	Size   int64                 `json:"size"`
	URL    string                `json:"url"`
}

// readLock returns the lock and its bytes, or nil, nil, nil when there is none.
func readLock(path string) (*lockData, []byte, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var l lockData
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if l.Version != lockFormatVersion {
		return nil, nil, fmt.Errorf("reading %s: unsupported lock format version %d (this mkr reads %d)",
			path, l.Version, lockFormatVersion)
	}
	if err := l.validate(); err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return &l, data, nil
}

// validate catches hand edits that would make verification meaningless, such as an
// empty hash.
func (l *lockData) validate() error {
	for _, e := range l.Plugins {
		if e == nil || e.Source == "" {
			return errors.New("a plugin has no source")
		}
		for p, a := range e.Platforms {
			if a == nil || a.URL == "" || !isSHA256(a.SHA256) || len(a.Files) == 0 {
				return fmt.Errorf("%s: platform %s is incomplete", e.Source, p)
			}
			for name, f := range a.Files {
				if !isSHA256(f.SHA256) || strings.ContainsAny(name, `/\`) {
					return fmt.Errorf("%s: platform %s: file %q is invalid", e.Source, p, name)
				}
			}
		}
	}
	return nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}

func (l *lockData) find(source string) *lockEntry {
	if l == nil {
		return nil
	}
	for _, e := range l.Plugins {
		if e.Source == source {
			return e
		}
	}
	return nil
}

// marshal renders the lock canonically; equal locks give equal bytes.
func (l *lockData) marshal() ([]byte, error) {
	out := lockData{Version: lockFormatVersion, Plugins: slices.Clone(l.Plugins)}
	slices.SortFunc(out.Plugins, func(a, b *lockEntry) int { return strings.Compare(a.Source, b.Source) })
	if out.Plugins == nil {
		out.Plugins = []*lockEntry{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "&" in URLs readable
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeLock replaces path atomically, so an interrupted run never leaves half a lock.
func writeLock(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".mkr-plugins.lock-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// clone copies an entry deeply enough that filling in platforms never changes the lock
// it came from.
func (e *lockEntry) clone() *lockEntry {
	c := *e
	c.Platforms = maps.Clone(e.Platforms)
	if c.Platforms == nil {
		c.Platforms = map[string]*lockAsset{}
	}
	return &c
}
