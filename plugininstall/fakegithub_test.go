package plugininstall_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

// fakeGitHub plays github.com, api.github.com and the plugin registry on one local
// server: GitHub at /, the API under /api, the registry under /registry.
type fakeGitHub struct {
	srv *httptest.Server

	mu        sync.Mutex
	latest    map[string]string           // "o/r" → tag behind HEAD /o/r/releases/latest
	locations map[string]string           // "o/r" → raw Location for HEAD releases/latest
	transfers map[string]string           // "o/r" → "o2/r2": releases/latest redirects there
	apiLatest map[string]string           // "o/r" → tag_name of API releases/latest
	releases  map[string][]string         // "o/r" → tags listed by the API
	assets    map[string][]byte           // escaped path → body
	registry  map[string]string           // name → JSON body
	handlers  map[string]http.HandlerFunc // escaped path → custom response
	requests  []string                    // "METHOD escaped-path"
	auth      []string                    // "escaped-path Authorization" for requests that sent one
	agents    []string                    // User-Agent of every request
}

func newFakeGitHub(t *testing.T) *fakeGitHub {
	t.Helper()
	f := &fakeGitHub{
		latest: map[string]string{}, locations: map[string]string{}, transfers: map[string]string{},
		apiLatest: map[string]string{}, releases: map[string][]string{}, assets: map[string][]byte{},
		registry: map[string]string{}, handlers: map[string]http.HandlerFunc{},
	}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

// config points an installer at the fake, for linux_amd64, logging into log.
func (f *fakeGitHub) config(prefix string, log *logLines) plugininstall.Config {
	return plugininstall.Config{
		Prefix:       prefix,
		GitHubURL:    f.srv.URL,
		GitHubAPIURL: f.srv.URL + "/api",
		RegistryURL:  f.srv.URL + "/registry",
		GOOS:         "linux",
		GOARCH:       "amd64",
		Version:      "1.2.3",
		HTTPClient:   f.srv.Client(),
		Logf:         log.logf,
	}
}

// release publishes a release: assets maps a platform to its archive.
func (f *fakeGitHub) release(repo, tag string, assets map[string][]byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.latest[repo] = tag
	f.releases[repo] = append(f.releases[repo], tag)
	for platform, body := range assets {
		f.assets[f.assetPath(repo, tag, platform)] = body
	}
}

func (f *fakeGitHub) assetPath(repo, tag, platform string) string {
	owner, name, _ := strings.Cut(repo, "/")
	return "/" + owner + "/" + name + "/releases/download/" + url.PathEscape(tag) + "/" + name + "_" + platform + ".zip"
}

func (f *fakeGitHub) assetURL(repo, tag, platform string) string {
	return f.srv.URL + f.assetPath(repo, tag, platform)
}

func (f *fakeGitHub) set(fn func(f *fakeGitHub)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// seen returns the recorded requests that start with prefix ("GET /", "HEAD ", ...).
func (f *fakeGitHub) seen(prefix string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		if strings.HasPrefix(r, prefix) {
			out = append(out, r)
		}
	}
	return out
}

func (f *fakeGitHub) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests, f.auth, f.agents = nil, nil, nil
}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.EscapedPath()
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+p)
	f.agents = append(f.agents, r.UserAgent())
	if a := r.Header.Get("Authorization"); a != "" {
		f.auth = append(f.auth, p+" "+a)
	}
	h := f.handlers[p]
	f.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case strings.HasPrefix(p, "/api/repos/"):
		f.serveAPI(w, r, strings.Split(strings.TrimPrefix(p, "/api/repos/"), "/"))
	case strings.HasPrefix(p, "/registry/plugins/") && strings.HasSuffix(p, ".json"):
		name, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(p, "/registry/plugins/"), ".json"))
		if body, ok := f.registry[name]; ok {
			w.Write([]byte(body))
			return
		}
		http.NotFound(w, r)
	case r.Method == http.MethodHead && strings.HasSuffix(p, "/releases/latest"):
		repo := strings.TrimSuffix(strings.TrimPrefix(p, "/"), "/releases/latest")
		switch {
		case f.locations[repo] != "":
			w.Header().Set("Location", f.locations[repo])
			w.WriteHeader(http.StatusFound)
		case f.transfers[repo] != "":
			w.Header().Set("Location", f.srv.URL+"/"+f.transfers[repo]+"/releases/latest")
			w.WriteHeader(http.StatusMovedPermanently)
		case f.latest[repo] != "":
			w.Header().Set("Location", f.srv.URL+"/"+repo+"/releases/tag/"+url.PathEscape(f.latest[repo]))
			w.WriteHeader(http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	case r.Method == http.MethodGet && f.assets[p] != nil:
		w.Write(f.assets[p])
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeGitHub) serveAPI(w http.ResponseWriter, r *http.Request, segs []string) {
	if len(segs) < 3 || segs[2] != "releases" {
		http.NotFound(w, r)
		return
	}
	repo := segs[0] + "/" + segs[1]
	switch {
	case len(segs) == 4 && segs[3] == "latest" && f.apiLatest[repo] != "":
		json.NewEncoder(w).Encode(map[string]any{"tag_name": f.apiLatest[repo], "draft": false})
	case len(segs) == 3 && f.releases[repo] != nil:
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		tags := slices.Clone(f.releases[repo])
		slices.Reverse(tags) // newest first, as GitHub lists them
		var out []map[string]any
		for i := (page - 1) * perPage; i < len(tags) && i < page*perPage; i++ {
			out = append(out, map[string]any{"tag_name": tags[i], "draft": false, "prerelease": false})
		}
		if out == nil {
			out = []map[string]any{}
		}
		json.NewEncoder(w).Encode(out)
	default:
		http.NotFound(w, r)
	}
}
