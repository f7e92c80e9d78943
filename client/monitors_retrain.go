package client

import "context"

// AnomalyModel is what retraining one role of an anomalyDetection monitor
// produced (an mkr extension, see RetrainMonitor).
type AnomalyModel struct {
	Scope      string             `json:"scope"`
	Status     string             `json:"status"` // "trained" or "insufficient"
	Message    string             `json:"message,omitempty"`
	TrainedAt  int64              `json:"trainedAt"`
	From       int64              `json:"from"`
	To         int64              `json:"to"`
	Samples    int                `json:"samples"`
	Components int                `json:"components"`
	Thresholds map[string]float64 `json:"thresholds,omitempty"`
}

// MonitorRetrain is the answer of RetrainMonitor.
type MonitorRetrain struct {
	MonitorID string          `json:"monitorId"`
	Models    []*AnomalyModel `json:"models"`
}

// RetrainMonitor retrains every role of an anomalyDetection monitor now:
// POST /api/v0/monitors/<id>/retrain, an endpoint of mkr's backend that
// the hosted API does not have.
func (c *Client) RetrainMonitor(ctx context.Context, id string) (*MonitorRetrain, error) {
	var out MonitorRetrain
	if err := c.call(ctx, &request{method: "POST", path: pathf("/api/v0/monitors/%s/retrain", id)}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
