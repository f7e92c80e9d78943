package plugininstall

import (
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/mkr-dev/mkr/internal/redact"
)

// TargetKind tells the three kinds of install target apart.
type TargetKind int

// The kinds of install target.
const (
	// KindGitHub is owner/repo[@tag]: a release of a GitHub repository.
	KindGitHub TargetKind = iota + 1
	// KindRegistry is name[@tag]: a short name looked up in the plugin registry.
	KindRegistry
	// KindURL is an http://, https:// or file:// URL of an archive.
	KindURL
)

// String returns "github", "registry" or "url".
func (k TargetKind) String() string {
	switch k {
	case KindGitHub:
		return "github"
	case KindRegistry:
		return "registry"
	case KindURL:
		return "url"
	}
	return fmt.Sprintf("TargetKind(%d)", int(k))
}

// Target is a parsed install target.
type Target struct {
	Raw   string     // as typed
	Kind  TargetKind //
	Owner string     // KindGitHub only
	Repo  string     // KindGitHub only
	Name  string     // KindRegistry only
	Tag   string     // explicit @tag; "" means the latest release
	URL   string     // KindURL only
}

// ParseTarget parses upstream mkr's target grammar: an http://, https:// or file:// URL,
// or (<owner>/<repo> | <name>)(@<tag>)? where owner, repo and name contain neither "@"
// nor "/" and the tag may contain anything, "/" and "@" included. Unlike upstream, "."
// and ".." are refused as owner, repo or name: GitHub allows neither, and they would
// turn meta/<owner>/<repo> into a different directory.
func ParseTarget(s string) (Target, error) {
	for _, scheme := range []string{"http://", "https://", "file://"} {
		if strings.HasPrefix(s, scheme) {
			return Target{Raw: s, Kind: KindURL, URL: s}, nil
		}
	}
	invalid := fmt.Errorf("%w: %s", ErrInvalidTarget, shownTarget(s))
	head, tag, hasTag := strings.Cut(s, "@")
	if hasTag && tag == "" {
		return Target{}, invalid
	}
	parts := strings.Split(head, "/")
	for _, p := range parts {
		if !validName(p) {
			return Target{}, invalid
		}
	}
	switch len(parts) {
	case 1:
		return Target{Raw: s, Kind: KindRegistry, Name: parts[0], Tag: tag}, nil
	case 2:
		return Target{Raw: s, Kind: KindGitHub, Owner: parts[0], Repo: parts[1], Tag: tag}, nil
	}
	return Target{}, invalid
}

// validName reports whether s can be an owner, a repository or a registry name.
func validName(s string) bool {
	return s != "" && s != "." && s != ".." && !strings.ContainsAny(s, "/@")
}

// source is the target without its tag: what a manifest's source field and the install
// record hold.
// shownTarget is a target as logs and errors show it: a URL without its user-info. The
// "@" of name@tag is not user-info, so only text with a scheme, or with a ":" before
// the "@" (user:pass@host), is redacted.
func shownTarget(s string) string {
	head, _, _ := strings.Cut(s, "@")
	if strings.Contains(s, "://") || strings.Contains(head, ":") {
		return redact.URL(s)
	}
	return s
}

func (t Target) source() string {
	switch t.Kind {
	case KindGitHub:
		return t.Owner + "/" + t.Repo
	case KindRegistry:
		return t.Name
	}
	return t.URL
}

// urlPluginName names a plugin installed from a URL after its archive, for list and
// uninstall: https://example.com/x/check-foo_linux_amd64.tar.gz → check-foo_linux_amd64.
func urlPluginName(rawURL string) string {
	name := rawURL
	if u, err := url.Parse(rawURL); err == nil && u.Path != "" {
		name = path.Base(u.Path)
	}
	for _, ext := range []string{".tar.gz", ".tgz", ".zip", ".tar"} {
		if s, ok := strings.CutSuffix(name, ext); ok && s != "" {
			return s
		}
	}
	return name
}
