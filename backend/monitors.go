package backend

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"slices"
	"time"

	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// msgMonitorNotFound answers an unknown monitor id.
const msgMonitorNotFound = "Monitor not found."

// monitorRoutes registers /api/v0/monitors. Check monitors are not part
// of this resource: they are never listed, and addressing one by id is a
// 400 (the hosted API's "Cannot get a check monitor" for GET).
func (b *Backend) monitorRoutes() {
	nf := route{notFound: msgMonitorNotFound}
	b.handle("GET /api/v0/monitors", b.listMonitors, route{})
	b.handle("POST /api/v0/monitors", b.createMonitor, route{})
	b.handle("GET /api/v0/monitors/{monitorId}", b.getMonitor, nf)
	b.handle("PUT /api/v0/monitors/{monitorId}", b.updateMonitor, nf)
	b.handle("DELETE /api/v0/monitors/{monitorId}", b.deleteMonitor, nf)
}

func (b *Backend) listMonitors(w http.ResponseWriter, r *http.Request) error {
	list, err := b.store.ListMonitors(r.Context())
	if err != nil {
		return err
	}
	bodies := make([][]byte, len(list))
	for i, m := range list {
		bodies[i] = m.Body
	}
	writeRawJSON(w, slices.Concat([]byte(`{"monitors":[`), bytes.Join(bodies, []byte(",")), []byte(`]}`)))
	return nil
}

func (b *Backend) getMonitor(w http.ResponseWriter, r *http.Request) error {
	m, err := b.findMonitor(r.Context(), r.PathValue("monitorId"), "get")
	if err != nil {
		return err
	}
	writeRawJSON(w, slices.Concat([]byte(`{"monitor":`), m.Body, []byte(`}`)))
	return nil
}

// findMonitor loads a monitor; when the id is a check monitor's, the
// answer is a 400 ("Cannot <verb> a check monitor") rather than a 404.
func (b *Backend) findMonitor(ctx context.Context, id, verb string) (*store.Monitor, error) {
	m, err := b.store.GetMonitor(ctx, id)
	if !errors.Is(err, store.ErrNotFound) {
		return m, err
	}
	if _, cerr := b.store.GetCheckMonitor(ctx, id); cerr == nil {
		return nil, badRequest("Cannot %s a check monitor", verb)
	} else if !errors.Is(cerr, store.ErrNotFound) {
		return nil, cerr
	}
	return nil, err
}

// createMonitor validates the whole definition before the one write, so a
// refused request leaves the store as it was.
func (b *Backend) createMonitor(w http.ResponseWriter, r *http.Request) error {
	m, err := parseMonitorBody(r)
	if err != nil {
		return err
	}
	m.ID = "" // server-assigned: an id in the body (a pulled file) is ignored
	m.Normalize()
	if err := b.validateMonitor(r.Context(), m); err != nil {
		return err
	}
	m.ID = store.NewID()
	body := monitor.Encode(m)
	if err := b.store.CreateMonitor(r.Context(), &store.Monitor{ID: m.ID, Type: m.Type, Name: m.Name, Body: body}); err != nil {
		return err
	}
	b.noteEvent(b.engine.RecordMonitorEvent(r.Context(), engine.MonitorEvent{MonitorID: m.ID, Action: "create", Name: m.Name, Type: m.Type}))
	writeRawJSON(w, body)
	return nil
}

func (b *Backend) updateMonitor(w http.ResponseWriter, r *http.Request) error {
	cur, err := b.findMonitor(r.Context(), r.PathValue("monitorId"), "update")
	if err != nil {
		return err
	}
	upd, err := parseMonitorBody(r)
	if err != nil {
		return err
	}
	old, err := monitor.Decode(cur.Body)
	if err != nil {
		return err // a stored body is always canonical
	}
	next, err := monitor.Merge(old, upd)
	if err != nil {
		return refused(err)
	}
	if err := b.validateMonitor(r.Context(), next); err != nil {
		return err
	}
	body := monitor.Encode(next)
	if err := b.store.UpdateMonitor(r.Context(), &store.Monitor{ID: next.ID, Type: next.Type, Name: next.Name, Body: body}); err != nil {
		return err
	}
	b.noteEvent(b.engine.RecordMonitorEvent(r.Context(), engine.MonitorEvent{MonitorID: next.ID, Action: "update", Name: next.Name, Type: next.Type}))
	writeRawJSON(w, body)
	return nil
}

// deleteMonitor goes through the engine, which closes the monitor's open
// alerts (trigger monitorDelete) in the transaction that deletes it.
func (b *Backend) deleteMonitor(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("monitorId")
	if _, err := b.findMonitor(r.Context(), id, "delete"); err != nil {
		return err
	}
	m, err := b.engine.DeleteMonitor(r.Context(), id)
	if err != nil {
		return err
	}
	b.noteEvent(b.engine.RecordMonitorEvent(r.Context(), engine.MonitorEvent{MonitorID: m.ID, Action: "delete", Name: m.Name, Type: m.Type}))
	writeRawJSON(w, m.Body)
	return nil
}

// parseMonitorBody reads a definition: a JSON object whose strings are
// UTF-8 (decoding would silently turn other bytes into U+FFFD).
func parseMonitorBody(r *http.Request) (*monitor.Monitor, error) {
	var fields map[string]json.RawMessage
	if err := decodeBody(r, &fields, false); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, badRequest("Request body must be a JSON object.")
	}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		if problem := invalidUTF8(fields[key], key); problem != "" {
			return nil, badRequest("%s.", problem)
		}
	}
	m, err := monitor.DecodeFields(fields)
	if err != nil {
		return nil, refused(err)
	}
	return m, nil
}

func (b *Backend) validateMonitor(ctx context.Context, m *monitor.Monitor) error {
	return refused(monitor.Validate(m, monitorLookup{ctx: ctx, st: b.store}))
}

// monitorLookup answers validation's questions from the store.
type monitorLookup struct {
	ctx context.Context
	st  store.Store
}

func (l monitorLookup) Now() time.Time { return l.st.Now() }

func (l monitorLookup) ServiceExists(name string) (bool, error) {
	_, err := l.st.GetService(l.ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

func (l monitorLookup) RoleExists(service, role string) (bool, error) {
	svc, err := l.st.GetService(l.ctx, service)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return slices.Contains(svc.Roles, role), nil
}

// writeRawJSON answers 200 with body, JSON that is already encoded (a
// monitor's canonical form, kept verbatim by the store).
func writeRawJSON(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
