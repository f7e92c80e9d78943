package serve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

type serveOptions struct {
	Listen string
	APIKey string // extra full-access key from --api-key / MKR_SERVE_API_KEY
	// AllowAnonymous serves without authentication (on loopback) although
	// the database has had keys that are all revoked now.
	AllowAnonymous bool
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

   Examples:
     mkr serve --listen 127.0.0.1:8080
     mkr serve keys create --name agent && mkr serve --listen 0.0.0.0:8080`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "`ADDR` to listen on"},
			&cli.StringFlag{Name: "api-key", Usage: "accept `KEY` with full access (env MKR_SERVE_API_KEY)"},
			&cli.BoolFlag{Name: "allow-anonymous", Usage: "serve without authentication on loopback although every key of the database is revoked"},
		},
		Action: func(c *cli.Context) error {
			opts := serveOptions{Listen: c.String("listen"), APIKey: cmdutil.FirstNonEmpty(c.String("api-key"), f.Getenv("MKR_SERVE_API_KEY")),
				AllowAnonymous: c.Bool("allow-anonymous")}
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
	handler := b.AuthorizedHandler(cfg)

	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	f.Log().Info("serving %s on http://%s", dbPath, ln.Addr())
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
	// Graceful: stop accepting, let requests in flight finish.
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	f.Log().Info("stopped")
	return nil
}
