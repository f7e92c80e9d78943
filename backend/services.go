package backend

import (
	"net/http"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

func toServiceJSON(s *store.Service) client.Service {
	return client.Service{Name: s.Name, Memo: s.Memo, Roles: s.Roles}
}

func toRoleJSON(r *store.Role) client.Role { return client.Role{Name: r.Name, Memo: r.Memo} }

func (b *Backend) listServices(w http.ResponseWriter, r *http.Request) error {
	svcs, err := b.store.ListServices(r.Context())
	if err != nil {
		return err
	}
	out := make([]client.Service, len(svcs))
	for i, s := range svcs {
		out[i] = toServiceJSON(s)
	}
	writeJSON(w, http.StatusOK, map[string]any{"services": out})
	return nil
}

func (b *Backend) createService(w http.ResponseWriter, r *http.Request) error {
	var body client.Role
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
	svc, err := b.engine.DeleteService(r.Context(), r.PathValue("service"))
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
	out := make([]client.Role, len(roles))
	for i, role := range roles {
		out[i] = toRoleJSON(role)
	}
	writeJSON(w, http.StatusOK, map[string]any{"roles": out})
	return nil
}

func (b *Backend) createRole(w http.ResponseWriter, r *http.Request) error {
	var body client.Role
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
	writeJSON(w, http.StatusOK, toRoleJSON(role))
	return nil
}

func (b *Backend) deleteRole(w http.ResponseWriter, r *http.Request) error {
	role, err := b.store.DeleteRole(r.Context(), r.PathValue("service"), r.PathValue("role"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toRoleJSON(role))
	return nil
}
