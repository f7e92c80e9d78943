package plugininstall

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
)

// compareFiles lists every difference between the locked and the extracted files.
func compareFiles(want, got map[string]lockedFile) []string {
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		g, ok := got[name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("file %s is in the lock but not in the archive", name))
		case g.SHA256 != want[name].SHA256:
			problems = append(problems, fmt.Sprintf("file %s has sha256 %s, the lock has %s", name, g.SHA256, want[name].SHA256))
		case g.Mode != want[name].Mode:
			problems = append(problems, fmt.Sprintf("file %s has mode %s, the lock has %s", name, g.Mode, want[name].Mode))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			problems = append(problems, fmt.Sprintf("file %s is in the archive but not in the lock", name))
		}
	}
	return problems
}

// lockedMismatch checks, without any network access, that the lock covers the
// manifest exactly and has an entry for this platform.
func lockedMismatch(m *Manifest, l *lockData, platform, lockPath string) error {
	lname, mname := filepath.Base(lockPath), filepath.Base(m.Path)
	if l == nil {
		return fmt.Errorf("%w: %s does not exist (run \"mkr plugin lock\" to create it)", ErrLockMismatch, lname)
	}
	var problems []string
	for _, mp := range m.Plugins {
		e := l.find(mp.Source)
		switch {
		case e == nil:
			problems = append(problems, fmt.Sprintf("%s is in %s but not in %s", mp.Source, mname, lname))
		case e.Version != mp.Version:
			problems = append(problems, fmt.Sprintf("%s: %s asks for version %q but %s was made for %q",
				mp.Source, mname, mp.Version, lname, e.Version))
		case e.Platforms[platform] == nil:
			problems = append(problems, fmt.Sprintf("%s: %s has no entry for platform %s", mp.Source, lname, platform))
		}
	}
	for _, e := range l.Plugins {
		if !slices.ContainsFunc(m.Plugins, func(mp ManifestPlugin) bool { return mp.Source == e.Source }) {
			problems = append(problems, fmt.Sprintf("%s is in %s but not in %s", e.Source, lname, mname))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &problemsError{header: fmt.Sprintf("%s does not match %s (run \"mkr plugin lock\" to update it)", lname, mname),
		problems: problems, causes: []error{ErrLockMismatch}}
}
