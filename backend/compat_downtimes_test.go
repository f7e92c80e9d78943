package backend_test

// Downtimes through mackerel-client-go v0.46.0 and as raw bodies: create,
// list, update (the whole definition), delete, wire-exact answers, and the
// errors the client sees.

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// downtimeEnv is a backend with services service1 (role1, role2) and
// service2, a host in service1: role1 and its check monitor "disk".
func downtimeEnv(t *testing.T) (env *backendtest.Env, checkMonitor string) {
	t.Helper()
	env = backendtest.New(t)
	env.MustCreateService(t, "service1", "role1", "role2")
	env.MustCreateService(t, "service2")
	host := env.MustCreateHost(t, store.NewHost{Name: "web01", Roles: []store.RoleRef{{Service: "service1", Role: "role1"}}})
	resp := serve(t, env.Handler, "POST", "/api/v0/monitoring/checks/report",
		`{"reports":[{"source":{"type":"host","hostId":"`+host+`"},"name":"disk","status":"OK","message":"","occurredAt":`+jsonInt(env.Clock.Now().Unix())+`}]}`)
	mustDecode(t, resp, &struct{}{})
	var checks struct{ Checks []struct{ ID string } }
	mustDecode(t, serve(t, env.Handler, "GET", "/api/v0/monitoring/checks", ""), &checks)
	if len(checks.Checks) != 1 {
		t.Fatalf("check monitors: %+v", checks)
	}
	return env, checks.Checks[0].ID
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestCompatDowntimes(t *testing.T) {
	t.Parallel()
	env, check := downtimeEnv(t)
	mc := mustMackerel(t, env)

	list, err := mc.FindDowntimes()
	if err != nil || list == nil || len(list) != 0 {
		t.Fatalf("FindDowntimes on an empty org = %v, %v; want an empty list", list, err)
	}

	full := &mackerel.Downtime{
		Name: "Maintenance #1", Memo: "Memo #1", Start: 1563700000, Duration: 60,
		Recurrence: &mackerel.DowntimeRecurrence{Type: mackerel.DowntimeRecurrenceTypeWeekly, Interval: 3,
			Weekdays: []mackerel.DowntimeWeekday{1, 4, 6}, Until: 1600000000},
		ServiceScopes:        []string{"service1"},
		ServiceExcludeScopes: []string{"service2"},
		RoleExcludeScopes:    []string{"service1: role1"},
		MonitorExcludeScopes: []string{check},
	}
	created, err := mc.CreateDowntime(full)
	if err != nil {
		t.Fatalf("CreateDowntime: %v", err)
	}
	if len(created.ID) != 11 {
		t.Errorf("id %q is not an 11-character id", created.ID)
	}
	want := *full
	want.ID = created.ID
	if !reflect.DeepEqual(created, &want) {
		t.Fatalf("CreateDowntime returned\n%+v\nwant\n%+v", created, &want)
	}

	second, err := mc.CreateDowntime(&mackerel.Downtime{Name: "once", Start: 1563800000, Duration: 30,
		RoleScopes: []string{"service1:role2"}, MonitorScopes: []string{check}})
	if err != nil {
		t.Fatalf("CreateDowntime: %v", err)
	}
	if second.RoleScopes[0] != "service1: role2" {
		t.Errorf("role scope %q, want the canonical \"service1: role2\"", second.RoleScopes[0])
	}

	list, err = mc.FindDowntimes()
	if err != nil || len(list) != 2 || !reflect.DeepEqual(list[0], &want) || !reflect.DeepEqual(list[1], second) {
		t.Fatalf("FindDowntimes = %+v, %v; want the two in creation order", list, err)
	}

	// PUT replaces the whole definition: what the body lacks is gone.
	updated, err := mc.UpdateDowntime(created.ID, &mackerel.Downtime{Name: "renamed", Start: 1563700000, Duration: 90})
	if err != nil {
		t.Fatalf("UpdateDowntime: %v", err)
	}
	if wantU := (&mackerel.Downtime{ID: created.ID, Name: "renamed", Start: 1563700000, Duration: 90}); !reflect.DeepEqual(updated, wantU) {
		t.Fatalf("UpdateDowntime returned %+v, want %+v", updated, wantU)
	}
	list, _ = mc.FindDowntimes()
	if len(list) != 2 || list[0].ID != created.ID || list[0].Name != "renamed" {
		t.Fatalf("after update the list is %+v; the updated downtime keeps its place", list)
	}

	deleted, err := mc.DeleteDowntime(second.ID)
	if err != nil || !reflect.DeepEqual(deleted, second) {
		t.Fatalf("DeleteDowntime = %+v, %v; want it as it was", deleted, err)
	}
	list, _ = mc.FindDowntimes()
	if len(list) != 1 || list[0].ID != created.ID {
		t.Fatalf("after delete the list is %+v", list)
	}

	_, err = mc.DeleteDowntime(second.ID)
	wantAPIError(t, err, http.StatusNotFound, "Downtime not found.")
	_, err = mc.UpdateDowntime("nosuchdowntime", &mackerel.Downtime{Name: "x", Start: 1, Duration: 1})
	wantAPIError(t, err, http.StatusNotFound, "Downtime not found.")
	_, err = mc.CreateDowntime(&mackerel.Downtime{Name: "x", Start: 1563700000, Duration: 0})
	wantAPIError(t, err, http.StatusBadRequest, "duration must be a positive number of minutes.")
	_, err = mc.CreateDowntime(&mackerel.Downtime{Name: "x", Start: 1563700000, Duration: 5, ServiceScopes: []string{"nosuch"}})
	wantAPIError(t, err, http.StatusBadRequest, `serviceScopes has "nosuch", which is not a service.`)
}

// The answers byte for byte: the documented example comes back with its
// id first and nothing else added, bare on create, update and delete,
// under "downtimes" in the list.
func TestDowntimeWireBodies(t *testing.T) {
	t.Parallel()
	env, check := downtimeEnv(t)
	example := `{"name":"Maintenance #1","memo":"Memo #1","start":1563700000,"duration":60,
 "recurrence":{"type":"weekly","interval":3,"weekdays":["Monday","Thursday","Saturday"]},
 "serviceScopes":["service1"],"roleExcludeScopes":["service1: role1"],"monitorScopes":["` + check + `"]}`
	resp := serve(t, env.Handler, "POST", "/api/v0/downtimes", example)
	var got struct{ ID string }
	mustDecode(t, resp, &got)
	body := `{"id":"` + got.ID + `","name":"Maintenance #1","memo":"Memo #1","start":1563700000,"duration":60,` +
		`"recurrence":{"type":"weekly","interval":3,"weekdays":["Monday","Thursday","Saturday"]},` +
		`"serviceScopes":["service1"],"roleExcludeScopes":["service1: role1"],"monitorScopes":["` + check + `"]}`
	wantBody := func(what string, resp response, want string) {
		t.Helper()
		if resp.status != http.StatusOK || string(resp.body) != want {
			t.Errorf("%s: %d %s\nwant 200 %s", what, resp.status, resp.body, want)
		}
	}
	wantBody("create", resp, body)
	wantBody("list", serve(t, env.Handler, "GET", "/api/v0/downtimes", ""), `{"downtimes":[`+body+`]}`)

	// An update with an echoed id, read-only extras and explicit nulls.
	resp = serve(t, env.Handler, "PUT", "/api/v0/downtimes/"+got.ID,
		`{"id":"other","name":"<b>&</b>","memo":null,"start":1563700000,"duration":60,"recurrence":null,"serviceScopes":[],"createdAt":1}`)
	updated := `{"id":"` + got.ID + `","name":"\u003cb\u003e\u0026\u003c/b\u003e","start":1563700000,"duration":60}`
	wantBody("update", resp, updated)
	wantBody("delete", serve(t, env.Handler, "DELETE", "/api/v0/downtimes/"+got.ID, ""), updated)
	wantBody("empty list", serve(t, env.Handler, "GET", "/api/v0/downtimes", ""), `{"downtimes":[]}`)
}

// TestBadDowntimes: every refusal is a 400 (or 404) with an exact message
// naming what to fix, and changes nothing.
func TestBadDowntimes(t *testing.T) {
	t.Parallel()
	env, check := downtimeEnv(t)
	var existing struct{ ID string }
	mustDecode(t, serve(t, env.Handler, "POST", "/api/v0/downtimes", `{"name":"kept","start":1563700000,"duration":60}`), &existing)
	ok := `"name":"x","start":1563700000,"duration":60`
	expand := strings.NewReplacer("{id}", existing.ID, "{check}", check)
	cases := []badCase{
		{"empty body", "POST", "/api/v0/downtimes", ``, 400, "Request body is required."},
		{"null body", "POST", "/api/v0/downtimes", `null`, 400, "Request body is required."},
		{"malformed", "POST", "/api/v0/downtimes", `{"name":`, 400, "Invalid JSON: unexpected EOF"},
		{"trailing data", "POST", "/api/v0/downtimes", `{` + ok + `}}`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"array", "POST", "/api/v0/downtimes", `[{` + ok + `}]`, 400, "A downtime must be a JSON object."},
		{"not UTF-8", "POST", "/api/v0/downtimes", "{\"name\":\"\xff\",\"start\":1563700000,\"duration\":60}", 400, "name is not valid UTF-8."},
		{"lone surrogate in memo", "POST", "/api/v0/downtimes", `{` + ok + `,"memo":"\ud800"}`, 400, "memo is not valid UTF-8."},
		{"name missing", "POST", "/api/v0/downtimes", `{"start":1563700000,"duration":60}`, 400, "name is required."},
		{"name a number", "POST", "/api/v0/downtimes", `{"name":1,"start":1563700000,"duration":60}`, 400, "name must be a string."},
		{"name too long", "POST", "/api/v0/downtimes", `{"name":"` + strings.Repeat("n", 251) + `","start":1563700000,"duration":60}`, 400, "name must be at most 250 characters."},
		{"memo too long", "POST", "/api/v0/downtimes", `{` + ok + `,"memo":"` + strings.Repeat("m", 2049) + `"}`, 400, "memo must be at most 2048 characters."},
		{"start missing", "POST", "/api/v0/downtimes", `{"name":"x","duration":60}`, 400, "start must be epoch seconds from 1 to 253402300799."},
		{"start a float", "POST", "/api/v0/downtimes", `{"name":"x","start":1563700000.5,"duration":60}`, 400, "start must be an integer (epoch seconds)."},
		{"duration missing", "POST", "/api/v0/downtimes", `{"name":"x","start":1563700000}`, 400, "duration must be a positive number of minutes."},
		{"duration a string", "POST", "/api/v0/downtimes", `{"name":"x","start":1563700000,"duration":"1h"}`, 400, "duration must be an integer (minutes)."},
		{"duration past 9999", "POST", "/api/v0/downtimes", `{"name":"x","start":1563700000,"duration":9223372036854775807}`, 400, "duration is too long: the downtime would end after the year 9999."},
		{"recurrence type unknown", "POST", "/api/v0/downtimes", `{` + ok + `,"recurrence":{"type":"fortnightly","interval":1}}`, 400, `recurrence.type must be one of hourly, daily, weekly, monthly, yearly, not "fortnightly".`},
		{"recurrence interval missing", "POST", "/api/v0/downtimes", `{` + ok + `,"recurrence":{"type":"daily"}}`, 400, "recurrence.interval must be from 1 to 1000."},
		{"weekdays on monthly", "POST", "/api/v0/downtimes", `{` + ok + `,"recurrence":{"type":"monthly","interval":1,"weekdays":["Monday"]}}`, 400, "recurrence.weekdays is only allowed when recurrence.type is weekly."},
		{"weekday misspelt", "POST", "/api/v0/downtimes", `{` + ok + `,"recurrence":{"type":"weekly","interval":1,"weekdays":["Mon"]}}`, 400,
			`recurrence.weekdays must name days from Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday: "Mon" is not one.`},
		{"until before start", "POST", "/api/v0/downtimes", `{` + ok + `,"recurrence":{"type":"daily","interval":1,"until":1563600000}}`, 400, "recurrence.until must be after start."},
		{"unknown service", "POST", "/api/v0/downtimes", `{` + ok + `,"serviceScopes":["service1","nosuch"]}`, 400, `serviceScopes has "nosuch", which is not a service.`},
		{"unknown role", "POST", "/api/v0/downtimes", `{` + ok + `,"roleExcludeScopes":["service2: role1"]}`, 400, `roleExcludeScopes has "service2: role1", which is not a role.`},
		{"malformed role", "POST", "/api/v0/downtimes", `{` + ok + `,"roleScopes":["service1"]}`, 400, `roleScopes must hold roles as "service: role": "service1" is not one.`},
		{"unknown monitor", "POST", "/api/v0/downtimes", `{` + ok + `,"monitorScopes":["{check}","nosuchmonitor"]}`, 400, `monitorScopes has "nosuchmonitor", which is not a monitor.`},
		{"redundant role", "POST", "/api/v0/downtimes", `{` + ok + `,"serviceScopes":["service1"],"roleScopes":["service1:role1"]}`, 400,
			`roleScopes has "service1: role1", which is redundant: serviceScopes names its service "service1".`},
		{"monitor in and out", "POST", "/api/v0/downtimes", `{` + ok + `,"monitorScopes":["{check}"],"monitorExcludeScopes":["{check}"]}`, 400,
			`monitorExcludeScopes has "{check}", which monitorScopes includes.`},
		{"scopes a string", "POST", "/api/v0/downtimes", `{` + ok + `,"serviceScopes":"service1"}`, 400, "serviceScopes must be an array of strings."},

		{"update unknown", "PUT", "/api/v0/downtimes/nosuch", `{` + ok + `}`, 404, "Downtime not found."},
		{"update unknown with a bad body", "PUT", "/api/v0/downtimes/nosuch", `{}`, 404, "Downtime not found."},
		{"update invalid", "PUT", "/api/v0/downtimes/{id}", `{"name":"","start":1563700000,"duration":60}`, 400, "name is required."},
		{"update without body", "PUT", "/api/v0/downtimes/{id}", ``, 400, "Request body is required."},
		{"delete unknown", "DELETE", "/api/v0/downtimes/nosuch", ``, 404, "Downtime not found."},
		{"get one is not an endpoint", "GET", "/api/v0/downtimes/{id}", ``, 404, "Not found."},
	}
	runBadOn(t, env, expand, cases)
}
