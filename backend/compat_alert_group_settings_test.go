package backend_test

// mackerel-client-go v0.46.0 against /api/v0/alert-group-settings: every
// method of the client, the exact bytes answered, and scopes naming
// things deleted since.

import (
	"net/http"
	"reflect"
	"testing"

	"github.com/mackerelio/mackerel-client-go"
)

func TestCompatAlertGroupSettings(t *testing.T) {
	env, mc, monID, _ := notifyEnv(t)

	if list, err := mc.FindAlertGroupSettings(); err != nil || len(list) != 0 {
		t.Fatalf("FindAlertGroupSettings on a new database = %v, %v", list, err)
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/alert-group-settings", ""); string(resp.body) != `{"alertGroupSettings":[]}` {
		t.Fatalf("empty list: %s", resp.body)
	}

	// The documented example (role scopes take the canonical "svc: role").
	in := &mackerel.AlertGroupSetting{Name: "alert group setting #2", Memo: "lorem <ipsum>", ServiceScopes: []string{"web"},
		RoleScopes: []string{"web:app"}, MonitorScopes: []string{monID}, NotificationInterval: 60}
	a, err := mc.CreateAlertGroupSetting(in)
	if err != nil {
		t.Fatal(err)
	}
	wantA := &mackerel.AlertGroupSetting{ID: a.ID, Name: "alert group setting #2", Memo: "lorem <ipsum>", ServiceScopes: []string{"web"},
		RoleScopes: []string{"web: app"}, MonitorScopes: []string{monID}, NotificationInterval: 60}
	if len(a.ID) != 11 || !reflect.DeepEqual(a, wantA) {
		t.Fatalf("CreateAlertGroupSetting answered %+v, want %+v", a, wantA)
	}
	aWire := `{"id":"` + a.ID + `","name":"alert group setting #2","memo":"lorem <ipsum>","serviceScopes":["web"],"roleScopes":["web: app"],"monitorScopes":["` + monID + `"],"notificationInterval":60}`
	if resp := serve(t, env.Handler, "GET", "/api/v0/alert-group-settings/"+a.ID, ""); string(resp.body) != aWire {
		t.Fatalf("GET one\n %s\nwant %s", resp.body, aWire)
	}
	if got, err := mc.GetAlertGroupSetting(a.ID); err != nil || !reflect.DeepEqual(got, wantA) {
		t.Fatalf("GetAlertGroupSetting = %+v, %v", got, err)
	}

	// Only a name: memo and notificationInterval left out, scopes [].
	resp := serve(t, env.Handler, "POST", "/api/v0/alert-group-settings", `{"name":"b","id":"ignored","notificationInterval":null}`)
	bID := idOf(t, resp.body)
	bWire := `{"id":"` + bID + `","name":"b","serviceScopes":[],"roleScopes":[],"monitorScopes":[]}`
	if string(resp.body) != bWire {
		t.Fatalf("POST answered %s, want %s", resp.body, bWire)
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/alert-group-settings", ""); string(resp.body) != `{"alertGroupSettings":[`+aWire+`,`+bWire+`]}` {
		t.Fatalf("GET list %s", resp.body)
	}
	list, err := mc.FindAlertGroupSettings()
	if err != nil || len(list) != 2 || !reflect.DeepEqual(list[0], wantA) || list[1].ID != bID {
		t.Fatalf("FindAlertGroupSettings = %+v, %v", list, err)
	}

	// An update replaces the whole setting.
	got, err := mc.UpdateAlertGroupSetting(a.ID, &mackerel.AlertGroupSetting{Name: "a2", RoleScopes: []string{"web: app"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (&mackerel.AlertGroupSetting{ID: a.ID, Name: "a2", ServiceScopes: []string{}, RoleScopes: []string{"web: app"}, MonitorScopes: []string{}}); !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateAlertGroupSetting answered %+v, want %+v", got, want)
	}
	before := env.MustDump(t)
	_, err = mc.UpdateAlertGroupSetting(a.ID, &mackerel.AlertGroupSetting{Name: "a2", NotificationInterval: 5})
	wantAPIError(t, err, http.StatusBadRequest, "notificationInterval must be at least 10 (minutes), or omitted for no re-notification.")
	_, err = mc.GetAlertGroupSetting("nosuch")
	wantAPIError(t, err, http.StatusNotFound, "Alert group setting not found.")
	_, err = mc.UpdateAlertGroupSetting("nosuch", &mackerel.AlertGroupSetting{Name: "x"})
	wantAPIError(t, err, http.StatusNotFound, "Alert group setting not found.")
	_, err = mc.DeleteAlertGroupSetting("nosuch")
	wantAPIError(t, err, http.StatusNotFound, "Alert group setting not found.")
	if after := env.MustDump(t); after != before {
		t.Fatal("refused requests changed the database")
	}

	// Scopes naming a deleted role, service or monitor are not answered.
	c, err := mc.CreateAlertGroupSetting(&mackerel.AlertGroupSetting{Name: "c", ServiceScopes: []string{"web"},
		RoleScopes: []string{"web: app"}, MonitorScopes: []string{monID}})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v0/monitors/" + monID, "/api/v0/services/web"} {
		if resp := serve(t, env.Handler, "DELETE", path, ""); resp.status != http.StatusOK {
			t.Fatalf("DELETE %s: %d %s", path, resp.status, resp.body)
		}
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/alert-group-settings/"+c.ID, ""); string(resp.body) != `{"id":"`+c.ID+`","name":"c","serviceScopes":[],"roleScopes":[],"monitorScopes":[]}` {
		t.Fatalf("after deleting what it named: %s", resp.body)
	}

	gone, err := mc.DeleteAlertGroupSetting(bID)
	if err != nil || gone.ID != bID || gone.Name != "b" {
		t.Fatalf("DeleteAlertGroupSetting = %+v, %v", gone, err)
	}
	if list, _ := mc.FindAlertGroupSettings(); len(list) != 2 || list[0].ID != a.ID || list[1].ID != c.ID {
		t.Fatalf("after delete: %+v", list)
	}
}
