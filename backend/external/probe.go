// Package external probes the URLs of external (URL) monitors the way
// Mackerel's HTTP checker does: one request per monitor per minute, judged on
// the status code, the body, the TLS certificate and whether a response came
// at all. It decides nothing about alerts: the engine turns Results into
// alerts and the response time into the service metric it averages.
package external

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/monitor"
)

// Statuses a probe can give.
const (
	StatusOK       = "OK"
	StatusWarning  = "WARNING"
	StatusCritical = "CRITICAL"
)

// Defaults of Options.
const (
	DefaultTimeout      = 15 * time.Second
	DefaultMaxBodyBytes = 1 << 20
	DefaultVersion      = "unknown"
)

// maxRedirects is how many redirects a following probe accepts: Mackerel
// treats a third redirect as an error.
const maxRedirects = 2

// Options configure probes. The zero value is ready to use.
type Options struct {
	// Timeout bounds a whole probe: connect, TLS, request, response and
	// body. Default 15 s, as Mackerel's checker.
	Timeout time.Duration
	// Version goes into the default User-Agent
	// "mackerel-http-checker/<Version>". Default "unknown".
	Version string
	// MaxBodyBytes is how much of the body is read (and searched for
	// containsString). Default 1 MiB.
	MaxBodyBytes int64
	// Transport is cloned for every probe (proxy, dialer, root CAs come
	// from it); nil clones http.DefaultTransport. Each probe gets a fresh
	// connection, so every check really connects and handshakes.
	Transport *http.Transport
}

func (o Options) timeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return DefaultTimeout
}

func (o Options) maxBodyBytes() int64 {
	if o.MaxBodyBytes > 0 {
		return o.MaxBodyBytes
	}
	return DefaultMaxBodyBytes
}

func (o Options) userAgent() string {
	v := o.Version
	if v == "" {
		v = DefaultVersion
	}
	return "mackerel-http-checker/" + v
}

// Result is the outcome of one probe.
type Result struct {
	MonitorID string
	// At is the start of the probe, epoch seconds.
	At int64
	// Status is OK, WARNING or CRITICAL from everything but the
	// response-time thresholds (see ResponseTimeStatus).
	Status string
	// Message is the HTTP status code as three digits when a response
	// decided the status, else a short reason ("connection refused",
	// "certificate expires in 3 days", "timeout after 15s").
	Message string
	// ResponseTime is in milliseconds, set when a whole response (up to
	// MaxBodyBytes of body) was read.
	ResponseTime *float64
}

// errTooManyRedirects ends a following probe at the third redirect.
var errTooManyRedirects = errors.New("too many redirects")

// Probe checks m's URL once. now is the probe's start: it stamps the Result
// and is the time certificates are judged against, so tests can pin it.
// Probe never fails: every problem is a CRITICAL Result.
func Probe(ctx context.Context, m *monitor.Monitor, now time.Time, opts Options) Result {
	res := Result{MonitorID: m.ID, At: now.Unix()}
	critical := func(msg string) Result {
		res.Status, res.Message = StatusCritical, msg
		return res
	}

	timeout := opts.timeout()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	req, err := newRequest(ctx, m, opts)
	if err != nil {
		return critical(err.Error())
	}
	client := &http.Client{Transport: probeTransport(m, now, opts), CheckRedirect: redirectPolicy(m.FollowRedirect)}
	defer client.CloseIdleConnections()

	started := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return critical(describeError(ctx, err, timeout))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, opts.maxBodyBytes()))
	if err != nil {
		return critical(describeError(ctx, err, timeout))
	}
	ms := float64(time.Since(started)) / float64(time.Millisecond)
	res.ResponseTime = &ms

	res.Status, res.Message = judge(m, resp, body, now)
	return res
}

// newRequest builds the monitor's request. The defaults go in first so a
// header of the monitor replaces them.
func newRequest(ctx context.Context, m *monitor.Monitor, opts Options) (*http.Request, error) {
	method := m.Method
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	if m.RequestBody != "" {
		body = strings.NewReader(m.RequestBody)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.URL, body)
	if err != nil {
		return nil, errors.New("invalid request: " + err.Error())
	}
	req.Header.Set("User-Agent", opts.userAgent())
	req.Header.Set("Cache-Control", "no-cache")
	custom := map[string]bool{}
	for _, h := range m.Headers {
		// net/http sends req.Host, never a Host header.
		if strings.EqualFold(h.Name, "Host") {
			req.Host = h.Value
			continue
		}
		key := http.CanonicalHeaderKey(h.Name)
		if !custom[key] {
			req.Header.Del(key)
			custom[key] = true
		}
		req.Header.Add(key, h.Value)
	}
	return req, nil
}

// probeTransport gives the probe its own transport: TLS verification per
// monitor, verification at now, no connection reuse.
func probeTransport(m *monitor.Monitor, now time.Time, opts Options) *http.Transport {
	base := opts.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport)
	}
	tr := base.Clone()
	tr.DisableKeepAlives = true
	if tr.TLSClientConfig == nil {
		tr.TLSClientConfig = &tls.Config{}
	}
	if m.SkipCertificateVerification {
		tr.TLSClientConfig.InsecureSkipVerify = true
	}
	if tr.TLSClientConfig.Time == nil {
		tr.TLSClientConfig.Time = func() time.Time { return now }
	}
	return tr
}

// redirectPolicy follows at most maxRedirects redirects when asked to, and
// otherwise hands the 3xx back as the response.
func redirectPolicy(follow bool) func(*http.Request, []*http.Request) error {
	return func(_ *http.Request, via []*http.Request) error {
		if !follow {
			return http.ErrUseLastResponse
		}
		if len(via) > maxRedirects {
			return errTooManyRedirects
		}
		return nil
	}
}
