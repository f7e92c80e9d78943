package serve

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/urfave/cli/v2"
)

// limits protect a served backend from clients that are slow on purpose or
// by accident: each bounds how long one connection or request can hold the
// server's resources. Zero turns a limit off (a zero ShutdownTimeout cuts
// at once).
type limits struct {
	// BodyTimeout bounds reading a request body, from the end of its
	// headers (http.Server's ReadHeaderTimeout bounds those).
	BodyTimeout time.Duration
	// WriteTimeout bounds each writeChunk of a response: a client must
	// take 64 KiB per WriteTimeout, but a large answer (GET /hosts of a
	// big organization) may take as long as it needs at that pace.
	WriteTimeout time.Duration
	// IdleTimeout closes keep-alive connections idle that long.
	IdleTimeout time.Duration
	// MaxClientRequests caps the requests one remote IP has in flight;
	// over it, 503 with Retry-After: mackerel-agent drops what a 4xx refuses but retries a 5xx.
	MaxClientRequests int
	// ShutdownTimeout is how long SIGTERM waits for requests in flight
	// before cutting their connections.
	ShutdownTimeout time.Duration
}

// Defaults, documented in the README and in the flags' help.
//   - Body 60 s: an agent's posts are a few KB and take milliseconds; a
//     `throw` batch of 5,000 points is about 400 KB, which 60 s carries
//     at ~55 kbit/s, and the 8 MiB body cap at ~1.1 Mbit/s.
//   - Write 30 s per 64 KiB: a client must read at ~17 kbit/s at least;
//     one that stops reading is cut 30 s after the kernel's buffers fill.
//   - Idle 2 min: longer than the agents' one-minute posting interval, so
//     their connections are reused.
//   - 64 requests in flight per IP: an agent has a handful at most, and a
//     fleet of agents behind one NAT address posts spread over the minute
//     (each request lasts milliseconds); 64 stalled bodies from one
//     address are what one client can hold.
//   - Shutdown 10 s: requests take milliseconds; only a stalled client
//     needs longer, and it is cut.
var defaultLimits = limits{
	BodyTimeout:       60 * time.Second,
	WriteTimeout:      30 * time.Second,
	IdleTimeout:       2 * time.Minute,
	MaxClientRequests: 64,
	ShutdownTimeout:   10 * time.Second,
}

// readHeaderTimeout bounds a request's headers (not a flag: no client
// needs long for a few hundred bytes).
const readHeaderTimeout = 10 * time.Second

// writeChunk is how much of a response each write deadline covers.
const writeChunk = 64 << 10

func limitFlags() []cli.Flag {
	d := defaultLimits
	return []cli.Flag{
		&cli.DurationFlag{Name: "body-timeout", Value: d.BodyTimeout, Usage: "longest time to read a request body, after its headers (0: no limit)"},
		&cli.DurationFlag{Name: "write-timeout", Value: d.WriteTimeout, Usage: "longest time a client may take to read each 64 KiB of a response (0: no limit)"},
		&cli.DurationFlag{Name: "idle-timeout", Value: d.IdleTimeout, Usage: "close keep-alive connections idle this long (0: never)"},
		&cli.IntFlag{Name: "max-client-requests", Value: d.MaxClientRequests, Usage: "requests one client IP may have in flight; more are answered 503 with Retry-After (0: no limit)"},
		&cli.DurationFlag{Name: "shutdown-timeout", Value: d.ShutdownTimeout, Usage: "on SIGTERM/SIGINT, wait this long for requests in flight, then cut their connections (0: at once)"},
	}
}

func limitsFromFlags(c *cli.Context) (limits, error) {
	l := limits{
		BodyTimeout:       c.Duration("body-timeout"),
		WriteTimeout:      c.Duration("write-timeout"),
		IdleTimeout:       c.Duration("idle-timeout"),
		MaxClientRequests: c.Int("max-client-requests"),
		ShutdownTimeout:   c.Duration("shutdown-timeout"),
	}
	for name, d := range map[string]time.Duration{"body-timeout": l.BodyTimeout, "write-timeout": l.WriteTimeout,
		"idle-timeout": l.IdleTimeout, "shutdown-timeout": l.ShutdownTimeout} {
		if d < 0 {
			return l, fmt.Errorf("--%s must not be negative", name)
		}
	}
	if l.MaxClientRequests < 0 {
		return l, errors.New("--max-client-requests must not be negative")
	}
	return l, nil
}

// guard applies the per-request limits around the API handler.
type guard struct {
	next   http.Handler
	limits limits
	// warn is told once when a client reaches the request limit (again
	// only after all its requests have finished).
	warn func(ip string, limit int)

	mu       sync.Mutex
	inFlight map[string]int
	warned   map[string]bool
}

func newGuard(next http.Handler, l limits, warn func(ip string, limit int)) *guard {
	return &guard{next: next, limits: l, warn: warn, inFlight: map[string]int{}, warned: map[string]bool{}}
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The previous response on this keep-alive connection left its write
	// deadline behind; computing this one's answer has none.
	rc.SetWriteDeadline(time.Time{})
	hasBody := r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
	if hasBody && g.limits.BodyTimeout > 0 {
		rc.SetReadDeadline(time.Now().Add(g.limits.BodyTimeout))
		r.Body = &bodyDeadline{ReadCloser: r.Body, rc: rc}
	}
	ip := clientIP(r)
	if !g.acquire(ip) {
		if hasBody {
			// Do not wait for a body that will not be read.
			rc.SetReadDeadline(time.Now())
			w.Header().Set("Connection", "close")
		}
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusServiceUnavailable,
			fmt.Sprintf("Too many requests in flight from this client (limit %d); retry later.", g.limits.MaxClientRequests))
		return
	}
	defer g.release(ip)
	if g.limits.WriteTimeout > 0 {
		w = &paced{ResponseWriter: w, rc: rc, timeout: g.limits.WriteTimeout}
	}
	g.next.ServeHTTP(w, r)
}

func (g *guard) acquire(ip string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if max := g.limits.MaxClientRequests; max > 0 && g.inFlight[ip] >= max {
		if !g.warned[ip] && g.warn != nil {
			g.warned[ip] = true
			g.warn(ip, max)
		}
		return false
	}
	g.inFlight[ip]++
	return true
}

func (g *guard) release(ip string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.inFlight[ip]--; g.inFlight[ip] <= 0 {
		delete(g.inFlight, ip)
		delete(g.warned, ip)
	}
}

// clientIP is the remote address without its port. Forwarding headers are
// not trusted: behind a proxy every client is the proxy.
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// bodyDeadline lifts the body's read deadline once the body is read, so
// that the server's wait for the next request (or for the client to go
// away while a long answer is computed) is not cut by it.
type bodyDeadline struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *bodyDeadline) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}

// paced writes a response in writeChunk pieces, each with its own write
// deadline: a client that reads at a reasonable pace gets any amount, one
// that stops reading is cut.
type paced struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

func (p *paced) Write(b []byte) (int, error) {
	n := 0
	for len(b) > 0 {
		chunk := b[:min(len(b), writeChunk)]
		p.rc.SetWriteDeadline(time.Now().Add(p.timeout))
		m, err := p.ResponseWriter.Write(chunk)
		n += m
		if err != nil {
			return n, err
		}
		b = b[len(chunk):]
	}
	return n, nil
}

// Unwrap lets http.ResponseController reach the connection.
func (p *paced) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// writeError answers in the API's error shape.
func writeError(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"message": message}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}
