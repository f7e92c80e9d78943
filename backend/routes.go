package backend

import (
	"log/slog"
	"net/http"
	"runtime/debug"
)

// handlerFunc is a route handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route describes how a handler reports errors.
type route struct {
	notFound string // message for store.ErrNotFound
	// metricBody: the body is a metric post, capped by
	// Options.MaxMetricBodyBytes instead of MaxBodyBytes (it is streamed).
	metricBody bool
	// public: no API key is asked for (GET /healthz, for load balancers).
	public bool
	// ingest: a post of points. Under serve it writes no outbox event
	// (evaluation is queued for the background loop, whose events the
	// dispatcher's poll finds), so it does not wake the dispatcher: at
	// 833 posts/s those wake-ups were back-to-back outbox reads, 10% of
	// serve's CPU.
	ingest bool
}

func (b *Backend) routes() {
	b.handle("GET /healthz", b.healthz, route{public: true})
	b.handle("GET /api/v0/org", b.getOrg, route{})

	hostNF := route{notFound: msgHostNotFound}
	b.handle("GET /api/v0/hosts", b.listHosts, route{})
	b.handle("GET /api/v0/hosts.json", b.listHosts, route{})
	b.handle("POST /api/v0/hosts", b.createHost, route{})
	b.handle("GET /api/v0/hosts/{hostId}", b.getHost, hostNF)
	b.handle("PUT /api/v0/hosts/{hostId}", b.updateHost, hostNF)
	b.handle("POST /api/v0/hosts/{hostId}/status", b.updateHostStatus, hostNF)
	b.handle("POST /api/v0/hosts/bulk-update-statuses", b.bulkUpdateHostStatuses, route{notFound: msgHostsNotFound})
	b.handle("PUT /api/v0/hosts/{hostId}/role-fullnames", b.updateHostRoles, hostNF)
	b.handle("POST /api/v0/hosts/{hostId}/retire", b.retireHost, hostNF)
	b.handle("POST /api/v0/hosts/bulk-retire", b.bulkRetireHosts, route{notFound: msgHostsNotFound})
	b.handle("GET /api/v0/hosts/{hostId}/metric-names", b.hostMetricNames, hostNF)
	b.handle("GET /api/v0/hosts/{hostId}/monitored-statuses", b.catchingUp(b.hostMonitoredStatuses), hostNF)
	b.handle("GET /api/v0/hosts-by-custom-identifier/{customIdentifier}", b.hostByCustomIdentifier, hostNF)

	b.handle("GET /api/v0/services", b.listServices, route{})
	b.handle("POST /api/v0/services", b.createService, route{})
	b.handle("DELETE /api/v0/services/{service}", b.deleteService, route{notFound: "Service not found."})
	b.handle("GET /api/v0/services/{service}/roles", b.listRoles, route{notFound: "Service not found."})
	b.handle("POST /api/v0/services/{service}/roles", b.createRole, route{notFound: "Service not found."})
	b.handle("DELETE /api/v0/services/{service}/roles/{role}", b.deleteRole, route{notFound: "Role not found."})

	for _, prefix := range []string{
		"/api/v0/hosts/{hostId}",
		"/api/v0/services/{service}",
		"/api/v0/services/{service}/roles/{role}",
	} {
		b.handle("GET "+prefix+"/metadata", b.listMetadata, route{notFound: "Metadata not found."})
		b.handle("GET "+prefix+"/metadata/{namespace}", b.getMetadata, route{notFound: "Metadata not found."})
		b.handle("PUT "+prefix+"/metadata/{namespace}", b.putMetadata, route{notFound: "Metadata not found."})
		b.handle("DELETE "+prefix+"/metadata/{namespace}", b.deleteMetadata, route{notFound: "Metadata not found."})
	}

	b.timeSeriesRoutes()
	b.checkRoutes()
	b.monitorRoutes()
	b.anomalyRoutes()
	b.downtimeRoutes()
	b.notificationRoutes()
	b.channelTestRoute()
	b.dashboardRoutes()
	b.orgRoutes()
	b.prometheusRoutes()

	b.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, errorf(http.StatusNotFound, msgNotFound), "")
	})
}

// handle registers h under pattern with the common request pipeline:
// authorization, body cap, panic recovery and error rendering.
func (b *Backend) handle(pattern string, h handlerFunc, rt route) {
	b.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				slog.Error("backend: panic", "panic", p, "stack", string(debug.Stack()))
				writeError(w, errorf(http.StatusInternalServerError, "Internal server error."), "")
			}
		}()
		if b.opts.Authorize != nil && !rt.public {
			write := r.Method != http.MethodGet && r.Method != http.MethodHead
			if err := b.opts.Authorize(r, write); err != nil {
				writeError(w, err, "")
				return
			}
		}
		limit := b.opts.MaxBodyBytes
		if rt.metricBody {
			limit = b.opts.MaxMetricBodyBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := refuseNULInRequest(r); err != nil {
			writeError(w, err, "")
		} else if err := h(w, r); err != nil {
			writeError(w, err, rt.notFound)
		} else if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if !rt.ingest || !b.eval.background.Load() {
				b.deliverPending(r.Context()) // local mode: notify what the write changed
			}
			b.compactAfterWrite(r.Context())
		}
	})
}
