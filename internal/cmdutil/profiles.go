package cmdutil

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"

	"github.com/BurntSushi/toml"
)

// Profile is one organization (or one self-hosted server, or one local
// database) mkr can talk to, chosen with --profile NAME or MKR_PROFILE.
// A profile is remote (APIKey, and APIBase or the hosted API) or names a
// local database (DB), never both.
type Profile struct {
	Name    string `toml:"-"`
	APIBase string `toml:"apibase,omitempty"`
	APIKey  string `toml:"apikey,omitempty"`
	DB      string `toml:"db,omitempty"`
}

// Local reports whether the profile is an embedded backend's database.
func (p *Profile) Local() bool { return p.DB != "" }

// Backend names the profile's backend for people, never with its key.
func (p *Profile) Backend() string {
	t := targetOf(p)
	t.Profile = ""
	return t.String()
}

// KeyHint is what may be shown of the key: its last four characters, and
// only when the key is long enough that they give nothing useful away.
func (p *Profile) KeyHint() string {
	switch {
	case p.APIKey == "":
		return ""
	case len(p.APIKey) < 16:
		return "…"
	default:
		return "…" + p.APIKey[len(p.APIKey)-4:]
	}
}

// Profiles is the profiles file: every profile and the current one (the
// default when no other backend is chosen; see ResolveTarget).
type Profiles struct {
	Current string              `toml:"current,omitempty"`
	Entries map[string]*Profile `toml:"profiles,omitempty"`
}

// Names returns the profile names in order.
func (ps *Profiles) Names() []string {
	names := make([]string, 0, len(ps.Entries))
	for n := range ps.Entries {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Get returns the named profile or an error saying how to list them.
func (ps *Profiles) Get(name string) (*Profile, error) {
	p, ok := ps.Entries[name]
	if !ok {
		return nil, fmt.Errorf("profile %q not found (see mkr profiles list)", name)
	}
	return p, nil
}

var profileNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidateProfileName refuses names that would be awkward on a command
// line or in the TOML file.
func ValidateProfileName(name string) error {
	if !profileNameRE.MatchString(name) {
		return fmt.Errorf("invalid profile name %q: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)", name)
	}
	return nil
}

// ValidateProfile checks p before it is stored.
func ValidateProfile(p *Profile) error {
	if err := ValidateProfileName(p.Name); err != nil {
		return err
	}
	if p.DB != "" && (p.APIKey != "" || p.APIBase != "") {
		return errors.New("a profile names either a local database (--db) or a remote API (--apikey-stdin, --apibase), not both")
	}
	if p.DB == "" && p.APIKey == "" {
		return errors.New("a remote profile needs an API key (--apikey-stdin), or give --db for a local database")
	}
	return nil
}

// ProfilesPath is $XDG_CONFIG_HOME/mkr/profiles.toml, default
// ~/.config/mkr/profiles.toml.
func (f *Factory) ProfilesPath() string {
	dir := f.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		dir = filepath.Join(f.Home(), ".config")
	}
	return filepath.Join(dir, "mkr", "profiles.toml")
}

// LoadProfiles reads the profiles file; a missing file is no profiles.
func (f *Factory) LoadProfiles() (*Profiles, error) {
	ps := &Profiles{Entries: map[string]*Profile{}}
	path := f.ProfilesPath()
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ps, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading profiles: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 && f.run.once("profiles mode") {
		// Someone loosened it (SaveProfiles writes 0600): say so, as ssh
		// does of a key — once per run, however many profiles fan out.
		f.Log().Warn("%s is readable by others (mode %04o) and holds API keys: chmod 600 it", path, st.Mode().Perm())
	}
	if _, err := toml.Decode(string(data), ps); err != nil {
		return nil, fmt.Errorf("reading profiles %s: %w", path, err)
	}
	if ps.Entries == nil {
		ps.Entries = map[string]*Profile{}
	}
	for name, p := range ps.Entries {
		p.Name = name
	}
	return ps, nil
}

// SaveProfiles writes the profiles file, holding API keys: 0600 in a
// 0700 directory, replaced atomically so a crash never leaves half a file.
func (f *Factory) SaveProfiles(ps *Profiles) error {
	path := f.ProfilesPath()
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("saving profiles: %w", err)
	}
	// MkdirAll leaves an existing directory's mode alone; ours holds keys.
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("saving profiles: %w", err)
	}
	var buf bytes.Buffer
	buf.WriteString("# mkr profiles (mkr profiles add|list|remove|use). This file holds API keys: keep it private.\n")
	if err := toml.NewEncoder(&buf).Encode(ps); err != nil {
		return fmt.Errorf("saving profiles: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".profiles-*.toml")
	if err != nil {
		return fmt.Errorf("saving profiles: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	// CreateTemp makes the file 0600 already; say so rather than rely on it.
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("saving profiles: %w", err)
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return fmt.Errorf("saving profiles: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("saving profiles: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving profiles: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving profiles: %w", err)
	}
	return nil
}
