package backend_test

// The compatibility suite drives the official mackerel-client-go v0.46.0
// against the handler over a real loopback HTTP server, endpoint by
// endpoint, and asserts the values the client decodes. This file covers
// the organization, services and roles; compat_hosts_test.go and
// compat_metadata_test.go cover the rest.

import (
	"context"
	"reflect"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

func TestCompatOrg(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)

	org, err := mc.GetOrg()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *org, (mackerel.Org{Name: "local"}); got != want {
		t.Fatalf("GetOrg = %+v, want %+v", got, want)
	}
	// The hosted API sends displayName null, not "" or absent.
	resp := serve(t, env.Handler, "GET", "/api/v0/org", "")
	if got, want := string(resp.body), `{"name":"local","displayName":null}`; got != want {
		t.Fatalf("body = %s, want %s", got, want)
	}
}

func TestCompatServices(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)

	svcs, err := mc.FindServices()
	if err != nil {
		t.Fatal(err)
	}
	if svcs == nil || len(svcs) != 0 {
		t.Fatalf("FindServices on an empty org = %#v, want an empty non-nil list", svcs)
	}

	for _, p := range []mackerel.CreateServiceParam{{Name: "web", Memo: "frontend"}, {Name: "Db-01"}} {
		got, err := mc.CreateService(&p)
		if err != nil {
			t.Fatalf("CreateService(%s): %v", p.Name, err)
		}
		if want := (&mackerel.Service{Name: p.Name, Memo: p.Memo, Roles: []string{}}); !reflect.DeepEqual(got, want) {
			t.Fatalf("CreateService = %+v, want %+v", got, want)
		}
	}
	for _, r := range []string{"web-app", "api"} {
		if _, err := mc.CreateRole("web", &mackerel.CreateRoleParam{Name: r}); err != nil {
			t.Fatal(err)
		}
	}

	svcs, err = mc.FindServices()
	if err != nil {
		t.Fatal(err)
	}
	want := []*mackerel.Service{
		{Name: "Db-01", Memo: "", Roles: []string{}},
		{Name: "web", Memo: "frontend", Roles: []string{"api", "web-app"}},
	}
	if !reflect.DeepEqual(svcs, want) {
		t.Fatalf("FindServices = %s, want %s", mustJSON(t, svcs), mustJSON(t, want))
	}

	deleted, err := mc.DeleteServiceContext(context.Background(), "web")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(deleted, want[1]) {
		t.Fatalf("DeleteService = %+v, want the service as it was %+v", deleted, want[1])
	}
	svcs, err = mc.FindServices()
	if err != nil {
		t.Fatal(err)
	}
	if len(svcs) != 1 || svcs[0].Name != "Db-01" {
		t.Fatalf("FindServices after delete = %s, want only Db-01", mustJSON(t, svcs))
	}

	_, err = mc.DeleteService("web")
	wantAPIError(t, err, 404, "Service not found.")
	_, err = mc.CreateService(&mackerel.CreateServiceParam{Name: "Db-01"})
	wantAPIError(t, err, 400, "service Db-01 already exists")
}

func TestCompatRoles(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	env.MustCreateService(t, "web")

	roles, err := mc.FindRoles("web")
	if err != nil {
		t.Fatal(err)
	}
	if roles == nil || len(roles) != 0 {
		t.Fatalf("FindRoles of a new service = %#v, want an empty non-nil list", roles)
	}

	for _, p := range []mackerel.CreateRoleParam{{Name: "db", Memo: "primary"}, {Name: "app"}} {
		got, err := mc.CreateRole("web", &p)
		if err != nil {
			t.Fatal(err)
		}
		if want := mackerel.Role(p); *got != want {
			t.Fatalf("CreateRole = %+v, want %+v", *got, want)
		}
	}
	roles, err = mc.FindRoles("web")
	if err != nil {
		t.Fatal(err)
	}
	want := []*mackerel.Role{{Name: "app"}, {Name: "db", Memo: "primary"}}
	if !reflect.DeepEqual(roles, want) {
		t.Fatalf("FindRoles = %s, want %s (sorted by name)", mustJSON(t, roles), mustJSON(t, want))
	}

	deleted, err := mc.DeleteRole("web", "db")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *deleted, (mackerel.Role{Name: "db", Memo: "primary"}); got != want {
		t.Fatalf("DeleteRole = %+v, want %+v", got, want)
	}
	roles, err = mc.FindRoles("web")
	if err != nil {
		t.Fatal(err)
	}
	if len(roles) != 1 || roles[0].Name != "app" {
		t.Fatalf("FindRoles after delete = %s, want only app", mustJSON(t, roles))
	}

	_, err = mc.DeleteRole("web", "db")
	wantAPIError(t, err, 404, "Role not found.")
	_, err = mc.FindRoles("nope")
	wantAPIError(t, err, 404, "Service not found.")
	_, err = mc.CreateRole("nope", &mackerel.CreateRoleParam{Name: "app"})
	wantAPIError(t, err, 404, "Service not found.")
	_, err = mc.CreateRole("web", &mackerel.CreateRoleParam{Name: "app"})
	wantAPIError(t, err, 400, "role web:app already exists")
}

// Deleting a service removes its roles, every host's membership in them and
// the metadata of the service and of its roles; other services are untouched.
func TestCompatDeleteServiceCascades(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	id := env.MustCreateHost(t, store.NewHost{Name: "h1", Roles: []store.RoleRef{
		{Service: "web", Role: "app"}, {Service: "web", Role: "db"}, {Service: "batch", Role: "cron"},
	}})
	for _, put := range []func() error{
		func() error { return mc.PutServiceMetaData("web", "ns", map[string]any{"a": 1}) },
		func() error { return mc.PutRoleMetaData("web", "app", "ns", "role") },
		func() error { return mc.PutServiceMetaData("batch", "ns", true) },
		func() error { return mc.PutRoleMetaData("batch", "cron", "ns", 2) },
	} {
		if err := put(); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := mc.DeleteService("web"); err != nil {
		t.Fatal(err)
	}

	h, err := mc.FindHost(id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Roles, (mackerel.Roles{"batch": {"cron"}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("host roles after deleting web = %v, want %v", got, want)
	}
	hosts, err := mc.FindHosts(&mackerel.FindHostsParam{Service: "web"})
	if err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 0 {
		t.Fatalf("hosts of the deleted service = %d, want 0", len(hosts))
	}

	// Recreating the service must not resurrect anything.
	if _, err := mc.CreateService(&mackerel.CreateServiceParam{Name: "web"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mc.CreateRole("web", &mackerel.CreateRoleParam{Name: "app"}); err != nil {
		t.Fatal(err)
	}
	_, err = mc.GetServiceMetaData("web", "ns")
	wantAPIError(t, err, 404, "Metadata not found.")
	_, err = mc.GetRoleMetaData("web", "app", "ns")
	wantAPIError(t, err, 404, "Metadata not found.")
	if h, err = mc.FindHost(id); err != nil || len(h.Roles["web"]) != 0 {
		t.Fatalf("host roles after recreating web = %v (err %v), want no web roles", h.Roles, err)
	}

	// The other service kept its metadata.
	md, err := mc.GetRoleMetaData("batch", "cron", "ns")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := md.RoleMetaData, any(float64(2)); got != want {
		t.Fatalf("batch:cron metadata = %v, want %v", got, want)
	}
	if _, err := mc.GetServiceMetaData("batch", "ns"); err != nil {
		t.Fatal(err)
	}
}
