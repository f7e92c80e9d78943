package backend_test

// mackerel-client-go v0.46.0 against /api/v0/notification-groups: the
// default group of a new database, groups created, listed, updated and
// deleted as the official client does, the default group's rules, child
// group cycles, and references to deleted things.

import (
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

// What the client decodes from "monitors":[] and "services":[].
var (
	noMonitors = []*mackerel.NotificationGroupMonitor{}
	noServices = []*mackerel.NotificationGroupService{}
)

// notifyEnv is a backend with service web (role app), a host monitor and
// a webhook channel, and the official client.
func notifyEnv(t *testing.T) (env *backendtest.Env, mc *mackerel.Client, monitorID, channelID string) {
	t.Helper()
	env = backendtest.New(t)
	env.MustCreateService(t, "web", "app")
	mc = mustMackerel(t, env)
	m, err := mc.CreateMonitor(&mackerel.MonitorHostMetric{Type: "host", Name: "load", Metric: "loadavg5", Operator: ">", Warning: pf(1), Duration: 1})
	if err != nil {
		t.Fatal(err)
	}
	c, err := mc.CreateChannel(&mackerel.Channel{Name: "hook", Type: "webhook", URL: "https://example.com/hook"})
	if err != nil {
		t.Fatal(err)
	}
	return env, mc, m.MonitorID(), c.ID
}

func TestCompatNotificationGroups(t *testing.T) {
	env, mc, monID, chID := notifyEnv(t)

	// A new database has the default group alone.
	groups, err := mc.FindNotificationGroups()
	if err != nil || len(groups) != 1 {
		t.Fatalf("FindNotificationGroups = %v, %v", groups, err)
	}
	def := groups[0]
	if want := (&mackerel.NotificationGroup{ID: def.ID, Type: "group-default", Name: "Default", NotificationLevel: "all",
		ChildNotificationGroupIDs: []string{}, ChildChannelIDs: []string{}, Monitors: noMonitors, Services: noServices}); !reflect.DeepEqual(def, want) {
		t.Fatalf("default group = %+v, want %+v", def, want)
	}
	resp := serve(t, env.Handler, "GET", "/api/v0/notification-groups", "")
	defWire := `{"id":"` + def.ID + `","type":"group-default","name":"Default","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":[],"monitors":[],"services":[]}`
	if want := `{"notificationGroups":[` + defWire + `]}`; string(resp.body) != want {
		t.Fatalf("GET /api/v0/notification-groups\n %s\nwant %s", resp.body, want)
	}

	// A group as the documented example: the input comes back with an id
	// (and a type); repeats are dropped.
	in := &mackerel.NotificationGroup{Name: "Example notification group", NotificationLevel: "critical",
		ChildNotificationGroupIDs: []string{}, ChildChannelIDs: []string{chID, chID},
		Monitors: []*mackerel.NotificationGroupMonitor{{ID: monID, SkipDefault: true}},
		Services: []*mackerel.NotificationGroupService{{Name: "web"}, {Name: "web"}}}
	g1, err := mc.CreateNotificationGroup(in)
	if err != nil {
		t.Fatal(err)
	}
	want1 := &mackerel.NotificationGroup{ID: g1.ID, Type: "group", Name: "Example notification group", NotificationLevel: "critical",
		ChildNotificationGroupIDs: []string{}, ChildChannelIDs: []string{chID},
		Monitors: []*mackerel.NotificationGroupMonitor{{ID: monID, SkipDefault: true}},
		Services: []*mackerel.NotificationGroupService{{Name: "web"}}}
	if !reflect.DeepEqual(g1, want1) {
		t.Fatalf("CreateNotificationGroup answered\n %+v\nwant %+v", g1, want1)
	}
	g1Wire := `{"id":"` + g1.ID + `","type":"group","name":"Example notification group","notificationLevel":"critical","childNotificationGroupIds":[],"childChannelIds":["` + chID + `"],"monitors":[{"id":"` + monID + `","skipDefault":true}],"services":[{"name":"web"}]}`

	// Only a name: level all, every list empty; a type or id in the body
	// is ignored.
	resp = serve(t, env.Handler, "POST", "/api/v0/notification-groups", `{"name":"<parent> & co","type":"group-default","id":"x","childNotificationGroupIds":["`+g1.ID+`"]}`)
	g2ID := idOf(t, resp.body)
	g2Wire := `{"id":"` + g2ID + `","type":"group","name":"<parent> & co","notificationLevel":"all","childNotificationGroupIds":["` + g1.ID + `"],"childChannelIds":[],"monitors":[],"services":[]}`
	if string(resp.body) != g2Wire {
		t.Fatalf("POST answered %s, want %s", resp.body, g2Wire)
	}
	resp = serve(t, env.Handler, "GET", "/api/v0/notification-groups", "")
	if want := `{"notificationGroups":[` + strings.Join([]string{defWire, g1Wire, g2Wire}, ",") + `]}`; string(resp.body) != want {
		t.Fatalf("GET list\n %s\nwant %s", resp.body, want)
	}

	// A cycle through g2 → g1 → g2 is refused; so is a group as its own
	// child; nothing changes.
	before := env.MustDump(t)
	upd := *want1
	upd.ChildNotificationGroupIDs = []string{g2ID}
	_, err = mc.UpdateNotificationGroup(g1.ID, &upd)
	wantAPIError(t, err, http.StatusBadRequest, `childNotificationGroupIds: "`+g2ID+`" would make a cycle: `+g1.ID+` → `+g2ID+` → `+g1.ID+`.`)
	upd.ChildNotificationGroupIDs = []string{g1.ID}
	_, err = mc.UpdateNotificationGroup(g1.ID, &upd)
	wantAPIError(t, err, http.StatusBadRequest, "childNotificationGroupIds: a group cannot be its own child.")
	if after := env.MustDump(t); after != before {
		t.Fatal("a refused update changed the database")
	}

	// An update replaces the whole group.
	got, err := mc.UpdateNotificationGroup(g1.ID, &mackerel.NotificationGroup{Name: "renamed", NotificationLevel: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (&mackerel.NotificationGroup{ID: g1.ID, Type: "group", Name: "renamed", NotificationLevel: "all",
		ChildNotificationGroupIDs: []string{}, ChildChannelIDs: []string{}, Monitors: noMonitors, Services: noServices}); !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateNotificationGroup answered %+v, want %+v", got, want)
	}

	// The default group, as terraform-provider-mackerel updates it: the
	// listed group sent back with another level, channels and children.
	param := *def
	param.Type = ""
	param.NotificationLevel = "critical"
	param.ChildChannelIDs = []string{chID}
	param.ChildNotificationGroupIDs = []string{g2ID}
	got, err = mc.UpdateNotificationGroup(def.ID, &param)
	if err != nil {
		t.Fatal(err)
	}
	if want := (&mackerel.NotificationGroup{ID: def.ID, Type: "group-default", Name: "Default", NotificationLevel: "critical",
		ChildNotificationGroupIDs: []string{g2ID}, ChildChannelIDs: []string{chID}, Monitors: noMonitors, Services: noServices}); !reflect.DeepEqual(got, want) {
		t.Fatalf("updating the default group answered %+v, want %+v", got, want)
	}
	before = env.MustDump(t)
	param.Name = "Renamed"
	_, err = mc.UpdateNotificationGroup(def.ID, &param)
	wantAPIError(t, err, http.StatusBadRequest, `name of the default notification group cannot be changed (from "Default" to "Renamed").`)
	param.Name = ""
	param.Monitors = []*mackerel.NotificationGroupMonitor{{ID: monID}}
	_, err = mc.UpdateNotificationGroup(def.ID, &param)
	wantAPIError(t, err, http.StatusBadRequest, "monitors: the default notification group takes every alert and cannot be limited to monitors.")
	_, err = mc.DeleteNotificationGroup(def.ID)
	wantAPIError(t, err, http.StatusBadRequest, "The default notification group cannot be deleted.")
	_, err = mc.UpdateNotificationGroup("nosuch", &param)
	wantAPIError(t, err, http.StatusNotFound, "Notification group not found.")
	_, err = mc.DeleteNotificationGroup("nosuch")
	wantAPIError(t, err, http.StatusNotFound, "Notification group not found.")
	if after := env.MustDump(t); after != before {
		t.Fatal("refused requests changed the database")
	}

	// Deleting g2 answers it as it was and takes it out of the default
	// group's children.
	gone, err := mc.DeleteNotificationGroup(g2ID)
	if err != nil || gone.ID != g2ID || !reflect.DeepEqual(gone.ChildNotificationGroupIDs, []string{g1.ID}) {
		t.Fatalf("DeleteNotificationGroup = %+v, %v", gone, err)
	}
	groups, _ = mc.FindNotificationGroups()
	if len(groups) != 2 || len(groups[0].ChildNotificationGroupIDs) != 0 || groups[1].ID != g1.ID {
		t.Fatalf("after deleting %s: %+v", g2ID, groups)
	}
}

// A group naming a monitor, a service or a channel that is then deleted
// no longer names it.
func TestNotificationGroupsForgetDeleted(t *testing.T) {
	env, mc, monID, chID := notifyEnv(t)
	env.MustCreateService(t, "db")
	g, err := mc.CreateNotificationGroup(&mackerel.NotificationGroup{Name: "g", NotificationLevel: "all",
		ChildChannelIDs: []string{chID},
		Monitors:        []*mackerel.NotificationGroupMonitor{{ID: monID}},
		Services:        []*mackerel.NotificationGroupService{{Name: "web"}, {Name: "db"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/api/v0/monitors/" + monID, "/api/v0/services/web", "/api/v0/channels/" + chID} {
		if resp := serve(t, env.Handler, "DELETE", path, ""); resp.status != http.StatusOK {
			t.Fatalf("DELETE %s: %d %s", path, resp.status, resp.body)
		}
	}
	resp := serve(t, env.Handler, "GET", "/api/v0/notification-groups", "")
	want := `{"id":"` + g.ID + `","type":"group","name":"g","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":[],"monitors":[],"services":[{"name":"db"}]}`
	if !strings.Contains(string(resp.body), want) {
		t.Fatalf("GET list\n %s\ndoes not hold %s", resp.body, want)
	}
}
