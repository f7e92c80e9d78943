package client_test

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// These tests drive the typed client against the real backend (in-process,
// on a temp database): the happy paths need no fakes.

func TestHostLifecycleAgainstBackend(t *testing.T) {
	c, _ := newBackendClient(t)
	ctx := context.Background()

	id, err := c.CreateHost(ctx, &client.CreateHostParam{
		Name:             "web01",
		DisplayName:      "Web 01",
		Memo:             "first",
		CustomIdentifier: "i-0abc/1",
		RoleFullnames:    []string{"shop:web", "shop:app"},
		Interfaces:       []client.Interface{{Name: "eth0", IPAddress: "10.0.0.1", IPv4Addresses: []string{"10.0.0.1"}, MacAddress: "02:00:00:00:00:01"}},
		Meta:             client.HostMeta{AgentVersion: "0.87.0", Kernel: client.Kernel{"name": "Linux"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Fatal("CreateHost returned an empty id")
	}
	other, err := c.CreateHost(ctx, &client.CreateHostParam{Name: "db01", RoleFullnames: []string{"shop:db"}})
	if err != nil {
		t.Fatal(err)
	}

	h, err := c.FindHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if h.ID != id || h.Name != "web01" || h.DisplayName != "Web 01" || h.Memo != "first" ||
		h.CustomIdentifier != "i-0abc/1" || h.Status != client.HostStatusWorking || h.IsRetired {
		t.Errorf("FindHost = %+v", h)
	}
	if got := h.RoleFullnames(); !reflect.DeepEqual(got, []string{"shop:app", "shop:web"}) {
		t.Errorf("RoleFullnames = %v", got)
	}
	if got := h.IPAddresses(); !reflect.DeepEqual(got, map[string]string{"eth0": "10.0.0.1"}) {
		t.Errorf("IPAddresses = %v", got)
	}
	if h.Meta.AgentVersion != "0.87.0" || h.Meta.Kernel["name"] != "Linux" {
		t.Errorf("meta = %+v", h.Meta)
	}
	if age := time.Since(time.Unix(h.CreatedAt, 0)); age < -time.Minute || age > time.Minute {
		t.Errorf("createdAt = %d is not now", h.CreatedAt)
	}

	byCI, err := c.FindHostByCustomIdentifier(ctx, "I-0ABC/1", true)
	if err != nil || byCI.ID != id {
		t.Errorf("FindHostByCustomIdentifier(case-insensitive) = %+v, %v", byCI, err)
	}
	if _, err := c.FindHostByCustomIdentifier(ctx, "I-0ABC/1", false); !client.IsNotFound(err) {
		t.Errorf("case-sensitive lookup error = %v, want 404", err)
	}

	if err := c.UpdateHostStatus(ctx, id, client.HostStatusMaintenance); err != nil {
		t.Fatal(err)
	}
	ids := func(p client.FindHostsParam) []string {
		t.Helper()
		hosts, err := c.FindHosts(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, h := range hosts {
			out = append(out, h.ID)
		}
		sort.Strings(out)
		return out
	}
	// Default listing is working+standby only.
	if got := ids(client.FindHostsParam{}); !reflect.DeepEqual(got, []string{other}) {
		t.Errorf("default FindHosts = %v, want [%s]", got, other)
	}
	if got := ids(client.FindHostsParam{Statuses: []string{client.HostStatusMaintenance}}); !reflect.DeepEqual(got, []string{id}) {
		t.Errorf("maintenance hosts = %v, want [%s]", got, id)
	}
	if got := ids(client.FindHostsParam{Service: "shop", Roles: []string{"db"}}); !reflect.DeepEqual(got, []string{other}) {
		t.Errorf("shop:db hosts = %v, want [%s]", got, other)
	}

	if err := c.UpdateHostRoleFullnames(ctx, id, []string{"shop:batch"}); err != nil {
		t.Fatal(err)
	}
	if h, err = c.FindHost(ctx, id); err != nil || !reflect.DeepEqual(h.RoleFullnames(), []string{"shop:batch"}) {
		t.Errorf("after UpdateHostRoleFullnames: %v, %v", h.RoleFullnames(), err)
	}

	if _, err := c.UpdateHost(ctx, id, &client.UpdateHostParam{Name: "web01-renamed", RoleFullnames: []string{"shop:web"}}); err != nil {
		t.Fatal(err)
	}
	if h, err = c.FindHost(ctx, id); err != nil || h.Name != "web01-renamed" {
		t.Errorf("after UpdateHost: %+v, %v", h, err)
	}

	if err := c.BulkUpdateHostStatuses(ctx, []string{id, other}, client.HostStatusStandby); err != nil {
		t.Fatal(err)
	}
	if got := ids(client.FindHostsParam{Statuses: []string{client.HostStatusStandby}}); len(got) != 2 {
		t.Errorf("standby hosts = %v, want both", got)
	}

	if err := c.RetireHost(ctx, id); err != nil {
		t.Fatal(err)
	}
	if h, err = c.FindHost(ctx, id); err != nil || !h.IsRetired {
		t.Errorf("retired host = %+v, %v", h, err)
	}
	if got := ids(client.FindHostsParam{Statuses: client.HostStatuses}); !reflect.DeepEqual(got, []string{other}) {
		t.Errorf("after retire, hosts = %v, want [%s]", got, other)
	}
	if err := c.BulkRetireHosts(ctx, []string{other}); err != nil {
		t.Fatal(err)
	}
	if got := ids(client.FindHostsParam{Statuses: client.HostStatuses}); len(got) != 0 {
		t.Errorf("after bulk retire, hosts = %v", got)
	}
	if names, err := c.ListHostMetricNames(ctx, other); err != nil || len(names) != 0 {
		t.Errorf("ListHostMetricNames = %v, %v", names, err)
	}
}

func TestServicesAndMetadataAgainstBackend(t *testing.T) {
	c, _ := newBackendClient(t)
	ctx := context.Background()

	org, err := c.GetOrg(ctx)
	if err != nil || org.Name != "local" {
		t.Fatalf("GetOrg = %+v, %v", org, err)
	}

	svc, err := c.CreateService(ctx, "shop", "the shop")
	if err != nil || svc.Name != "shop" || svc.Memo != "the shop" {
		t.Fatalf("CreateService = %+v, %v", svc, err)
	}
	if role, err := c.CreateRole(ctx, "shop", "web", "front"); err != nil || role.Name != "web" || role.Memo != "front" {
		t.Fatalf("CreateRole = %+v, %v", role, err)
	}
	svcs, err := c.FindServices(ctx)
	if err != nil || len(svcs) != 1 || svcs[0].Name != "shop" || !reflect.DeepEqual(svcs[0].Roles, []string{"web"}) {
		t.Errorf("FindServices = %+v, %v", svcs, err)
	}
	roles, err := c.FindRoles(ctx, "shop")
	if err != nil || len(roles) != 1 || roles[0].Name != "web" {
		t.Errorf("FindRoles = %+v, %v", roles, err)
	}

	target := client.MetadataTarget{Service: "shop", Role: "web"}
	value := json.RawMessage(`{"owner":"team-a","ports":[80,443]}`)
	if err := c.PutMetadata(ctx, target, "deploy", value); err != nil {
		t.Fatal(err)
	}
	md, err := c.GetMetadata(ctx, target, "deploy")
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	json.Unmarshal(md.Value, &got)
	json.Unmarshal(value, &want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GetMetadata = %s, want %s", md.Value, value)
	}
	if md.LastModified.IsZero() || time.Since(md.LastModified) > time.Minute {
		t.Errorf("LastModified = %v", md.LastModified)
	}
	if ns, err := c.ListMetadataNamespaces(ctx, target); err != nil || !reflect.DeepEqual(ns, []string{"deploy"}) {
		t.Errorf("ListMetadataNamespaces = %v, %v", ns, err)
	}
	if err := c.DeleteMetadata(ctx, target, "deploy"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetMetadata(ctx, target, "deploy"); !client.IsNotFound(err) {
		t.Errorf("GetMetadata after delete: %v, want 404", err)
	}

	if role, err := c.DeleteRole(ctx, "shop", "web"); err != nil || role.Name != "web" {
		t.Errorf("DeleteRole = %+v, %v", role, err)
	}
	if svc, err := c.DeleteService(ctx, "shop"); err != nil || svc.Name != "shop" {
		t.Errorf("DeleteService = %+v, %v", svc, err)
	}
	if svcs, err := c.FindServices(ctx); err != nil || svcs == nil || len(svcs) != 0 {
		t.Errorf("FindServices after delete = %#v, %v", svcs, err)
	}
	if _, err := c.FindRoles(ctx, "shop"); !client.IsNotFound(err) {
		t.Errorf("FindRoles(deleted service) = %v, want 404", err)
	}
}
