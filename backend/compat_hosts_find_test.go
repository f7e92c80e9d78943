package backend_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

func TestCompatFindHosts(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	seed := []store.NewHost{
		{Name: "a", Status: "working", Roles: []store.RoleRef{{Service: "web", Role: "app"}}},
		{Name: "b", Status: "standby", Roles: []store.RoleRef{{Service: "web", Role: "db"}}, CustomIdentifier: "ci-b"},
		{Name: "c", Status: "maintenance", Roles: []store.RoleRef{{Service: "web", Role: "app"}}},
		{Name: "d", Status: "poweroff", Roles: []store.RoleRef{{Service: "batch", Role: "app"}}},
		{Name: "e", Status: "working", Roles: []store.RoleRef{{Service: "web", Role: "app"}, {Service: "batch", Role: "cron"}}},
		{Name: "a", Status: "standby", CustomIdentifier: "ci-a2"},
		{Name: "retired", Status: "working", Roles: []store.RoleRef{{Service: "web", Role: "app"}}, CustomIdentifier: "ci-r"},
	}
	var ids []string
	for _, h := range seed {
		ids = append(ids, env.MustCreateHost(t, h))
	}
	if err := mc.RetireHost(ids[6]); err != nil {
		t.Fatal(err)
	}
	all := []string{"working", "standby", "maintenance", "poweroff"}

	tests := []struct {
		name  string
		param mackerel.FindHostsParam
		want  []string // sorted host names
	}{
		{"default is working and standby", mackerel.FindHostsParam{}, []string{"a", "a", "b", "e"}},
		{"every status, retired excluded", mackerel.FindHostsParam{Statuses: all}, []string{"a", "a", "b", "c", "d", "e"}},
		{"one status", mackerel.FindHostsParam{Statuses: []string{"maintenance"}}, []string{"c"}},
		{"two statuses", mackerel.FindHostsParam{Statuses: []string{"poweroff", "standby"}}, []string{"a", "b", "d"}},
		{"service", mackerel.FindHostsParam{Service: "web"}, []string{"a", "b", "e"}},
		{"service and role", mackerel.FindHostsParam{Service: "web", Roles: []string{"app"}}, []string{"a", "e"}},
		{"service and two roles", mackerel.FindHostsParam{Service: "web", Roles: []string{"app", "db"}, Statuses: all}, []string{"a", "b", "c", "e"}},
		{"role of another service", mackerel.FindHostsParam{Service: "batch", Roles: []string{"app"}, Statuses: all}, []string{"d"}},
		{"role without service is ignored", mackerel.FindHostsParam{Roles: []string{"cron"}}, []string{"a", "a", "b", "e"}},
		{"unknown service", mackerel.FindHostsParam{Service: "nope"}, []string{}},
		{"name", mackerel.FindHostsParam{Name: "a"}, []string{"a", "a"}},
		{"name and status", mackerel.FindHostsParam{Name: "a", Statuses: []string{"standby"}}, []string{"a"}},
		{"customIdentifier", mackerel.FindHostsParam{CustomIdentifier: "ci-b"}, []string{"b"}},
		{"customIdentifier of a retired host", mackerel.FindHostsParam{CustomIdentifier: "ci-r", Statuses: all}, []string{}},
		{"everything at once", mackerel.FindHostsParam{Service: "web", Roles: []string{"db"}, Name: "b", Statuses: []string{"standby"}, CustomIdentifier: "ci-b"}, []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hosts, err := mc.FindHosts(&tt.param)
			if err != nil {
				t.Fatal(err)
			}
			if got := sortedHostNames(hosts); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("FindHosts(%+v) = %v, want %v", tt.param, got, tt.want)
			}
		})
	}

	// The list is in creation order and each item is a full host object.
	hosts, err := mc.FindHosts(&mackerel.FindHostsParam{Service: "web", Roles: []string{"app"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := hostIDs(hosts), []string{ids[0], ids[4]}; !reflect.DeepEqual(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
	if got, want := hosts[1].Roles, (mackerel.Roles{"web": {"app"}, "batch": {"cron"}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("roles of a listed host = %v, want all of its roles %v", got, want)
	}

	// The .json alias answers the same.
	var alias struct {
		Hosts []struct{ Name string } `json:"hosts"`
	}
	mustDecode(t, serve(t, env.Handler, "GET", "/api/v0/hosts.json?service=web&role=app", ""), &alias)
	if len(alias.Hosts) != 2 || alias.Hosts[0].Name != "a" || alias.Hosts[1].Name != "e" {
		t.Fatalf("hosts.json = %+v, want a and e", alias.Hosts)
	}
}

func TestCompatFindHostByCustomIdentifier(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	create := func(name, ci string) string {
		t.Helper()
		id, err := mc.CreateHost(&mackerel.CreateHostParam{Name: name, CustomIdentifier: ci})
		if err != nil {
			t.Fatal(err)
		}
		env.Clock.Advance(time.Second)
		return id
	}
	slash := create("slash", "mydb001/001")
	odd := create("odd", "a b?c#d%2Fe&f=g")
	upperOld := create("upper", "Node-1")
	lowerNew := create("lower", "node-1")
	retired := create("retired", "gone")
	if err := mc.RetireHost(retired); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name            string
		ci              string
		caseInsensitive bool
		want            string // host id; "" means 404
	}{
		{"contains a slash", "mydb001/001", false, slash},
		{"reserved characters", "a b?c#d%2Fe&f=g", false, odd},
		{"exact upper", "Node-1", false, upperOld},
		{"exact lower", "node-1", false, lowerNew},
		{"exact match is case-sensitive", "NODE-1", false, ""},
		{"case-insensitive picks the oldest", "NODE-1", true, upperOld},
		{"case-insensitive exact spelling still the oldest", "node-1", true, upperOld},
		{"retired hosts are not found", "gone", false, ""},
		{"unknown", "nope", true, ""},
		{"prefix of a slash identifier", "mydb001", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := mc.FindHostByCustomIdentifier(tt.ci, &mackerel.FindHostByCustomIdentifierParam{CaseInsensitive: tt.caseInsensitive})
			if tt.want == "" {
				wantAPIError(t, err, 404, "Host Not Found.")
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := h.ID; got != tt.want {
				t.Fatalf("FindHostByCustomIdentifier(%q) = %s (%s), want %s", tt.ci, got, h.Name, tt.want)
			}
		})
	}
}

func TestCompatHostMetricNamesAndMonitoredStatuses(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	id, err := mc.CreateHost(&mackerel.CreateHostParam{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	names, err := mc.ListHostMetricNames(id)
	if err != nil {
		t.Fatal(err)
	}
	if names == nil || len(names) != 0 {
		t.Fatalf("metric names of a new host = %#v, want an empty list", names)
	}
	statuses, err := mc.ListMonitoredStatues(id)
	if err != nil {
		t.Fatal(err)
	}
	if statuses == nil || len(statuses) != 0 {
		t.Fatalf("monitored statuses of a new host = %#v, want an empty list", statuses)
	}
	_, err = mc.ListHostMetricNames("unknownHost")
	wantAPIError(t, err, 404, "Host Not Found.")
	_, err = mc.ListMonitoredStatues("unknownHost")
	wantAPIError(t, err, 404, "Host Not Found.")
}

func hostIDs(hosts []*mackerel.Host) []string {
	ids := make([]string, 0, len(hosts))
	for _, h := range hosts {
		ids = append(ids, h.ID)
	}
	return ids
}

func sortedHostNames(hosts []*mackerel.Host) []string {
	names := make([]string, 0, len(hosts))
	for _, h := range hosts {
		names = append(names, h.Name)
	}
	slices.Sort(names)
	return names
}
