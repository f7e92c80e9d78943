package plugininstall

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/Masterminds/semver/v3"
)

const (
	releasesPerPage = 100
	// maxReleasePages bounds the listing at 1,000 releases, far more than any plugin has.
	maxReleasePages = 10
)

// apiRelease is the part of a GitHub API release object the installer reads.
type apiRelease struct {
	TagName    string `json:"tag_name"`
	Draft      bool   `json:"draft"`
	Prerelease bool   `json:"prerelease"`
}

// isConstraint tells a semver range ("~> 0.3", ">= 1.2, < 2", "^1.2", "*") from an exact
// tag. Tags are free-form strings, so only a leading operator, a comma, "||" or a
// " - " range marks a constraint; everything else ("v1.2.0", "release/2024") is a tag.
func isConstraint(v string) bool {
	v = strings.TrimSpace(v)
	if v == "" {
		return false
	}
	if strings.ContainsRune("~^<>=!*", rune(v[0])) {
		return true
	}
	return strings.Contains(v, ",") || strings.Contains(v, "||") || strings.Contains(v, " - ")
}

// resolveVersion turns a manifest version into a tag: "" is the latest release, a
// constraint is the highest matching release, anything else is the tag itself.
func (in *Installer) resolveVersion(ctx context.Context, owner, repo, version string) (string, error) {
	switch {
	case version == "":
		return in.latestTag(ctx, owner, repo)
	case !isConstraint(version):
		return version, nil
	}
	c, err := semver.NewConstraint(version)
	if err != nil {
		return "", fmt.Errorf("version %q of %s/%s: %w", version, owner, repo, err)
	}
	releases, err := in.listReleases(ctx, owner, repo)
	if err != nil {
		return "", fmt.Errorf("listing releases of %s/%s: %w", owner, repo, err)
	}
	var best *semver.Version
	bestTag := ""
	for _, r := range releases {
		// Tags that are not semver cannot satisfy a constraint; they are still
		// reachable by naming them exactly.
		v, err := semver.NewVersion(r.TagName)
		if err != nil || r.Draft || (r.Prerelease && v.Prerelease() == "") {
			continue
		}
		if c.Check(v) && (best == nil || v.GreaterThan(best)) {
			best, bestTag = v, r.TagName
		}
	}
	if best == nil {
		return "", fmt.Errorf("no release of %s/%s matches version %q (%d releases seen)",
			owner, repo, version, len(releases))
	}
	return bestTag, nil
}

// listReleases pages through the API's release list.
func (in *Installer) listReleases(ctx context.Context, owner, repo string) ([]apiRelease, error) {
	token := in.token(ctx)
	var all []apiRelease
	for page := 1; page <= maxReleasePages; page++ {
		u := joinURL(in.apiURL, "repos", owner, repo, "releases") +
			"?per_page=" + strconv.Itoa(releasesPerPage) + "&page=" + strconv.Itoa(page)
		var rels []apiRelease
		if err := in.getJSON(ctx, u, token, &rels); err != nil {
			return nil, err
		}
		all = append(all, rels...)
		if len(rels) < releasesPerPage {
			break
		}
	}
	return all, nil
}
