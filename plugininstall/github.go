package plugininstall

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	// headTimeout is upstream's timeout for the releases/latest lookup.
	headTimeout = 15 * time.Second
	// maxReleaseRedirects is how many repository-transfer hops are followed.
	maxReleaseRedirects = 5
)

// githubAssetURL is the only asset name upstream supports for GitHub releases:
// <repo>_<GOOS>_<GOARCH>.zip, every part path-escaped (a tag may contain "/").
func (in *Installer) githubAssetURL(owner, repo, tag, goos, goarch string) string {
	return joinURL(in.githubURL, owner, repo, "releases", "download", tag,
		repo+"_"+goos+"_"+goarch+".zip")
}

// latestTag finds the tag of the latest release: first from the releases/latest redirect,
// which costs no API rate limit (mkr#714), then from the API.
func (in *Installer) latestTag(ctx context.Context, owner, repo string) (string, error) {
	tag, redirectErr := in.latestTagByRedirect(ctx, owner, repo)
	if redirectErr == nil {
		return tag, nil
	}
	tag, apiErr := in.latestTagByAPI(ctx, owner, repo)
	if apiErr == nil {
		return tag, nil
	}
	return "", fmt.Errorf("finding the latest release of %s/%s: %w (releases/latest redirect: %v)",
		owner, repo, apiErr, redirectErr)
}

func (in *Installer) latestTagByRedirect(ctx context.Context, owner, repo string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, headTimeout)
	defer cancel()
	next := joinURL(in.githubURL, owner, repo, "releases", "latest")
	for hop := 0; ; hop++ {
		req, err := in.newRequest(ctx, http.MethodHead, next)
		if err != nil {
			return "", err
		}
		resp, err := in.do(in.headClient, req)
		if err != nil {
			return "", err
		}
		resp.Body.Close()
		if resp.StatusCode < 300 || resp.StatusCode > 399 {
			return "", fmt.Errorf("HEAD %s: expected a redirect, got status %d", next, resp.StatusCode)
		}
		loc, err := resp.Location()
		if err != nil {
			return "", fmt.Errorf("HEAD %s: %w", next, err)
		}
		ref, err := in.parseReleaseLocation(loc)
		if err != nil {
			return "", err
		}
		if ref.tag != "" {
			if !strings.EqualFold(ref.owner, owner) || !strings.EqualFold(ref.repo, repo) {
				return "", fmt.Errorf("unexpected Location header: %s", loc)
			}
			return ref.tag, nil
		}
		// A transferred or renamed repository redirects to its new releases/latest.
		if hop >= maxReleaseRedirects {
			return "", errors.New("too many redirects")
		}
		owner, repo, next = ref.owner, ref.repo, loc.String()
	}
}

// releaseRef is a parsed releases/latest Location: a tag, or (tag == "") another
// repository's releases/latest.
type releaseRef struct{ owner, repo, tag string }

// parseReleaseLocation accepts only <github>/<o>/<r>/releases/tag/<tag> and
// <github>/<o>/<r>/releases/latest on the configured scheme and host. The tag is one
// escaped path segment, so "release%2Fv0.5.1" is the tag "release/v0.5.1" while a
// trailing or bare "/" makes the shape invalid.
func (in *Installer) parseReleaseLocation(loc *url.URL) (releaseRef, error) {
	bad := fmt.Errorf("unexpected Location header: %s", loc)
	if loc.Scheme != in.githubURL.Scheme || loc.Host != in.githubURL.Host {
		return releaseRef{}, bad
	}
	rest, ok := strings.CutPrefix(loc.EscapedPath(), in.githubURL.EscapedPath()+"/")
	if !ok {
		return releaseRef{}, bad
	}
	segs := strings.Split(rest, "/")
	isTag := len(segs) == 5 && segs[2] == "releases" && segs[3] == "tag"
	isLatest := len(segs) == 4 && segs[2] == "releases" && segs[3] == "latest"
	if !isTag && !isLatest {
		return releaseRef{}, bad
	}
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil || u == "" {
			return releaseRef{}, bad
		}
		segs[i] = u
	}
	if strings.Contains(segs[0], "/") || strings.Contains(segs[1], "/") {
		return releaseRef{}, bad
	}
	ref := releaseRef{owner: segs[0], repo: segs[1]}
	if isTag {
		ref.tag = segs[4]
	}
	return ref, nil
}

func (in *Installer) latestTagByAPI(ctx context.Context, owner, repo string) (string, error) {
	var rel apiRelease
	u := joinURL(in.apiURL, "repos", owner, repo, "releases", "latest")
	if err := in.getJSON(ctx, u, in.token(ctx), &rel); err != nil {
		return "", err
	}
	if rel.TagName == "" {
		return "", fmt.Errorf("%s has no tag_name", u)
	}
	return rel.TagName, nil
}

// registrySource looks a short name up in the plugin registry.
func (in *Installer) registrySource(ctx context.Context, name string) (owner, repo string, err error) {
	var def struct {
		Source      string `json:"source"`
		Description string `json:"description"`
	}
	if err := in.getJSON(ctx, joinURL(in.registryURL, "plugins", name+".json"), "", &def); err != nil {
		return "", "", err
	}
	owner, repo, ok := strings.Cut(def.Source, "/")
	if !ok || !validName(owner) || !validName(repo) {
		return "", "", errors.New("source definition is invalid")
	}
	return owner, repo, nil
}
