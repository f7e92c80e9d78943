package backend

import (
	"net/http"

	"github.com/mkr-dev/mkr/backend/store"
)

type serviceJSON struct {
	Name  string   `json:"name"`
	Memo  string   `json:"memo"`
	Roles []string `json:"roles"`
}

type roleJSON struct {
	Name string `json:"name"`
	Memo string `json:"memo"`
}

func toServiceJSON(s *store.Service) serviceJSON {
	return serviceJSON{Name: s.Name, Memo: s.Memo, Roles: s.Roles}
}

func (b *Backend) listServices(w http.ResponseWriter, r *http.Request) error {
	svcs, err := b.store.ListServices(r.Context())
	if err != nil {
		return err
	}
	out := make([]serviceJSON, len(svcs))
	for i, s := range svcs {
		out[i] = toServiceJSON(s)
	}
	writeJSON(w, http.StatusOK, map[string]any{"services": out})
	return nil
}

type nameMemo struct {
	Name string `json:"name"`
	Memo string `json:"memo"`
}

func (b *Backend) createService(w http.ResponseWriter, r *http.Request) error {
	var body nameMemo
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if err := checkServiceName("service", body.Name); err != nil {
		return err
	}
	svc, err := b.store.CreateService(r.Context(), body.Name, body.Memo)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toServiceJSON(svc))
	return nil
}

func (b *Backend) deleteService(w http.ResponseWriter, r *http.Request) error {
	svc, err := b.store.DeleteService(r.Context(), r.PathValue("service"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toServiceJSON(svc))
	return nil
}

func (b *Backend) listRoles(w http.ResponseWriter, r *http.Request) error {
	roles, err := b.store.ListRoles(r.Context(), r.PathValue("service"))
	if err != nil {
		return err
	}
	out := make([]roleJSON, len(roles))
	for i, role := range roles {
		out[i] = roleJSON{Name: role.Name, Memo: role.Memo}
	}
	writeJSON(w, http.StatusOK, map[string]any{"roles": out})
	return nil
}

func (b *Backend) createRole(w http.ResponseWriter, r *http.Request) error {
	var body nameMemo
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if err := checkServiceName("role", body.Name); err != nil {
		return err
	}
	role, err := b.store.CreateRole(r.Context(), r.PathValue("service"), body.Name, body.Memo)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, roleJSON{Name: role.Name, Memo: role.Memo})
	return nil
}

func (b *Backend) deleteRole(w http.ResponseWriter, r *http.Request) error {
	role, err := b.store.DeleteRole(r.Context(), r.PathValue("service"), r.PathValue("role"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, roleJSON{Name: role.Name, Memo: role.Memo})
	return nil
}
