package downtime_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/downtime"
)

// world is a Lookup over fixed sets.
type world struct {
	services, roles, monitors []string
	err                       error
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (w world) ServiceExists(name string) (bool, error) { return contains(w.services, name), w.err }
func (w world) RoleExists(svc, role string) (bool, error) {
	return contains(w.roles, svc+": "+role), w.err
}
func (w world) MonitorExists(id string) (bool, error) { return contains(w.monitors, id), w.err }

func TestValidate(t *testing.T) {
	w := world{services: []string{"web", "batch"}, roles: []string{"web: app", "web: db", "batch: worker"}, monitors: []string{"m1", "m2"}}
	ok := func() *downtime.Downtime {
		return &downtime.Downtime{Name: "maint", Start: 1_800_000_000, Duration: 60}
	}
	weekly := func(days ...string) *downtime.Recurrence {
		return &downtime.Recurrence{Type: "weekly", Interval: 1, Weekdays: days}
	}
	tests := []struct {
		name   string
		change func(d *downtime.Downtime)
		field  string
		msg    string
	}{
		{"valid", func(d *downtime.Downtime) {}, "", ""},
		{"valid with everything", func(d *downtime.Downtime) {
			d.Memo = "m"
			d.Recurrence = &downtime.Recurrence{Type: "weekly", Interval: 2, Weekdays: []string{"Monday", "Sunday"}, Until: d.Start + 1}
			d.ServiceScopes, d.ServiceExcludeScopes = []string{"web"}, []string{"batch"}
			d.RoleExcludeScopes = []string{"web: app"}
			d.MonitorScopes, d.MonitorExcludeScopes = []string{"m1"}, []string{"m2"}
		}, "", ""},
		{"name missing", func(d *downtime.Downtime) { d.Name = "" }, "name", "name is required."},
		{"name blank", func(d *downtime.Downtime) { d.Name = " \t" }, "name", "name is required."},
		{"name too long", func(d *downtime.Downtime) { d.Name = strings.Repeat("é", 251) }, "name", "name must be at most 250 characters."},
		{"name at the limit", func(d *downtime.Downtime) { d.Name = strings.Repeat("é", 250) }, "", ""},
		{"memo too long", func(d *downtime.Downtime) { d.Memo = strings.Repeat("m", 2049) }, "memo", "memo must be at most 2048 characters."},
		{"start missing", func(d *downtime.Downtime) { d.Start = 0 }, "start", "start must be epoch seconds from 1 to 253402300799."},
		{"start after 9999", func(d *downtime.Downtime) { d.Start = 253402300800 }, "start", "start must be epoch seconds from 1 to 253402300799."},
		{"duration zero", func(d *downtime.Downtime) { d.Duration = 0 }, "duration", "duration must be a positive number of minutes."},
		{"duration negative", func(d *downtime.Downtime) { d.Duration = -5 }, "duration", "duration must be a positive number of minutes."},
		{"duration huge", func(d *downtime.Downtime) { d.Duration = 1 << 62 }, "duration", "duration is too long: the downtime would end after the year 9999."},
		{"recurrence type empty", func(d *downtime.Downtime) { d.Recurrence = &downtime.Recurrence{Interval: 1} }, "recurrence.type", `recurrence.type must be one of hourly, daily, weekly, monthly, yearly, not "".`},
		{"recurrence type unknown", func(d *downtime.Downtime) { d.Recurrence = &downtime.Recurrence{Type: "Weekly", Interval: 1} }, "recurrence.type", `recurrence.type must be one of hourly, daily, weekly, monthly, yearly, not "Weekly".`},
		{"interval zero", func(d *downtime.Downtime) { d.Recurrence = &downtime.Recurrence{Type: "daily"} }, "recurrence.interval", "recurrence.interval must be from 1 to 1000."},
		{"interval too big", func(d *downtime.Downtime) { d.Recurrence = &downtime.Recurrence{Type: "daily", Interval: 1001} }, "recurrence.interval", "recurrence.interval must be from 1 to 1000."},
		{"weekdays on daily", func(d *downtime.Downtime) {
			d.Recurrence = &downtime.Recurrence{Type: "daily", Interval: 1, Weekdays: []string{"Monday"}}
		}, "recurrence.weekdays", "recurrence.weekdays is only allowed when recurrence.type is weekly."},
		{"weekday unknown", func(d *downtime.Downtime) { d.Recurrence = weekly("Monday", "monday") }, "recurrence.weekdays",
			`recurrence.weekdays must name days from Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday: "monday" is not one.`},
		{"weekday twice", func(d *downtime.Downtime) { d.Recurrence = weekly("Monday", "Friday", "Monday") }, "recurrence.weekdays", `recurrence.weekdays has "Monday" twice.`},
		{"until at start", func(d *downtime.Downtime) { d.Recurrence = weekly(); d.Recurrence.Until = d.Start }, "recurrence.until", "recurrence.until must be after start."},
		{"until after 9999", func(d *downtime.Downtime) { d.Recurrence = weekly(); d.Recurrence.Until = 253402300800 }, "recurrence.until", "recurrence.until must be epoch seconds up to 253402300799."},

		{"service scope malformed", func(d *downtime.Downtime) { d.ServiceScopes = []string{"web app"} }, "serviceScopes",
			`serviceScopes must hold service names (A-Z a-z 0-9 _ -, at least 2): "web app" is not one.`},
		{"role scope without colon", func(d *downtime.Downtime) { d.RoleExcludeScopes = []string{"web"} }, "roleExcludeScopes",
			`roleExcludeScopes must hold roles as "service: role": "web" is not one.`},
		{"monitor scope empty", func(d *downtime.Downtime) { d.MonitorScopes = []string{""} }, "monitorScopes", `monitorScopes must hold monitor ids, not "".`},
		{"service twice", func(d *downtime.Downtime) { d.ServiceScopes = []string{"web", "batch", "web"} }, "serviceScopes", `serviceScopes has "web" twice.`},
		{"role twice", func(d *downtime.Downtime) { d.RoleScopes = []string{"web: app", "web: app"} }, "roleScopes", `roleScopes has "web: app" twice.`},
		{"monitor twice", func(d *downtime.Downtime) { d.MonitorExcludeScopes = []string{"m1", "m1"} }, "monitorExcludeScopes", `monitorExcludeScopes has "m1" twice.`},
		{"service included and excluded", func(d *downtime.Downtime) { d.ServiceScopes, d.ServiceExcludeScopes = []string{"web"}, []string{"web"} }, "serviceExcludeScopes",
			`serviceExcludeScopes has "web", which serviceScopes includes.`},
		{"role included and excluded", func(d *downtime.Downtime) {
			d.RoleScopes, d.RoleExcludeScopes = []string{"web: app"}, []string{"web: app"}
		}, "roleExcludeScopes",
			`roleExcludeScopes has "web: app", which roleScopes includes.`},
		{"monitor included and excluded", func(d *downtime.Downtime) { d.MonitorScopes, d.MonitorExcludeScopes = []string{"m1"}, []string{"m1"} }, "monitorExcludeScopes",
			`monitorExcludeScopes has "m1", which monitorScopes includes.`},
		{"role inside an included service", func(d *downtime.Downtime) { d.ServiceScopes, d.RoleScopes = []string{"web"}, []string{"web: app"} }, "roleScopes",
			`roleScopes has "web: app", which is redundant: serviceScopes names its service "web".`},
		{"role inside an excluded service", func(d *downtime.Downtime) {
			d.ServiceExcludeScopes, d.RoleScopes = []string{"web"}, []string{"web: app"}
		}, "roleScopes",
			`roleScopes has "web: app", which serviceExcludeScopes excludes as a whole (service "web").`},
		{"excluded role inside an excluded service", func(d *downtime.Downtime) {
			d.ServiceExcludeScopes, d.RoleExcludeScopes = []string{"web"}, []string{"web: app"}
		}, "roleExcludeScopes",
			`roleExcludeScopes has "web: app", which is redundant: serviceExcludeScopes names its service "web".`},

		{"unknown service", func(d *downtime.Downtime) { d.ServiceExcludeScopes = []string{"web", "nosuch"} }, "serviceExcludeScopes", `serviceExcludeScopes has "nosuch", which is not a service.`},
		{"unknown role", func(d *downtime.Downtime) { d.RoleScopes = []string{"web: nosuch"} }, "roleScopes", `roleScopes has "web: nosuch", which is not a role.`},
		{"role of an unknown service", func(d *downtime.Downtime) { d.RoleScopes = []string{"nosuch: app"} }, "roleScopes", `roleScopes has "nosuch: app", which is not a role.`},
		{"unknown monitor", func(d *downtime.Downtime) { d.MonitorExcludeScopes = []string{"m3"} }, "monitorExcludeScopes", `monitorExcludeScopes has "m3", which is not a monitor.`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ok()
			tt.change(d)
			err := downtime.Validate(d, w)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var de *downtime.Error
			if !errors.As(err, &de) || de.Field != tt.field || de.Message != tt.msg {
				t.Fatalf("Validate = %#v, want field %q message %q", err, tt.field, tt.msg)
			}
		})
	}
}

// A failing lookup is a failure, not a 400.
func TestValidateLookupFailure(t *testing.T) {
	broken := errors.New("database is locked")
	d := &downtime.Downtime{Name: "x", Start: 1, Duration: 1, MonitorScopes: []string{"m1"}}
	var de *downtime.Error
	if err := downtime.Validate(d, world{err: broken}); !errors.Is(err, broken) || errors.As(err, &de) {
		t.Fatalf("Validate = %v, want the lookup's error", err)
	}
}
