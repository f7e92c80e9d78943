package backend

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// hostJSON is the wire form of a host. Not client.Host: meta and
// interfaces are passed through as stored (so listing thousands of hosts
// decodes nothing, and unknown meta keys survive), retiredAt is sent, and
// the key order is the hosted API's. statusChangedAt is mkr's own: when the
// status last changed (the hosted API has no such key; mackerel-client-go
// and upstream mkr ignore it).
type hostJSON struct {
	ID               string              `json:"id"`
	Name             string              `json:"name"`
	DisplayName      string              `json:"displayName,omitempty"`
	CustomIdentifier string              `json:"customIdentifier,omitempty"`
	Size             string              `json:"size"`
	Status           string              `json:"status"`
	Memo             string              `json:"memo"`
	IsRetired        bool                `json:"isRetired"`
	RetiredAt        int64               `json:"retiredAt,omitempty"`
	CreatedAt        int64               `json:"createdAt"`
	StatusChangedAt  int64               `json:"statusChangedAt,omitempty"`
	Roles            map[string][]string `json:"roles"`
	Meta             json.RawMessage     `json:"meta"`
	Interfaces       json.RawMessage     `json:"interfaces"`
}

func toHostJSON(h *store.Host) hostJSON {
	return hostJSON{
		ID: h.ID, Name: h.Name, DisplayName: h.DisplayName, CustomIdentifier: h.CustomIdentifier,
		Size: h.Size, Status: h.Status, Memo: h.Memo, IsRetired: h.IsRetired, RetiredAt: h.RetiredAt,
		CreatedAt: h.CreatedAt, StatusChangedAt: h.StatusChangedAt, Roles: h.Roles, Meta: h.Meta, Interfaces: h.Interfaces,
	}
}

// maxFilterValues bounds repeated query values (a role list of a service).
const maxFilterValues = 1000

func (b *Backend) listHosts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.HostFilter{
		Service:          q.Get("service"),
		Name:             q.Get("name"),
		Statuses:         q["status"],
		CustomIdentifier: q.Get("customIdentifier"),
	}
	if f.Service != "" {
		f.Roles = q["role"]
	}
	for _, st := range f.Statuses {
		if err := checkHostStatus(st); err != nil {
			return err
		}
	}
	if len(f.Roles) > maxFilterValues || len(f.Statuses) > maxFilterValues {
		return badRequest("Too many role or status values: at most %d each.", maxFilterValues)
	}
	if len(f.Statuses) == 0 {
		f.Statuses = []string{client.HostStatusWorking, client.HostStatusStandby}
	}
	// mkr's own client says when it prints no meta; every host then
	// carries "meta":{} and the store never reads the stored documents.
	f.SkipMeta = r.Header.Get(client.HeaderOmitMeta) != ""
	return b.streamHosts(w, r, f)
}

func (b *Backend) getHost(w http.ResponseWriter, r *http.Request) error {
	h, err := b.store.GetHost(r.Context(), r.PathValue("hostId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"host": toHostJSON(h)})
	return nil
}

func (b *Backend) hostByCustomIdentifier(w http.ResponseWriter, r *http.Request) error {
	ci := r.PathValue("customIdentifier")
	h, err := b.store.FindHostByCustomIdentifier(r.Context(), ci, r.URL.Query().Get("caseInsensitive") == "true")
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"host": toHostJSON(h)})
	return nil
}

func (b *Backend) createHost(w http.ResponseWriter, r *http.Request) error {
	hb, err := parseHostBody(r)
	if err != nil {
		return err
	}
	if hb.Name == nil || strings.TrimSpace(*hb.Name) == "" {
		return badRequest("name is required.")
	}
	in := store.NewHost{
		Name: *hb.Name, Status: b.opts.DefaultHostStatus,
		Meta: hb.Meta, Interfaces: hb.Interfaces, Checks: hb.Checks, Roles: hb.Roles,
	}
	if hb.DisplayName != nil {
		in.DisplayName = *hb.DisplayName
	}
	if hb.CustomIdentifier != nil {
		in.CustomIdentifier = *hb.CustomIdentifier
	}
	if hb.Memo != nil {
		in.Memo = *hb.Memo
	}
	id, err := b.store.CreateHost(r.Context(), in)
	if err != nil {
		return err
	}
	b.noteEvent(b.engine.RecordHostEvents(r.Context(), store.EventHostRegister, []string{id}, ""))
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
	return nil
}

func (b *Backend) updateHost(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("hostId")
	hb, err := parseHostBody(r)
	if err != nil {
		return err
	}
	if hb.Name != nil && strings.TrimSpace(*hb.Name) == "" {
		return badRequest("name must not be empty.")
	}
	err = b.store.UpdateHost(r.Context(), id, store.HostChanges{
		Name: hb.Name, DisplayName: hb.DisplayName, CustomIdentifier: hb.CustomIdentifier, Memo: hb.Memo,
		Meta: hb.Meta, Interfaces: hb.Interfaces, Checks: hb.Checks, AddRoles: hb.Roles,
	})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
	return nil
}

func (b *Backend) updateHostStatus(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Status string `json:"status"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if err := checkHostStatus(body.Status); err != nil {
		return err
	}
	if err := b.store.SetHostStatus(r.Context(), []string{r.PathValue("hostId")}, body.Status); err != nil {
		return err
	}
	b.noteEvent(b.engine.RecordHostEvents(r.Context(), store.EventHostStatus, []string{r.PathValue("hostId")}, body.Status))
	writeJSON(w, http.StatusOK, success)
	return nil
}

func checkBulkIDs(ids []string) error {
	if len(ids) == 0 {
		return badRequest("ids must not be empty.")
	}
	if len(ids) > client.MaxHostIDsPerBulkRequest {
		return badRequest("Too many ids: at most %d hosts per request.", client.MaxHostIDsPerBulkRequest)
	}
	return nil
}

func (b *Backend) bulkUpdateHostStatuses(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		IDs    []string `json:"ids"`
		Status string   `json:"status"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if err := checkBulkIDs(body.IDs); err != nil {
		return err
	}
	if err := checkHostStatus(body.Status); err != nil {
		return err
	}
	if err := b.store.SetHostStatus(r.Context(), body.IDs, body.Status); err != nil {
		return err
	}
	b.noteEvent(b.engine.RecordHostEvents(r.Context(), store.EventHostStatus, body.IDs, body.Status))
	writeJSON(w, http.StatusOK, success)
	return nil
}

func (b *Backend) updateHostRoles(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		RoleFullnames []string `json:"roleFullnames"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	roles, err := parseRoleFullnames(body.RoleFullnames)
	if err != nil {
		return err
	}
	if err := b.store.SetHostRoles(r.Context(), r.PathValue("hostId"), roles); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

func (b *Backend) retireHost(w http.ResponseWriter, r *http.Request) error {
	// The body is {} per the docs and null from mackerel-client-go.
	var ignored json.RawMessage
	if err := decodeBody(r, &ignored, true); err != nil {
		return err
	}
	if err := b.engine.RetireHosts(r.Context(), []string{r.PathValue("hostId")}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

func (b *Backend) bulkRetireHosts(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		IDs []string `json:"ids"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if err := checkBulkIDs(body.IDs); err != nil {
		return err
	}
	if err := b.engine.RetireHosts(r.Context(), body.IDs); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

func (b *Backend) hostMetricNames(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("hostId")
	if err := b.store.HostExists(r.Context(), id); err != nil {
		return err
	}
	return b.writeMetricNames(w, r, "host", id)
}
