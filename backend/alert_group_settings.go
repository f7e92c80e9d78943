package backend

import (
	"bytes"
	"net/http"
	"slices"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// msgAlertGroupSettingNotFound answers an unknown setting id.
const msgAlertGroupSettingNotFound = "Alert group setting not found."

func (b *Backend) alertGroupSettingRoutes() {
	nf := route{notFound: msgAlertGroupSettingNotFound}
	b.handle("GET /api/v0/alert-group-settings", b.listAlertGroupSettings, route{})
	b.handle("POST /api/v0/alert-group-settings", b.createAlertGroupSetting, route{})
	b.handle("GET /api/v0/alert-group-settings/{alertGroupSettingId}", b.getAlertGroupSetting, nf)
	b.handle("PUT /api/v0/alert-group-settings/{alertGroupSettingId}", b.updateAlertGroupSetting, nf)
	b.handle("DELETE /api/v0/alert-group-settings/{alertGroupSettingId}", b.deleteAlertGroupSetting, nf)
}

// answeredSetting is a stored setting as answered: without the scopes
// that name services, roles or monitors deleted since it was written.
func answeredSetting(a *store.AlertGroupSetting, lk notifygroup.Lookup) ([]byte, error) {
	s, err := storedSetting(a)
	if err != nil {
		return nil, err
	}
	if _, err := notifygroup.PruneSetting(s, lk); err != nil {
		return nil, err
	}
	return notifygroup.EncodeSetting(s), nil
}

func storedSetting(a *store.AlertGroupSetting) (*notifygroup.AlertGroupSetting, error) {
	s, err := notifygroup.DecodeSetting(a.Body)
	if err != nil {
		return nil, err // a stored body is always canonical
	}
	s.ID = a.ID
	s.Normalize()
	return s, nil
}

func (b *Backend) listAlertGroupSettings(w http.ResponseWriter, r *http.Request) error {
	list, err := b.store.ListAlertGroupSettings(r.Context())
	if err != nil {
		return err
	}
	lk := refLookup(r, b.store)
	bodies := make([][]byte, len(list))
	for i, a := range list {
		if bodies[i], err = answeredSetting(a, lk); err != nil {
			return err
		}
	}
	writeRawJSON(w, slices.Concat([]byte(`{"alertGroupSettings":[`), bytes.Join(bodies, []byte(",")), []byte(`]}`)))
	return nil
}

func (b *Backend) getAlertGroupSetting(w http.ResponseWriter, r *http.Request) error {
	a, err := b.store.GetAlertGroupSetting(r.Context(), r.PathValue("alertGroupSettingId"))
	if err != nil {
		return err
	}
	body, err := answeredSetting(a, refLookup(r, b.store))
	if err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

// readSetting decodes a create or update body.
func readSetting(r *http.Request) (*notifygroup.AlertGroupSetting, error) {
	fields, err := parseObjectBody(r)
	if err != nil {
		return nil, err
	}
	s, err := notifygroup.DecodeSettingFields(fields)
	if err != nil {
		return nil, refused(err)
	}
	return s, nil
}

func (b *Backend) createAlertGroupSetting(w http.ResponseWriter, r *http.Request) error {
	s, err := readSetting(r)
	if err != nil {
		return err
	}
	s.ID = store.NewID() // server-assigned: an id in the body is ignored
	s.Normalize()
	if err := notifygroup.ValidateSetting(s, refLookup(r, b.store)); err != nil {
		return refused(err)
	}
	body := notifygroup.EncodeSetting(s)
	if err := b.store.CreateAlertGroupSetting(r.Context(), &store.AlertGroupSetting{ID: s.ID, Body: body}); err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

// updateAlertGroupSetting replaces the whole setting, as the API
// documents (the body is the same as a create's).
func (b *Backend) updateAlertGroupSetting(w http.ResponseWriter, r *http.Request) error {
	a, err := b.store.GetAlertGroupSetting(r.Context(), r.PathValue("alertGroupSettingId"))
	if err != nil {
		return err
	}
	upd, err := readSetting(r)
	if err != nil {
		return err
	}
	cur, err := storedSetting(a)
	if err != nil {
		return err
	}
	next := notifygroup.MergeSetting(cur, upd)
	if err := notifygroup.ValidateSetting(next, refLookup(r, b.store)); err != nil {
		return refused(err)
	}
	body := notifygroup.EncodeSetting(next)
	if err := b.store.UpdateAlertGroupSetting(r.Context(), &store.AlertGroupSetting{ID: next.ID, Body: body}); err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

func (b *Backend) deleteAlertGroupSetting(w http.ResponseWriter, r *http.Request) error {
	a, err := b.store.DeleteAlertGroupSetting(r.Context(), r.PathValue("alertGroupSettingId"))
	if err != nil {
		return err
	}
	body, err := answeredSetting(a, refLookup(r, b.store))
	if err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}
