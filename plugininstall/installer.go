package plugininstall

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// apiTimeout bounds the small JSON requests (registry, GitHub API). Downloads have no
// overall timeout because archive sizes vary; Config.IdleTimeout ends one whose server
// stops sending, and the caller's context bounds them.
const apiTimeout = 30 * time.Second

// maxJSONSize caps a JSON response body; the largest is a page of 100 releases.
const maxJSONSize = 16 << 20

// Installer installs, locks, verifies, lists and uninstalls plugins. Create it with New.
// Its methods are independent of each other and keep no state between calls.
type Installer struct {
	cfg           Config
	defaultPrefix string
	githubURL     *url.URL
	apiURL        *url.URL
	registryURL   *url.URL
	headClient    *http.Client
	userAgent     string
}

// New validates cfg, fills in defaults and returns an Installer.
func New(cfg Config) (*Installer, error) {
	in := &Installer{}
	var err error
	if in.githubURL, err = parseBaseURL("GitHub", cfg.GitHubURL, DefaultGitHubURL); err != nil {
		return nil, err
	}
	if in.apiURL, err = parseBaseURL("GitHub API", cfg.GitHubAPIURL, DefaultGitHubAPIURL); err != nil {
		return nil, err
	}
	if in.registryURL, err = parseBaseURL("plugin registry", cfg.RegistryURL, DefaultRegistryURL); err != nil {
		return nil, err
	}
	if cfg.GOOS == "" {
		cfg.GOOS = runtime.GOOS
	}
	if cfg.GOARCH == "" {
		cfg.GOARCH = runtime.GOARCH
	}
	if err := validatePlatform(cfg.GOOS + "_" + cfg.GOARCH); err != nil {
		return nil, err
	}
	if cfg.Version == "" {
		cfg.Version = "0.0.0"
	}
	if cfg.MaxDownloadSize <= 0 {
		cfg.MaxDownloadSize = DefaultMaxDownloadSize
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = DefaultMaxFileSize
	}
	if cfg.MaxExtractSize <= 0 {
		cfg.MaxExtractSize = DefaultMaxExtractSize
	}
	if cfg.MaxEntries <= 0 {
		cfg.MaxEntries = DefaultMaxEntries
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{}
	}
	if cfg.Prefix == "" {
		if in.defaultPrefix, err = DefaultPrefix(); err != nil {
			return nil, err
		}
	}
	// The releases/latest lookup must see the redirect itself, not follow it.
	head := *cfg.HTTPClient
	head.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	in.headClient = &head
	in.userAgent = "mkr-plugin-installer/" + cfg.Version
	in.cfg = cfg
	return in, nil
}

func parseBaseURL(what, raw, def string) (*url.URL, error) {
	if raw == "" {
		raw = def
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil {
		return nil, fmt.Errorf("invalid %s URL %q: %w", what, raw, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid %s URL %q: want http:// or https:// and a host", what, raw)
	}
	return u, nil
}

// prefixFor picks the install prefix: an explicit Config.Prefix, else the manifest's
// prefix (relative to the manifest's directory), else the platform default.
func (in *Installer) prefixFor(m *Manifest) string {
	switch {
	case in.cfg.Prefix != "":
		return in.cfg.Prefix
	case m != nil && m.Prefix != "":
		if filepath.IsAbs(m.Prefix) {
			return m.Prefix
		}
		return filepath.Join(filepath.Dir(m.Path), m.Prefix)
	default:
		return in.defaultPrefix
	}
}

// platform is the GOOS_GOARCH this installer installs for.
func (in *Installer) platform() string { return in.cfg.GOOS + "_" + in.cfg.GOARCH }

func (in *Installer) logf(format string, args ...any) {
	if in.cfg.Logf != nil {
		in.cfg.Logf(format, args...)
	}
}

func (in *Installer) token(ctx context.Context) string {
	if in.cfg.Token == nil {
		return ""
	}
	return in.cfg.Token(ctx)
}

func (in *Installer) newRequest(ctx context.Context, method, rawURL string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, rawURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", in.userAgent)
	return req, nil
}

// errNotOK keeps upstream's wording for any unexpected HTTP status.
func errNotOK(code int, rawURL string) error {
	return fmt.Errorf("http response not OK. code: %d, url: %s", code, rawURL)
}

// getJSON fetches rawURL and decodes the JSON body into v. A non-empty token is sent as
// a bearer token; only GitHub API calls pass one.
func (in *Installer) getJSON(ctx context.Context, rawURL, token string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	req, err := in.newRequest(ctx, http.MethodGet, rawURL)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := in.do(in.cfg.HTTPClient, req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return errNotOK(resp.StatusCode, rawURL)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJSONSize)).Decode(v); err != nil {
		return fmt.Errorf("decoding %s: %w", rawURL, err)
	}
	return nil
}

// joinURL appends path-escaped segments to a base URL, keeping any path the base has.
func joinURL(base *url.URL, segments ...string) string {
	var b strings.Builder
	b.WriteString(base.String())
	for _, s := range segments {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(s))
	}
	return b.String()
}

// platformsOf is the manifest's platform list, or this installer's platform when the
// manifest declares none.
func (in *Installer) platformsOf(m *Manifest) []string {
	if len(m.Platforms) == 0 {
		return []string{in.platform()}
	}
	return m.Platforms
}
