package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
)

// Deleting a role drops hosts' membership in it and its metadata, and
// nothing of its sibling roles.
func testDeleteRoleCascades(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	id, err := st.CreateHost(ctx, store.NewHost{Name: "h", Status: "working",
		Roles: []store.RoleRef{{Service: "web", Role: "app"}, {Service: "web", Role: "db"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []string{"app", "db"} {
		if err := st.PutMetadata(ctx, store.MetadataOwner{Service: "web", Role: role}, "ns", []byte(`1`)); err != nil {
			t.Fatal(err)
		}
	}

	role, err := st.DeleteRole(ctx, "web", "app")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := *role, (store.Role{Service: "web", Name: "app"}); got != want {
		t.Fatalf("DeleteRole = %+v, want %+v", got, want)
	}
	h, err := st.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Roles, map[string][]string{"web": {"db"}}; !reflect.DeepEqual(got, want) {
		t.Fatalf("host roles = %v, want %v", got, want)
	}
	if _, err := st.CreateRole(ctx, "web", "app", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.GetMetadata(ctx, store.MetadataOwner{Service: "web", Role: "app"}, "ns"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("metadata of a recreated role: err = %v, want ErrNotFound", err)
	}
	if _, _, err := st.GetMetadata(ctx, store.MetadataOwner{Service: "web", Role: "db"}, "ns"); err != nil {
		t.Fatalf("metadata of the sibling role: %v", err)
	}
	if _, err := st.DeleteRole(ctx, "web", "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteRole of an unknown role: err = %v, want ErrNotFound", err)
	}
}

// Services and roles: create, list, conflicts, and deleting a service
// with everything that belongs to it.
func testServices(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	if svc, err := st.CreateService(ctx, "web", "memo"); err != nil || !reflect.DeepEqual(*svc, store.Service{Name: "web", Memo: "memo", Roles: []string{}}) {
		t.Fatalf("CreateService = %+v, %v", svc, err)
	}
	if _, err := st.CreateService(ctx, "web", ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second CreateService: err = %v, want ErrConflict", err)
	}
	if _, err := st.CreateRole(ctx, "web", "db", "d"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateRole(ctx, "web", "app", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateRole(ctx, "web", "app", ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second CreateRole: err = %v, want ErrConflict", err)
	}
	if _, err := st.CreateRole(ctx, "nosvc", "app", ""); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("CreateRole in an unknown service: err = %v, want ErrNotFound", err)
	}
	mustService(t, st, "api")
	svcs, err := st.ListServices(ctx)
	if err != nil || len(svcs) != 2 || svcs[0].Name != "api" || !reflect.DeepEqual(svcs[1].Roles, []string{"app", "db"}) {
		t.Fatalf("ListServices = %+v, %v", svcs, err)
	}
	roles, err := st.ListRoles(ctx, "web")
	if err != nil || len(roles) != 2 || *roles[1] != (store.Role{Service: "web", Name: "db", Memo: "d"}) {
		t.Fatalf("ListRoles = %+v, %v", roles, err)
	}
	if r, err := st.GetRole(ctx, "web", "db"); err != nil || r.Memo != "d" {
		t.Fatalf("GetRole = %+v, %v", r, err)
	}
	id := mustHost(t, st, "h", store.RoleRef{Service: "web", Role: "app"})
	if err := st.PutMetadata(ctx, store.MetadataOwner{Service: "web"}, "ns", []byte(`1`)); err != nil {
		t.Fatal(err)
	}
	if err := st.InsertPoints(ctx, []store.SeriesPoint{sp(store.ServiceSeries("web", "req"), 100, 1)}); err != nil {
		t.Fatal(err)
	}
	if svc, err := st.DeleteService(ctx, "web"); err != nil || svc.Name != "web" || len(svc.Roles) != 2 {
		t.Fatalf("DeleteService = %+v, %v", svc, err)
	}
	if _, err := st.GetService(ctx, "web"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetService after delete: err = %v, want ErrNotFound", err)
	}
	if h, err := st.GetHost(ctx, id); err != nil || len(h.Roles) != 0 {
		t.Fatalf("host roles after deleting the service = %v, %v", h.Roles, err)
	}
	mustService(t, st, "web")
	if _, _, err := st.GetMetadata(ctx, store.MetadataOwner{Service: "web"}, "ns"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("metadata of a re-created service: err = %v, want ErrNotFound", err)
	}
	if names, err := st.MetricNames(ctx, "service", "web"); err != nil || len(names) != 0 {
		t.Fatalf("metrics of a re-created service = %v, %v", names, err)
	}
}

// Metadata of hosts, services and roles: put, get, list, delete, quota,
// and retired hosts.
func testMetadata(t *testing.T, open Opener) {
	st, clock := openAt(t, open)
	ctx := context.Background()
	id := mustHost(t, st, "h")
	mustService(t, st, "web", "app")
	owners := []store.MetadataOwner{{HostID: id}, {Service: "web"}, {Service: "web", Role: "app"}}
	for _, o := range owners {
		if err := st.PutMetadata(ctx, o, "b", []byte(`{"x":1}`)); err != nil {
			t.Fatalf("%+v: %v", o, err)
		}
		clock.Advance(time.Second)
		if err := st.PutMetadata(ctx, o, "a", []byte(`[1]`)); err != nil {
			t.Fatal(err)
		}
		if err := st.PutMetadata(ctx, o, "b", []byte(`2`)); err != nil {
			t.Fatal(err)
		}
		v, updated, err := st.GetMetadata(ctx, o, "b")
		if err != nil || string(v) != "2" || updated != clock.Now().Unix() {
			t.Fatalf("%+v: GetMetadata = %s, %d, %v", o, v, updated, err)
		}
		if names, err := st.ListMetadata(ctx, o); err != nil || !reflect.DeepEqual(names, []string{"a", "b"}) {
			t.Fatalf("%+v: ListMetadata = %v, %v", o, names, err)
		}
		if err := st.DeleteMetadata(ctx, o, "a"); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteMetadata(ctx, o, "a"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("%+v: second delete: err = %v, want ErrNotFound", o, err)
		}
	}
	for _, o := range []store.MetadataOwner{{HostID: "nope"}, {Service: "nope"}, {Service: "web", Role: "nope"}} {
		if _, err := st.ListMetadata(ctx, o); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%+v: ListMetadata: err = %v, want ErrNotFound", o, err)
		}
	}
	role := owners[2]
	for i := 1; i < store.MetadataQuota["role"]; i++ {
		if err := st.PutMetadata(ctx, role, fmt.Sprintf("n%02d", i), []byte(`1`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutMetadata(ctx, role, "over", []byte(`1`)); !errors.Is(err, store.ErrLimit) {
		t.Fatalf("namespace over the quota: err = %v, want ErrLimit", err)
	}
	if err := st.PutMetadata(ctx, role, "b", []byte(`3`)); err != nil {
		t.Fatalf("overwriting within the quota: %v", err)
	}
	if err := engine.New(st).RetireHosts(ctx, []string{id}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutMetadata(ctx, owners[0], "b", []byte(`1`)); !errors.Is(err, store.ErrRetired) {
		t.Fatalf("write to a retired host: err = %v, want ErrRetired", err)
	}
	if _, _, err := st.GetMetadata(ctx, owners[0], "b"); err != nil {
		t.Fatalf("read of a just retired host: %v", err)
	}
}
