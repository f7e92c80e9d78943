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
   Read-only keys are refused (403) on writes. With no key at all it only serves on a loopback address,
   without authentication.`,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "`ADDR` to listen on"},
			&cli.StringFlag{Name: "api-key", Usage: "accept `KEY` with full access (env MKR_SERVE_API_KEY)"},
		},
		Action: func(c *cli.Context) error {
			opts := serveOptions{Listen: c.String("listen"), APIKey: cmdutil.FirstNonEmpty(c.String("api-key"), f.Getenv("MKR_SERVE_API_KEY"))}
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
	n, err := b.CountActiveAPIKeys(ctx)
	if err != nil {
		return err
	}
	cfg := auth.Config{ExtraKey: opts.APIKey}
	if opts.APIKey == "" && n == 0 {
		if !isLoopback(opts.Listen) {
			return fmt.Errorf("refusing to serve on %s without an API key: pass --api-key, set MKR_SERVE_API_KEY, or run \"mkr serve keys create\"", opts.Listen)
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
