package backend

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/mkr-dev/mkr/backend/dashboard"
	"github.com/mkr-dev/mkr/backend/store"
)

// msgDashboardNotFound answers an unknown dashboard id.
const msgDashboardNotFound = "Dashboard not found."

// dashboardRoutes registers the custom dashboards of /api/v0/dashboards.
func (b *Backend) dashboardRoutes() {
	nf := route{notFound: msgDashboardNotFound}
	b.handle("GET /api/v0/dashboards", b.listDashboards, route{})
	b.handle("POST /api/v0/dashboards", b.createDashboard, route{})
	b.handle("GET /api/v0/dashboards/{dashboardId}", b.getDashboard, nf)
	b.handle("PUT /api/v0/dashboards/{dashboardId}", b.updateDashboard, nf)
	b.handle("DELETE /api/v0/dashboards/{dashboardId}", b.deleteDashboard, nf)
}

// listDashboards answers every dashboard without its widgets, as the API
// lists them (mackerel-client-go's fixture has none either).
func (b *Backend) listDashboards(w http.ResponseWriter, r *http.Request) error {
	list, err := b.store.ListDashboards(r.Context())
	if err != nil {
		return err
	}
	bodies := make([][]byte, len(list))
	for i, row := range list {
		d, err := dashboard.Decode(row.Body)
		if err != nil {
			return err // a stored body is always canonical
		}
		bodies[i] = dashboard.EncodeListed(d)
	}
	writeRawJSON(w, slices.Concat([]byte(`{"dashboards":[`), bytes.Join(bodies, []byte(",")), []byte(`]}`)))
	return nil
}

func (b *Backend) getDashboard(w http.ResponseWriter, r *http.Request) error {
	row, err := b.store.GetDashboard(r.Context(), r.PathValue("dashboardId"))
	if err != nil {
		return err
	}
	return b.writeDashboard(w, r, row)
}

// writeDashboard answers a stored dashboard with what it references but
// no longer exists marked as such ({"type":"unknown"}, a null
// roleFullname). The stored body keeps the reference: a read marks it,
// only a write replaces it.
func (b *Backend) writeDashboard(w http.ResponseWriter, r *http.Request, row *store.Dashboard) error {
	d, err := dashboard.Decode(row.Body)
	if err != nil {
		return err
	}
	if err := dashboard.MarkStale(d, newDashboardLookup(r, b.store)); err != nil {
		return err
	}
	writeRawJSON(w, dashboard.Encode(d))
	return nil
}

// createDashboard validates the whole dashboard before the one write; a
// urlPath in use is 409, as the API documents.
func (b *Backend) createDashboard(w http.ResponseWriter, r *http.Request) error {
	d, err := b.readDashboard(r)
	if err != nil {
		return err
	}
	now := b.store.Now().Unix()
	d.ID, d.CreatedAt, d.UpdatedAt = store.NewID(), now, now // an id or times in the body (a pulled file) are ignored
	body := dashboard.Encode(d)
	if err := b.store.CreateDashboard(r.Context(), &store.Dashboard{ID: d.ID, URLPath: d.URLPath, Body: body}); err != nil {
		return dashboardConflict(err)
	}
	writeRawJSON(w, body)
	return nil
}

// updateDashboard replaces the whole dashboard (what the body leaves out is
// gone, as with the hosted API); createdAt stays.
func (b *Backend) updateDashboard(w http.ResponseWriter, r *http.Request) error {
	cur, err := b.store.GetDashboard(r.Context(), r.PathValue("dashboardId"))
	if err != nil {
		return err
	}
	old, err := dashboard.Decode(cur.Body)
	if err != nil {
		return err
	}
	d, err := b.readDashboard(r)
	if err != nil {
		return err
	}
	d.ID, d.CreatedAt, d.UpdatedAt = cur.ID, old.CreatedAt, b.store.Now().Unix()
	body := dashboard.Encode(d)
	if err := b.store.UpdateDashboard(r.Context(), &store.Dashboard{ID: d.ID, URLPath: d.URLPath, Body: body}); err != nil {
		return dashboardConflict(err)
	}
	writeRawJSON(w, body)
	return nil
}

// deleteDashboard answers the dashboard as it was.
func (b *Backend) deleteDashboard(w http.ResponseWriter, r *http.Request) error {
	row, err := b.store.DeleteDashboard(r.Context(), r.PathValue("dashboardId"))
	if err != nil {
		return err
	}
	return b.writeDashboard(w, r, row)
}

// readDashboard decodes, normalizes and validates a request's dashboard.
func (b *Backend) readDashboard(r *http.Request) (*dashboard.Dashboard, error) {
	fields, err := parseObjectBody(r)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(fields)
	if err != nil {
		return nil, err
	}
	d, err := dashboard.Decode(raw)
	if err != nil {
		return nil, refused(err)
	}
	d.Normalize()
	if err := dashboard.Validate(d, newDashboardLookup(r, b.store)); err != nil {
		return nil, refused(err)
	}
	return d, nil
}

// dashboardConflict answers a urlPath in use with 409, as the API
// documents (other conflicts of the store are 400 like everywhere else).
func dashboardConflict(err error) error {
	if se, ok := store.IsKind(err, store.KindConflict); ok && se.Resource == "dashboard" {
		return errorf(http.StatusConflict, "%s.", se.Detail())
	}
	return err
}

// dashboardLookup answers dashboard.Validate and MarkStale from the store,
// asking once per name in a request. Hosts are retired, never deleted, and
// a retired host's metrics stay readable: a host reference never goes
// stale; role and service references do when those are deleted.
type dashboardLookup struct {
	*references
	hosts map[string]bool
}

func newDashboardLookup(r *http.Request, st store.Store) *dashboardLookup {
	return &dashboardLookup{references: refLookup(r, st), hosts: map[string]bool{}}
}

func (l *dashboardLookup) HostExists(id string) (bool, error) {
	return remember(l.hosts, id, func() (bool, error) { return exists(nil, l.st.HostExists(l.reqCtx(), id)) })
}
