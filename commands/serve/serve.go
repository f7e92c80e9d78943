package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/commands/db"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/dbdsn"
	"github.com/urfave/cli/v2"
)

type serveOptions struct {
	Listen string
	APIKey string // extra full-access key from --api-key / MKR_SERVE_API_KEY
	// AllowAnonymous serves without authentication (on loopback) although
	// the database has had keys that are all revoked now.
	AllowAnonymous bool
	// Limits bound what slow or greedy clients can hold.
	Limits limits
	// SMTPURL is the relay of email notifications (--smtp-url), "" when
	// none; the backend parses it.
	SMTPURL string
	// Retention is how long metric points are kept (--retention).
	Retention time.Duration
	// ready, when set, receives the bound address (tests listen on :0).
	ready func(addr net.Addr)
}

func NewCmdServe(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "serve",
		Usage:     "Serve the embedded backend over HTTP as a Mackerel-compatible API",
		ArgsUsage: "[--listen <addr>] [--db <path>] [--api-key <key>]",
		Description: `Serve the local database as Mackerel API v0 at the origin root, so mackerel-agent, upstream mkr
   and mackerel-client-go can use it (set their apibase to http://<addr>).
   Requests must carry X-Api-Key: --api-key (env MKR_SERVE_API_KEY) or a key made with "mkr serve keys create".
   Read-only keys are refused (403) on writes. A database that never had a key is served without
   authentication, on a loopback address only, and then only to requests naming a loopback Host, from no
   foreign Origin, and writing with Content-Type: application/json (what a web page in a browser on this
   machine cannot send). Once a key exists, authentication stays on — also after every key is revoked,
   unless --allow-anonymous says otherwise.

   Slow clients are bounded: a request body must arrive within --body-timeout, each 64 KiB of a
   response must be taken within --write-timeout, one client IP may have --max-client-requests
   requests in flight (more get 503 with Retry-After), and on SIGTERM/SIGINT requests still running
   after --shutdown-timeout are cut (the exit is still 0).

   Metric points are kept for --retention (460 days by default; older days are dropped in the
   background), which is recorded in the database so that "mkr db compact" keeps as much.

   Examples:
     mkr serve --listen 127.0.0.1:8080
     mkr serve keys create --name agent && mkr serve --listen 0.0.0.0:8080`,
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "`ADDR` to listen on"},
			&cli.StringFlag{Name: "api-key", Usage: "accept `KEY` with full access (env MKR_SERVE_API_KEY)"},
			&cli.BoolFlag{Name: "allow-anonymous", Usage: "serve without authentication on loopback although every key of the database is revoked"},
			db.RetentionFlag(db.DefaultRetention, "keep metric points for `DURATION` (days as 90d, or a Go duration as 2160h; at least 2d); older days are dropped, and mkr db compact keeps as much"),
			&cli.StringFlag{Name: "smtp-url", Usage: "send email notifications through `URL`: smtp[s]://user:pass@host:port?from=ADDR[&starttls=require] (env MKR_SMTP_URL)"},
		}, limitFlags()...),
		Action: func(c *cli.Context) error {
			l, err := limitsFromFlags(c)
			if err != nil {
				return cmdutil.UsageError(c, "%s", err)
			}
			opts := serveOptions{Listen: c.String("listen"), APIKey: cmdutil.FirstNonEmpty(c.String("api-key"), f.Getenv("MKR_SERVE_API_KEY")),
				AllowAnonymous: c.Bool("allow-anonymous"), Limits: l}
			opts.SMTPURL = cmdutil.FirstNonEmpty(c.String("smtp-url"), f.Getenv("MKR_SMTP_URL"))
			if opts.Retention, err = db.ParseRetention(c.String("retention")); err != nil {
				return cmdutil.UsageError(c, "%s", err)
			}
			return runServe(c.Context, f, opts)
		},
		Subcommands: []*cli.Command{newServeKeysCommand(f)},
	}
}

func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func runServe(ctx context.Context, f *cmdutil.Factory, opts serveOptions) error {
	dbPath := f.DBPath()
	b, err := f.OpenBackend(ctx, dbPath)
	if err != nil {
		return err
	}
	n, err := b.CountAPIKeys(ctx)
	if err != nil {
		return err
	}
	if opts.AllowAnonymous && !isLoopback(opts.Listen) {
		return fmt.Errorf("--allow-anonymous serves on a loopback address only, not %s", opts.Listen)
	}
	cfg := auth.Config{ExtraKey: opts.APIKey, AnonymousAfterRevocation: opts.AllowAnonymous}
	if opts.APIKey == "" && n.Active == 0 {
		if !isLoopback(opts.Listen) {
			return fmt.Errorf("refusing to serve on %s without an API key: pass --api-key, set MKR_SERVE_API_KEY, or run \"mkr serve keys create\"", opts.Listen)
		}
		if n.Ever > 0 && !opts.AllowAnonymous {
			return fmt.Errorf("refusing to serve without authentication: every API key of this database is revoked; run \"mkr serve keys create\", pass --api-key, or --allow-anonymous (loopback only)")
		}
		cfg.Anonymous = true
		f.Log().Warn("no API key configured: accepting unauthenticated requests on loopback %s", opts.Listen)
	}
	if opts.SMTPURL != "" {
		shown, err := configureSMTP(b, opts.SMTPURL)
		if err != nil {
			return err
		}
		f.Log().Info("sending email notifications through %s", shown)
	}
	if err := b.ConfigureRetention(opts.Retention); err != nil {
		return fmt.Errorf("--retention: %w", err)
	}
	profCtx, stopProfiling := context.WithCancel(ctx)
	defer stopProfiling()
	if _, err := startProfiling(profCtx, f, f.Getenv(pprofEnv)); err != nil {
		return err
	}
	stopMonitoring := b.StartMonitoring(ctx, f.Version)
	defer stopMonitoring()
	lim := opts.Limits
	handler := newGuard(b.AuthorizedHandler(cfg), lim, func(ip string, max int) {
		f.Log().Warn("client %s has %s in flight: answering 503 to more (--max-client-requests)", ip, plural(max, "request"))
	})

	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return err
	}
	// The body and write limits are per request (guard): http.Server's
	// ReadTimeout would also cancel long answers' contexts, and its
	// WriteTimeout would cut a big GET /hosts to a client reading at a
	// fine pace.
	var conns connCount
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: readHeaderTimeout, IdleTimeout: lim.IdleTimeout, ConnState: conns.track}
	f.Log().Info("serving %s on http://%s", dbdsn.Display(dbPath), ln.Addr())
	if opts.ready != nil {
		opts.ready(ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful: stop accepting, let requests in flight finish. A client
	// that does not finish in time is cut: that is still a clean stop.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), lim.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		if !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		n := conns.open()
		if err := srv.Close(); err != nil {
			return err
		}
		f.Log().Warn("requests still in flight after %s (--shutdown-timeout): cut %s", lim.ShutdownTimeout, plural(n, "connection"))
	}
	f.Log().Info("stopped")
	return nil
}

// configureSMTP hands the email relay to the backend, which parses it
// (the CLI links no backend code), and returns it without its password.
func configureSMTP(b cmdutil.EmbeddedBackend, rawURL string) (string, error) {
	shown, err := b.ConfigureSMTP(rawURL)
	if err != nil {
		return "", fmt.Errorf("--smtp-url: %w", err)
	}
	return shown, nil
}

// connCount counts the server's open connections (http.Server.ConnState).
type connCount struct {
	mu sync.Mutex
	n  int
}

func (c *connCount) track(_ net.Conn, state http.ConnState) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch state {
	case http.StateNew:
		c.n++
	case http.StateClosed, http.StateHijacked:
		c.n--
	}
}

func (c *connCount) open() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
