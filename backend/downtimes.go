package backend

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/mkr-dev/mkr/backend/downtime"
	"github.com/mkr-dev/mkr/backend/store"
)

const msgDowntimeNotFound = "Downtime not found."

// downtimeRoutes registers /api/v0/downtimes. The hosted API has no GET of
// one downtime (nor has mackerel-client-go), so neither has this backend.
func (b *Backend) downtimeRoutes() {
	nf := route{notFound: msgDowntimeNotFound}
	b.handle("GET /api/v0/downtimes", b.listDowntimes, route{})
	b.handle("POST /api/v0/downtimes", b.createDowntime, route{})
	b.handle("PUT /api/v0/downtimes/{downtimeId}", b.updateDowntime, nf)
	b.handle("DELETE /api/v0/downtimes/{downtimeId}", b.deleteDowntime, nf)
}

func (b *Backend) listDowntimes(w http.ResponseWriter, r *http.Request) error {
	list, err := b.store.ListDowntimes(r.Context())
	if err != nil {
		return err
	}
	out := make([]json.RawMessage, len(list))
	for i, d := range list {
		out[i] = d.Body
	}
	writeJSON(w, http.StatusOK, map[string]any{"downtimes": out})
	return nil
}

func (b *Backend) createDowntime(w http.ResponseWriter, r *http.Request) error {
	d, err := b.readDowntime(r)
	if err != nil {
		return err
	}
	d.ID = store.NewID()
	body, err := downtime.Encode(d)
	if err != nil {
		return err
	}
	if err := b.store.CreateDowntime(r.Context(), &store.Downtime{ID: d.ID, Body: body}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, json.RawMessage(body))
	return nil
}

// updateDowntime replaces the whole definition, as the API documents (the
// body is the same as a create's).
func (b *Backend) updateDowntime(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("downtimeId")
	if _, err := b.store.GetDowntime(r.Context(), id); err != nil {
		return err
	}
	d, err := b.readDowntime(r)
	if err != nil {
		return err
	}
	d.ID = id
	body, err := downtime.Encode(d)
	if err != nil {
		return err
	}
	if err := b.store.UpdateDowntime(r.Context(), &store.Downtime{ID: id, Body: body}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, json.RawMessage(body))
	return nil
}

func (b *Backend) deleteDowntime(w http.ResponseWriter, r *http.Request) error {
	d, err := b.store.DeleteDowntime(r.Context(), r.PathValue("downtimeId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, json.RawMessage(d.Body))
	return nil
}

// readDowntime decodes and validates a create or update body; every broken
// rule is a 400 that names the key.
func (b *Backend) readDowntime(r *http.Request) (*downtime.Downtime, error) {
	var raw json.RawMessage
	if err := decodeBody(r, &raw, false); err != nil {
		return nil, err
	}
	// Decoding would turn bad bytes into U+FFFD, stored for good: refuse
	// them, naming the value.
	if problem := invalidUTF8(raw, ""); problem != "" {
		return nil, badRequest("%s.", problem)
	}
	d, err := downtime.Decode(raw)
	if err == nil {
		err = downtime.Validate(d, downtimeLookup{r.Context(), b.store})
	}
	var de *downtime.Error
	if errors.As(err, &de) {
		return nil, badRequest("%s", de.Message)
	}
	return d, err
}

// downtimeLookup answers downtime.Validate from the store.
type downtimeLookup struct {
	ctx context.Context
	st  store.Store
}

// exists turns a lookup into an answer: found, not found, or a failure.
func exists(_ any, err error) (bool, error) {
	if _, nf := store.IsKind(err, store.KindNotFound); nf {
		return false, nil
	}
	return err == nil, err
}

func (l downtimeLookup) ServiceExists(name string) (bool, error) {
	return exists(l.st.GetService(l.ctx, name))
}

func (l downtimeLookup) RoleExists(service, role string) (bool, error) {
	return exists(l.st.GetRole(l.ctx, service, role))
}

// MonitorExists looks among check monitors too: they are monitors that a
// downtime can name like any other.
func (l downtimeLookup) MonitorExists(id string) (bool, error) {
	if ok, err := exists(l.st.GetCheckMonitor(l.ctx, id)); ok || err != nil {
		return ok, err
	}
	return exists(l.st.GetMonitor(l.ctx, id))
}
