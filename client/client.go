// Package client is a typed client for the Mackerel API v0. It talks HTTP to
// the hosted API, to any compatible server (such as `mkr serve`), or, through
// NewInProcessTransport, straight to an http.Handler in the same process.
package client

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/internal/redact"
)

// DefaultBaseURL is the hosted Mackerel API.
const DefaultBaseURL = "https://api.mackerelio.com"

// Options configure a Client. Only BaseURL is required.
type Options struct {
	// BaseURL is the origin of the API. Unlike upstream mkr, a path prefix
	// is kept (https://proxy.example/mackerel → /mackerel/api/v0/…).
	BaseURL string
	// APIKey is sent as X-Api-Key. It is never printed by this package.
	APIKey string
	// UserAgent defaults to "mkr".
	UserAgent string
	// Transport defaults to http.DefaultTransport.
	Transport http.RoundTripper
	// Timeout bounds each attempt of a request (default 30s, as upstream);
	// negative means no per-attempt bound (the caller's context rules).
	Timeout time.Duration
	// Retry tunes retries of idempotent requests; the zero value means the
	// defaults described on RetryPolicy.
	Retry RetryPolicy
	// MaxResponseBytes caps a response body (default 256 MiB); a host
	// listing, decoded as it arrives, is capped per host instead.
	MaxResponseBytes int64
	// Debug, when set, receives a dump of every request and response with
	// the API key redacted.
	Debug io.Writer
}

// Client calls the Mackerel API. It is safe for concurrent use.
type Client struct {
	base      *url.URL
	apiKey    string
	userAgent string
	http      *http.Client
	timeout   time.Duration
	retry     RetryPolicy
	debug     io.Writer
	// maxResponse caps response bodies.
	maxResponse int64
}

// New builds a Client from opts.
func New(opts Options) (*Client, error) {
	raw := opts.BaseURL
	if raw == "" {
		raw = DefaultBaseURL
	}
	// Errors name the URL without its user-info: it may hold credentials.
	shown := redact.URL(raw)
	base, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // its text repeats the raw URL
		}
		return nil, fmt.Errorf("invalid API base URL %q: %w", shown, err)
	}
	if base.Scheme != "http" && base.Scheme != "https" {
		return nil, fmt.Errorf("invalid API base URL %q: scheme must be http or https", shown)
	}
	if base.Host == "" {
		return nil, fmt.Errorf("invalid API base URL %q: no host", shown)
	}
	base.Path = strings.TrimRight(base.Path, "/")
	base.RawPath = ""
	base.RawQuery, base.Fragment = "", ""

	transport := opts.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	ua := opts.UserAgent
	if ua == "" {
		ua = "mkr"
	}
	timeout := opts.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	return &Client{
		base:        base,
		apiKey:      opts.APIKey,
		userAgent:   ua,
		http:        &http.Client{Transport: transport, CheckRedirect: keepKeyAtHome},
		timeout:     timeout,
		retry:       opts.Retry.withDefaults(),
		debug:       opts.Debug,
		maxResponse: cmp.Or(opts.MaxResponseBytes, defaultMaxResponseBytes),
	}, nil
}

// BaseURL returns the API origin this client talks to (without credentials).
func (c *Client) BaseURL() string {
	u := *c.base
	u.User = nil
	return u.String()
}

// urlFor joins the base path and an API path such as /api/v0/hosts. apiPath
// must already be escaped where needed.
func (c *Client) urlFor(apiPath string, query url.Values) string {
	u := *c.base
	u.Path = c.base.Path + apiPath
	u.RawPath = ""
	if strings.Contains(apiPath, "%") {
		// Keep escapes such as %2F in a custom identifier intact on the wire.
		unescaped, err := url.PathUnescape(apiPath)
		if err == nil {
			u.Path = c.base.Path + unescaped
			u.RawPath = c.base.EscapedPath() + apiPath
		}
	}
	u.RawQuery = query.Encode()
	return u.String()
}
