package backend

import (
	"net/http"

	"github.com/mkr-dev/mkr/backend/anomaly"
	"github.com/mkr-dev/mkr/backend/store"
)

// anomalyRoutes registers the retraining of anomalyDetection monitors,
// an mkr extension: the hosted API retrains from its web console only
// (its alert logs name the trigger anomalyDetectionManuallyRetraining).
func (b *Backend) anomalyRoutes() {
	b.handle("POST /api/v0/monitors/{monitorId}/retrain", b.retrainMonitor, route{notFound: msgMonitorNotFound})
}

// anomalyModelJSON says what one role's training produced.
type anomalyModelJSON struct {
	Scope      string             `json:"scope"`
	Status     string             `json:"status"` // "trained" or "insufficient"
	Message    string             `json:"message,omitempty"`
	TrainedAt  int64              `json:"trainedAt"`
	From       int64              `json:"from"` // the training window, [from, to)
	To         int64              `json:"to"`
	Samples    int                `json:"samples"`
	Components int                `json:"components"`
	Thresholds map[string]float64 `json:"thresholds,omitempty"` // score thresholds by sensitivity
}

// retrainMonitor trains every role of an anomalyDetection monitor now
// and answers what was trained. 400 for another type of monitor.
func (b *Backend) retrainMonitor(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("monitorId")
	rows, err := b.engine.RetrainAnomaly(r.Context(), id)
	if err != nil {
		return err
	}
	out := struct {
		MonitorID string             `json:"monitorId"`
		Models    []anomalyModelJSON `json:"models"`
	}{MonitorID: id, Models: []anomalyModelJSON{}}
	for _, row := range rows {
		j := anomalyModelJSON{Scope: row.Scope, Status: row.Status, Message: row.Message, TrainedAt: row.TrainedAt,
			From: row.From, To: row.To, Samples: row.Samples, Components: row.Components}
		if row.Status == store.AnomalyTrained {
			m, err := anomaly.Unmarshal(row.Body)
			if err != nil {
				return err
			}
			j.Thresholds = m.Thresholds
		}
		out.Models = append(out.Models, j)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
