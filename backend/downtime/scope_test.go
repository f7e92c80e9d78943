package downtime_test

import (
	"testing"

	"github.com/mkr-dev/mkr/backend/downtime"
)

func TestCovers(t *testing.T) {
	webApp := map[string][]string{"web": {"app"}}
	webDB := map[string][]string{"web": {"db"}}
	twoServices := map[string][]string{"web": {"app"}, "batch": {"worker"}}
	tests := []struct {
		name string
		d    downtime.Downtime
		t    downtime.Target
		want bool
	}{
		{"no scopes cover a host alert", downtime.Downtime{}, downtime.Target{MonitorID: "m1", HostRoles: webApp}, true},
		{"no scopes cover an expression alert", downtime.Downtime{}, downtime.Target{MonitorID: "m1"}, true},

		{"monitor listed", downtime.Downtime{MonitorScopes: []string{"m1", "m2"}}, downtime.Target{MonitorID: "m2"}, true},
		{"monitor not listed", downtime.Downtime{MonitorScopes: []string{"m1"}}, downtime.Target{MonitorID: "m2"}, false},
		{"monitor excluded", downtime.Downtime{MonitorExcludeScopes: []string{"m1"}}, downtime.Target{MonitorID: "m1", HostRoles: webApp}, false},
		{"another monitor excluded", downtime.Downtime{MonitorExcludeScopes: []string{"m1"}}, downtime.Target{MonitorID: "m2"}, true},

		{"host in the service", downtime.Downtime{ServiceScopes: []string{"web"}}, downtime.Target{MonitorID: "m", HostRoles: webDB}, true},
		{"host in another service", downtime.Downtime{ServiceScopes: []string{"batch"}}, downtime.Target{MonitorID: "m", HostRoles: webDB}, false},
		{"host in one of its services", downtime.Downtime{ServiceScopes: []string{"batch"}}, downtime.Target{MonitorID: "m", HostRoles: twoServices}, true},
		{"service monitor of the service", downtime.Downtime{ServiceScopes: []string{"web"}}, downtime.Target{MonitorID: "m", Service: "web"}, true},
		{"service monitor of another service", downtime.Downtime{ServiceScopes: []string{"web"}}, downtime.Target{MonitorID: "m", Service: "batch"}, false},
		{"service scope and a hostless alert", downtime.Downtime{ServiceScopes: []string{"web"}}, downtime.Target{MonitorID: "m"}, false},

		{"host in the role", downtime.Downtime{RoleScopes: []string{"web: app"}}, downtime.Target{MonitorID: "m", HostRoles: webApp}, true},
		{"host in another role", downtime.Downtime{RoleScopes: []string{"web: app"}}, downtime.Target{MonitorID: "m", HostRoles: webDB}, false},
		{"role scope and a service monitor", downtime.Downtime{RoleScopes: []string{"web: app"}}, downtime.Target{MonitorID: "m", Service: "web"}, false},
		{"service or role: by the role", downtime.Downtime{ServiceScopes: []string{"batch"}, RoleScopes: []string{"web: app"}}, downtime.Target{MonitorID: "m", HostRoles: webApp}, true},
		{"service or role: neither", downtime.Downtime{ServiceScopes: []string{"batch"}, RoleScopes: []string{"web: app"}}, downtime.Target{MonitorID: "m", HostRoles: webDB}, false},

		{"service minus a role: other role", downtime.Downtime{ServiceScopes: []string{"web"}, RoleExcludeScopes: []string{"web: app"}}, downtime.Target{MonitorID: "m", HostRoles: webDB}, true},
		{"service minus a role: that role", downtime.Downtime{ServiceScopes: []string{"web"}, RoleExcludeScopes: []string{"web: app"}}, downtime.Target{MonitorID: "m", HostRoles: webApp}, false},
		{"excluded service wins over an included one", downtime.Downtime{ServiceScopes: []string{"web"}, ServiceExcludeScopes: []string{"batch"}}, downtime.Target{MonitorID: "m", HostRoles: twoServices}, false},
		{"excluded service alone", downtime.Downtime{ServiceExcludeScopes: []string{"web"}}, downtime.Target{MonitorID: "m", Service: "web"}, false},
		{"excluded service, other alert", downtime.Downtime{ServiceExcludeScopes: []string{"web"}}, downtime.Target{MonitorID: "m", Service: "batch"}, true},

		{"service AND monitor: both", downtime.Downtime{ServiceScopes: []string{"web"}, MonitorScopes: []string{"m1"}}, downtime.Target{MonitorID: "m1", HostRoles: webApp}, true},
		{"service AND monitor: other monitor", downtime.Downtime{ServiceScopes: []string{"web"}, MonitorScopes: []string{"m1"}}, downtime.Target{MonitorID: "m2", HostRoles: webApp}, false},
		{"service AND monitor: other service", downtime.Downtime{ServiceScopes: []string{"web"}, MonitorScopes: []string{"m1"}}, downtime.Target{MonitorID: "m1", HostRoles: map[string][]string{"batch": {"worker"}}}, false},
		{"role excluded, monitor listed", downtime.Downtime{MonitorScopes: []string{"m1"}, RoleExcludeScopes: []string{"web: app"}}, downtime.Target{MonitorID: "m1", HostRoles: webApp}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.Covers(tt.t); got != tt.want {
				t.Errorf("Covers = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseRoleScope(t *testing.T) {
	for in, want := range map[string][3]string{
		"web: app":   {"web", "app", "true"},
		"web:app":    {"web", "app", "true"},
		" web : app": {"web", "app", "true"},
		"web":        {"", "", "false"},
		"a:b:c":      {"", "", "false"},
	} {
		svc, role, ok := downtime.ParseRoleScope(in)
		if got := [3]string{svc, role, map[bool]string{true: "true", false: "false"}[ok]}; got != want {
			t.Errorf("ParseRoleScope(%q) = %q, want %q", in, got, want)
		}
	}
}
