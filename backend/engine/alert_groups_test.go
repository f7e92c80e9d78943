package engine_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// An alert group opens with the first alert its scopes match, takes the
// worst status of its open alerts, repeats every notificationInterval
// and closes with the last alert; alerts outside its scopes are not in it.
func TestAlertGroups(t *testing.T) {
	env := backendtest.New(t)
	env.MustCreateService(t, "shop", "web")
	web := []store.RoleRef{{Service: "shop", Role: "web"}}
	h1 := env.MustCreateHost(t, store.NewHost{Name: "web01", Roles: web})
	h2 := env.MustCreateHost(t, store.NewHost{Name: "web02", Roles: web})
	other := env.MustCreateHost(t, store.NewHost{Name: "other"})
	mustMonitor(t, env, loadMonitor())
	set := &notifygroup.AlertGroupSetting{ID: store.NewID(), Name: "shop web", RoleScopes: []string{"shop: web"}, NotificationInterval: 30}
	set.Normalize()
	if err := env.Store.CreateAlertGroupSetting(t.Context(), &store.AlertGroupSetting{ID: set.ID, Body: notifygroup.EncodeSetting(set)}); err != nil {
		t.Fatal(err)
	}
	env.Clock.Advance(time.Minute)
	post(t, env, other, map[string]float64{"loadavg5": 9}) // not in the group
	advance(t, env)
	if got := groupEventsOf(t, env); len(got) != 0 {
		t.Fatalf("group events for an alert outside the scopes: %q", got)
	}
	post(t, env, h1, map[string]float64{"loadavg5": 3})
	advance(t, env)
	post(t, env, h2, map[string]float64{"loadavg5": 9})
	advance(t, env)
	env.Clock.Advance(30 * time.Minute) // a repeat; the data is stale now, nothing else changes
	advance(t, env)
	env.Clock.Advance(time.Minute)
	post(t, env, h2, map[string]float64{"loadavg5": 0})
	advance(t, env)
	post(t, env, h1, map[string]float64{"loadavg5": 0})
	advance(t, env)
	want := []string{
		"->WARNING alerts=1",
		"WARNING->CRITICAL alerts=2",
		"CRITICAL->CRITICAL alerts=2",
		"CRITICAL->WARNING alerts=1",
		"WARNING->OK alerts=0",
	}
	if got := groupEventsOf(t, env); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("alert group events:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// groupEventsOf describes the alertGroup events of the outbox as
// "<prev>-><status> alerts=<n>".
func groupEventsOf(t *testing.T, env *backendtest.Env) []string {
	t.Helper()
	list, err := env.Store.AlertEvents(t.Context(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range list {
		if e.Kind != store.EventAlertGroup {
			continue
		}
		var p engine.AlertGroupEvent
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			t.Fatalf("payload %s: %v", e.Payload, err)
		}
		out = append(out, fmt.Sprintf("%s->%s alerts=%d", e.PrevStatus, e.Status, len(p.AlertIDs)))
	}
	return out
}
