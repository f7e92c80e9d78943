package backend_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
)

// agentHost is a registration as mackerel-agent sends it: full meta, the
// plural address arrays only, roles and checks.
func agentHost() *mackerel.CreateHostParam {
	return &mackerel.CreateHostParam{
		Name:             "db001",
		DisplayName:      "db primary",
		Memo:             "hello",
		CustomIdentifier: "i-0123.ec2.amazonaws.com",
		Meta: mackerel.HostMeta{
			AgentName: "mackerel-agent/0.87.0 (Revision abc1234)", AgentVersion: "0.87.0", AgentRevision: "abc1234",
			Kernel:     mackerel.Kernel{"name": "Linux", "release": "6.1.0"},
			Memory:     mackerel.Memory{"total": "3916782kB"},
			CPU:        mackerel.CPU{{"model_name": "Xeon", "mhz": "2400"}},
			Filesystem: mackerel.FileSystem{"/dev/sda1": map[string]any{"kb_size": float64(20509264), "mount": "/"}},
		},
		Interfaces: []mackerel.Interface{{
			Name: "eth0", MacAddress: "02:02:02:02:02:02",
			IPv4Addresses: []string{"10.0.0.5", "10.0.0.6"}, IPv6Addresses: []string{"fe80::1"},
		}},
		RoleFullnames: []string{"My-Service:db-master", "My-Service:db-slave"},
		Checks:        []mackerel.CheckConfig{{Name: "mysql", Memo: "check mysql"}, {Name: "nginx"}},
	}
}

func TestCompatHostCreateAndGet(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	id, err := mc.CreateHost(agentHost())
	if err != nil {
		t.Fatal(err)
	}
	if len(id) != 11 {
		t.Fatalf("host id %q: want an 11-character id", id)
	}
	got, err := mc.FindHost(id)
	if err != nil {
		t.Fatal(err)
	}
	p := agentHost()
	want := &mackerel.Host{
		ID: id, Name: p.Name, DisplayName: p.DisplayName, CustomIdentifier: p.CustomIdentifier,
		Size: "standard", Status: "working", Memo: p.Memo, IsRetired: false,
		CreatedAt: int32(backendtest.Epoch.Unix()),
		Roles:     mackerel.Roles{"My-Service": {"db-master", "db-slave"}},
		Meta:      p.Meta,
		Interfaces: []mackerel.Interface{{
			Name: "eth0", MacAddress: "02:02:02:02:02:02", IPAddress: "10.0.0.5",
			IPv4Addresses: []string{"10.0.0.5", "10.0.0.6"}, IPv6Addresses: []string{"fe80::1"},
		}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("FindHost =\n%s\nwant\n%s", mustJSON(t, got), mustJSON(t, want))
	}
	// The roles and services it named now exist.
	roles, err := mc.FindRoles("My-Service")
	if err != nil || len(roles) != 2 {
		t.Fatalf("FindRoles(My-Service) = %s, %v; want the two created roles", mustJSON(t, roles), err)
	}

	_, err = mc.FindHost("unknownHost")
	wantAPIError(t, err, 404, "Host Not Found.")
}

// PUT adds roles, replaces meta and interfaces, and leaves omitted
// customIdentifier alone.
func TestCompatHostUpdate(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	id, err := mc.CreateHost(agentHost())
	if err != nil {
		t.Fatal(err)
	}
	got, err := mc.UpdateHost(id, &mackerel.UpdateHostParam{
		Name:          "db001-renamed",
		Meta:          mackerel.HostMeta{AgentVersion: "0.88.0"},
		Interfaces:    []mackerel.Interface{{Name: "eth1", IPAddress: "192.0.2.1"}},
		RoleFullnames: []string{"My-Service:db-master", "Other:web"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != id {
		t.Fatalf("UpdateHost returned id %q, want %q", got, id)
	}
	h, err := mc.FindHost(id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Name, "db001-renamed"; got != want {
		t.Errorf("name = %q, want %q", got, want)
	}
	if got, want := h.Roles, (mackerel.Roles{"My-Service": {"db-master", "db-slave"}, "Other": {"web"}}); !reflect.DeepEqual(got, want) {
		t.Errorf("roles = %v, want the union %v", got, want)
	}
	if got, want := h.Meta, (mackerel.HostMeta{AgentVersion: "0.88.0"}); !reflect.DeepEqual(got, want) {
		t.Errorf("meta = %s, want it replaced by %s", mustJSON(t, got), mustJSON(t, want))
	}
	wantIfaces := []mackerel.Interface{{Name: "eth1", IPAddress: "192.0.2.1", IPv4Addresses: []string{"192.0.2.1"}}}
	if !reflect.DeepEqual(h.Interfaces, wantIfaces) {
		t.Errorf("interfaces = %s, want %s", mustJSON(t, h.Interfaces), mustJSON(t, wantIfaces))
	}
	// Keys the Go client omits when empty are left as they were.
	if got, want := h.CustomIdentifier, agentHost().CustomIdentifier; got != want {
		t.Errorf("customIdentifier = %q, want it kept as %q", got, want)
	}
	if h.DisplayName != "db primary" || h.Memo != "hello" {
		t.Errorf("displayName, memo = %q, %q; want them kept", h.DisplayName, h.Memo)
	}

	_, err = mc.UpdateHost("unknownHost", &mackerel.UpdateHostParam{Name: "x"})
	wantAPIError(t, err, 404, "Host Not Found.")
}

func TestCompatHostStatusAndRoles(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	var ids []string
	for _, name := range []string{"a", "b", "c"} {
		id, err := mc.CreateHost(&mackerel.CreateHostParam{Name: name, RoleFullnames: []string{"svc:old"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	status := func(id string) string {
		t.Helper()
		h, err := mc.FindHost(id)
		if err != nil {
			t.Fatal(err)
		}
		return h.Status
	}

	if err := mc.UpdateHostStatus(ids[0], mackerel.HostStatusMaintenance); err != nil {
		t.Fatal(err)
	}
	if got, want := status(ids[0]), "maintenance"; got != want {
		t.Fatalf("status = %q, want %q", got, want)
	}
	if err := mc.BulkUpdateHostStatuses(ids[1:], mackerel.HostStatusPoweroff); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"maintenance", "poweroff", "poweroff"} {
		if got := status(ids[i]); got != want {
			t.Fatalf("host %d status = %q, want %q", i, got, want)
		}
	}
	err := mc.UpdateHostStatus("unknownHost", "working")
	wantAPIError(t, err, 404, "Host Not Found.")
	err = mc.BulkUpdateHostStatuses([]string{ids[0], "unknownHost"}, "standby")
	wantAPIError(t, err, 404, "Hosts Not Found.")
	if got, want := status(ids[0]), "maintenance"; got != want {
		t.Fatalf("a failed bulk update changed status to %q, want %q", got, want)
	}

	if err := mc.UpdateHostRoleFullnames(ids[0], []string{"svc:new", "other:x1"}); err != nil {
		t.Fatal(err)
	}
	h, err := mc.FindHost(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Roles, (mackerel.Roles{"svc": {"new"}, "other": {"x1"}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("roles after role-fullnames = %v, want them replaced by %v", got, want)
	}
	if err := mc.UpdateHostRoleFullnames(ids[0], []string{}); err != nil {
		t.Fatal(err)
	}
	if h, err = mc.FindHost(ids[0]); err != nil || len(h.Roles) != 0 {
		t.Fatalf("roles after clearing = %v (err %v), want none", h.Roles, err)
	}
}

func TestCompatHostRetire(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	var ids []string
	for _, name := range []string{"a", "b", "c", "d"} {
		id, err := mc.CreateHost(&mackerel.CreateHostParam{Name: name, CustomIdentifier: "ci-" + name})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	env.Clock.Advance(time.Hour)

	if err := mc.RetireHost(ids[0]); err != nil {
		t.Fatal(err)
	}
	if err := mc.BulkRetireHosts(ids[1:3]); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		h, err := mc.FindHost(id)
		if err != nil {
			t.Fatalf("retired hosts must stay readable: %v", err)
		}
		if got, want := h.IsRetired, i < 3; got != want {
			t.Fatalf("host %d isRetired = %v, want %v", i, got, want)
		}
	}
	// retiredAt is not in the Go client's type; read it from the wire.
	var raw struct {
		Host struct {
			RetiredAt *int64 `json:"retiredAt"`
		} `json:"host"`
	}
	mustDecode(t, serve(t, env.Handler, "GET", "/api/v0/hosts/"+ids[0], ""), &raw)
	if raw.Host.RetiredAt == nil || *raw.Host.RetiredAt != backendtest.Epoch.Add(time.Hour).Unix() {
		t.Fatalf("retiredAt = %v, want the clock's time %d", raw.Host.RetiredAt, backendtest.Epoch.Add(time.Hour).Unix())
	}

	hosts, err := mc.FindHosts(&mackerel.FindHostsParam{Statuses: []string{"working", "standby", "maintenance", "poweroff"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hostIDs(hosts), ids[3:]; !reflect.DeepEqual(got, want) {
		t.Fatalf("FindHosts after retiring = %v, want only %v", got, want)
	}
	// A retired host's custom identifier may be reused.
	if _, err := mc.CreateHost(&mackerel.CreateHostParam{Name: "a2", CustomIdentifier: "ci-a"}); err != nil {
		t.Fatalf("reusing a retired host's customIdentifier: %v", err)
	}

	if err := mc.RetireHost(ids[0]); err != nil {
		t.Fatalf("retiring twice: %v", err)
	}
	err = mc.RetireHost("unknownHost")
	wantAPIError(t, err, 404, "Host Not Found.")
	err = mc.BulkRetireHosts([]string{ids[3], "unknownHost"})
	wantAPIError(t, err, 404, "Hosts Not Found.")
	if h, err := mc.FindHost(ids[3]); err != nil || h.IsRetired {
		t.Fatalf("a failed bulk retire retired %s (err %v)", ids[3], err)
	}
}

// Options.DefaultHostStatus is the status of newly registered hosts.
func TestDefaultHostStatusOption(t *testing.T) {
	t.Parallel()
	env := backendtest.NewWithOptions(t, backendtest.Options{Backend: backend.Options{DefaultHostStatus: "standby"}})
	mc := mustMackerel(t, env)
	id, err := mc.CreateHost(&mackerel.CreateHostParam{Name: "new"})
	if err != nil {
		t.Fatal(err)
	}
	h, err := mc.FindHost(id)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Status, "standby"; got != want {
		t.Fatalf("status of a new host = %q, want %q", got, want)
	}
}
