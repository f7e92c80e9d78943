package backend

import (
	"net/http"
	"time"

	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// Options tune the backend.
type Options struct {
	// DefaultHostStatus is the status of hosts registered without one
	// (Mackerel makes this an organization setting). Default "working".
	DefaultHostStatus string
	// MaxBodyBytes caps request bodies (default 8 MiB), except metric
	// posts'.
	MaxBodyBytes int64
	// MaxMetricBodyBytes caps POST /tsdb and /services/<s>/tsdb bodies
	// (default DefaultMaxMetricBodyBytes, 64 MiB: they are streamed).
	MaxMetricBodyBytes int64
	// MetricBackfillWindow: posted points older than this are dropped
	// silently, as the hosted API drops points older than 24 h (the
	// default). A negative value keeps every point.
	MetricBackfillWindow time.Duration
	// Authorize, when set, is asked before every routed request; write is
	// true for methods that change state. Returning an error answers with
	// that error's status (see AuthError). Unknown paths are answered with
	// 404 before authorization, as the hosted API does.
	Authorize func(r *http.Request, write bool) error
	// Now is the clock of a store that Open opens; tests inject one.
	Now func() time.Time
	// Location is where calendar rules (downtime recurrences) are
	// computed; default the machine's local time zone.
	Location *time.Location
}

// Backend serves the API from a store.
type Backend struct {
	store  store.Store
	engine *engine.Engine
	opts   Options
	mux    *http.ServeMux
	eval   *evaluator // shared by AuthorizedHandler's copies
	// ingestGate admits metric posts (ingest_admission.go); shared too.
	ingestGate *ingestGate
	// owned: Open opened the store, so Close closes it.
	owned bool
}

// New builds a backend over s; the caller keeps ownership of s.
func New(s store.Store, opts Options) *Backend {
	if opts.DefaultHostStatus == "" {
		opts.DefaultHostStatus = client.HostStatusWorking
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 8 << 20
	}
	if opts.MaxMetricBodyBytes <= 0 {
		opts.MaxMetricBodyBytes = DefaultMaxMetricBodyBytes
	}
	if opts.MetricBackfillWindow == 0 {
		opts.MetricBackfillWindow = 24 * time.Hour
	}
	eng := engine.New(s)
	if opts.Location != nil {
		eng.SetLocation(opts.Location)
	}
	b := &Backend{store: s, engine: eng, opts: opts, mux: http.NewServeMux(), eval: newEvaluator(),
		ingestGate: newIngestGate(ingestActive, ingestWaiting)}
	b.routes()
	return b
}

// Handler returns the API handler.
func (b *Backend) Handler() http.Handler { return b.mux }

// Store returns the backing store.
func (b *Backend) Store() store.Store { return b.store }
