package serve

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// Profiling: MKR_SERVE_PPROF=127.0.0.1:6060 serves Go's net/http/pprof
// endpoints on that address, beside the API and never on its listener, so
// a load on a running `mkr serve` can be profiled
// (go tool pprof http://127.0.0.1:6060/debug/pprof/profile?seconds=30).
// Only a loopback address is accepted: the profiles show request data and
// the endpoints have no authentication. It is an environment variable
// rather than a flag because it is an operator's diagnosis tool, not part
// of the service's configuration (docs/operations.md).

// pprofEnv names the variable.
const pprofEnv = "MKR_SERVE_PPROF"

// startProfiling serves pprof on addr until ctx ends, and returns the
// bound address; "" serves nothing.
func startProfiling(ctx context.Context, f *cmdutil.Factory, addr string) (net.Addr, error) {
	if addr == "" {
		return nil, nil
	}
	if !isLoopback(addr) {
		return nil, fmt.Errorf("%s=%s: profiling is served on a loopback address only", pprofEnv, addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", pprofEnv, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			f.Log().Warn("profiling server: %v", err)
		}
	}()
	context.AfterFunc(ctx, func() {
		stop, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(stop)
	})
	f.Log().Info("profiles at http://%s/debug/pprof/ (%s)", ln.Addr(), pprofEnv)
	return ln.Addr(), nil
}
