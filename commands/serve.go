package commands

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/urfave/cli/v2"
)

type serveOptions struct {
	Listen string
	APIKey string // extra full-access key from --api-key / MKR_SERVE_API_KEY
	// ready, when set, receives the bound address (tests listen on :0).
	ready func(addr net.Addr)
}

func newServeCommand(f *Factory) *cli.Command {
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
			opts := serveOptions{Listen: c.String("listen"), APIKey: firstNonEmpty(c.String("api-key"), f.Getenv("MKR_SERVE_API_KEY"))}
			return runServe(c.Context, f, opts)
		},
		Subcommands: []*cli.Command{newServeKeysCommand(f)},
	}
}

// authorizer checks X-Api-Key against the flag key and the database keys.
type authorizer struct {
	store  *store.Store
	flag   string
	noAuth bool
}

func (a *authorizer) authorize(r *http.Request, write bool) error {
	if a.noAuth {
		// Unauthenticated only while no key exists: creating one with
		// "mkr serve keys create" turns authentication on at once.
		n, err := a.store.CountActiveAPIKeys(r.Context())
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
	}
	key := r.Header.Get("X-Api-Key")
	if key == "" {
		return backend.AuthError(http.StatusUnauthorized, "Authentication failed. Please try with valid Api Key.")
	}
	if a.flag != "" && subtle.ConstantTimeCompare([]byte(key), []byte(a.flag)) == 1 {
		return nil
	}
	k, err := a.store.LookupAPIKey(r.Context(), key)
	if errors.Is(err, store.ErrNotFound) {
		return backend.AuthError(http.StatusUnauthorized, "Authentication failed. Please try with valid Api Key.")
	}
	if err != nil {
		return err
	}
	if write && k.ReadOnly {
		return backend.AuthError(http.StatusForbidden, "This API key does not have write permission.")
	}
	return nil
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

func runServe(ctx context.Context, f *Factory, opts serveOptions) error {
	dbPath := f.dbPath()
	st, err := f.OpenStore(ctx, dbPath)
	if err != nil {
		return err
	}
	n, err := st.CountActiveAPIKeys(ctx)
	if err != nil {
		return err
	}
	auth := &authorizer{store: st, flag: opts.APIKey}
	if opts.APIKey == "" && n == 0 {
		if !isLoopback(opts.Listen) {
			return fmt.Errorf("refusing to serve on %s without an API key: pass --api-key, set MKR_SERVE_API_KEY, or run \"mkr serve keys create\"", opts.Listen)
		}
		auth.noAuth = true
		f.Log().Warn("no API key configured: accepting unauthenticated requests on loopback %s", opts.Listen)
	}
	handler := backend.New(st, backend.Options{Authorize: auth.authorize}).Handler()

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
