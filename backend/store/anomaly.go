package store

import "context"

// Statuses of a stored anomaly model.
const (
	// AnomalyTrained: the model can score hosts.
	AnomalyTrained = "trained"
	// AnomalyTooFew: the role had too few samples; the model scores
	// nothing and Message says how many there were.
	AnomalyTooFew = "insufficient"
)

// AnomalyModel is the trained model of one role of an anomalyDetection
// monitor. The store keeps Body (package anomaly's encoding) verbatim and
// decides nothing: when to retrain is the engine's business.
type AnomalyModel struct {
	MonitorID  string
	Scope      string // the monitor's scope the model is of, "Service: role"
	Status     string // AnomalyTrained or AnomalyTooFew
	Message    string // why it is not trained, when it is not
	TrainedAt  int64  // when training ran (store clock, epoch seconds)
	From, To   int64  // the training window, [From, To)
	Samples    int    // 5-minute samples trained on
	Components int    // Gaussians of the mixture (0 when not trained)
	// Key fingerprints what the model was trained for (the monitor's
	// scopes and training period): a model whose key no longer matches
	// the definition is retrained.
	Key  string
	Body []byte
}

// AnomalyModelStore keeps anomaly models, one per (monitor, scope).
// Deleting a monitor deletes its models.
type AnomalyModelStore interface {
	// AnomalyModels returns the monitor's models ordered by scope (none:
	// an empty list).
	AnomalyModels(ctx context.Context, monitorID string) ([]*AnomalyModel, error)
	// PutAnomalyModel stores m in place of the (monitor, scope) model,
	// unless the stored one was trained later (a slower training must not
	// replace a newer one): it reports whether m was stored. KindNotFound
	// when the monitor does not exist.
	PutAnomalyModel(ctx context.Context, m *AnomalyModel) (bool, error)
	// DeleteAnomalyModels removes the monitor's models of scopes not in
	// keep (all of them when keep is empty).
	DeleteAnomalyModels(ctx context.Context, monitorID string, keep []string) error
}
