package plugininstall

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/Masterminds/semver/v3"
)

// File names of the manifest and its lock, which live side by side.
const (
	ManifestFile = "mkr-plugins.toml"
	LockFile     = "mkr-plugins.lock"
)

// Manifest is a parsed and validated mkr-plugins.toml:
//
//	prefix    = "/opt/mackerel-agent/plugins"  # optional
//	platforms = ["linux_amd64", "linux_arm64"] # optional, default: this platform
//
//	[[plugin]]
//	source  = "mackerelio/mackerel-plugin-sample" # owner/repo, registry name or URL
//	version = "~> 0.3"                            # optional: tag or semver constraint
type Manifest struct {
	Path      string           // the file it was read from
	Prefix    string           // "" when not set
	Platforms []string         // sorted GOOS_GOARCH list; empty means the installer's own
	Plugins   []ManifestPlugin // in file order
}

// ManifestPlugin is one [[plugin]] table.
type ManifestPlugin struct {
	// Source is owner/repo, a registry name, or an http(s):// or file:// URL. A URL
	// may contain {GOOS} and {GOARCH}, replaced per platform.
	Source string `toml:"source"`
	// Version is "" (latest release), an exact tag, or a semver constraint. It must be
	// empty for URL sources.
	Version string `toml:"version"`
}

type manifestFile struct {
	Prefix    string           `toml:"prefix"`
	Platforms []string         `toml:"platforms"`
	Plugins   []ManifestPlugin `toml:"plugin"`
}

// LockPath returns the lock file that belongs to a manifest: mkr-plugins.lock next to it.
func LockPath(manifestPath string) string {
	return filepath.Join(filepath.Dir(manifestPath), LockFile)
}

// LoadManifest reads and validates a manifest. Every problem is reported at once,
// wrapped in ErrInvalidManifest; a missing file wraps fs.ErrNotExist.
func LoadManifest(path string) (*Manifest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading plugin manifest: %w", err)
	}
	var mf manifestFile
	md, err := toml.Decode(string(data), &mf)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrInvalidManifest, path, err)
	}
	var problems []string
	for _, k := range md.Undecoded() {
		problems = append(problems, fmt.Sprintf("unknown key %q", k.String()))
	}
	m := &Manifest{Path: path, Prefix: mf.Prefix, Plugins: mf.Plugins}
	problems = append(problems, checkPlatforms(mf.Platforms)...)
	m.Platforms = unionPlatforms(mf.Platforms)
	seen := map[string]int{}
	for i, p := range mf.Plugins {
		where := fmt.Sprintf("plugin #%d", i+1)
		if p.Source != "" {
			where += fmt.Sprintf(" (%s)", p.Source)
		}
		if msg := checkManifestPlugin(p); msg != "" {
			problems = append(problems, where+": "+msg)
		}
		key := strings.ToLower(p.Source)
		if first, dup := seen[key]; dup && p.Source != "" {
			problems = append(problems, fmt.Sprintf("%s: duplicate source (also plugin #%d)", where, first))
		} else {
			seen[key] = i + 1
		}
	}
	if len(problems) > 0 {
		return nil, &problemsError{header: fmt.Sprintf("%s %s", ErrInvalidManifest, path),
			problems: problems, causes: []error{ErrInvalidManifest}}
	}
	return m, nil
}

func checkPlatforms(platforms []string) []string {
	var problems []string
	seen := map[string]bool{}
	for _, p := range platforms {
		if err := validatePlatform(p); err != nil {
			problems = append(problems, err.Error())
		} else if seen[p] {
			problems = append(problems, fmt.Sprintf("platform %q is listed twice", p))
		}
		seen[p] = true
	}
	return problems
}

func checkManifestPlugin(p ManifestPlugin) string {
	if p.Source == "" {
		return "source is missing"
	}
	t, err := ParseTarget(p.Source)
	switch {
	case err != nil:
		return fmt.Sprintf("source %q is invalid: want owner/repo, a registry name or a URL", p.Source)
	case t.Tag != "":
		return fmt.Sprintf("source %q has a tag: put it in version = %q", p.Source, t.Tag)
	case t.Kind == KindURL && p.Version != "":
		return "version cannot be used with a URL source"
	}
	if isConstraint(p.Version) {
		if _, err := semver.NewConstraint(p.Version); err != nil {
			return fmt.Sprintf("version %q is not a valid constraint: %v", p.Version, err)
		}
	}
	return ""
}
