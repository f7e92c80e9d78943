package backend

import (
	"encoding/json"
	"net/http"
)

// listGraphDefs answers GET /api/v0/graph-defs, which the hosted API does
// not have (it shows definitions only in its web UI): an mkr extension for
// `mkr graph-defs list`, in the shape POST /api/v0/graph-defs/create takes,
// so a listing can be posted back.
func (b *Backend) listGraphDefs(w http.ResponseWriter, r *http.Request) error {
	defs, err := b.store.ListGraphDefs(r.Context())
	if err != nil {
		return err
	}
	type graphDef struct {
		Name        string          `json:"name"`
		DisplayName string          `json:"displayName,omitempty"`
		Unit        string          `json:"unit,omitempty"`
		Metrics     json.RawMessage `json:"metrics"`
	}
	out := make([]graphDef, len(defs))
	for i, d := range defs {
		metrics := d.Metrics
		if len(metrics) == 0 {
			metrics = json.RawMessage("[]")
		}
		out[i] = graphDef{d.Name, d.DisplayName, d.Unit, metrics}
	}
	writeJSON(w, http.StatusOK, map[string]any{"graphDefs": out})
	return nil
}
