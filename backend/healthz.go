package backend

import (
	"context"
	"log/slog"
	"net/http"
	"time"
)

// GET /healthz is for load balancers in front of `mkr serve` replicas:
// 200 {"status":"ok"} when this replica's store answers a trivial query
// (the organization's one row) within healthTimeout, else 503
// {"status":"unavailable"}, so that the balancer stops sending requests
// to a replica that lost its database. It is the one route that needs no
// API key — a balancer has none — and for that reason it says nothing
// else: no name, version, error or timing (the error goes to the log).

// healthTimeout bounds the store's answer: shorter than the probe
// timeouts balancers use (a few seconds), so that a replica waiting on a
// stuck database is reported down rather than timed out.
const healthTimeout = 2 * time.Second

func (b *Backend) healthz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()
	w.Header().Set("Cache-Control", "no-store")
	if _, err := b.store.GetOrg(ctx); err != nil {
		slog.Warn("healthz: the store does not answer", "error", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return nil
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	return nil
}
