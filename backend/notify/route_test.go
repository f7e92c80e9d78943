package notify

import (
	"reflect"
	"testing"

	"github.com/mkr-dev/mkr/backend/channel"
	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

func TestRoute(t *testing.T) {
	ch := func(id, typ string, events ...string) *Dest {
		if events == nil {
			events = []string{channel.EventAlert}
		}
		return &Dest{Channel: &channel.Channel{ID: id, Type: typ, Events: events}}
	}
	dests := map[string]*Dest{
		"hook":    ch("hook", channel.TypeWebhook),
		"slack":   ch("slack", channel.TypeSlack),
		"mail":    ch("mail", channel.TypeEmail),
		"hosts":   ch("hosts", channel.TypeWebhook, channel.EventHostRegister, channel.EventHostRetire),
		"paged":   ch("paged", channel.TypeWebhook),
		"gone":    {Channel: &channel.Channel{ID: "gone", Type: channel.TypeWebhook, Events: []string{"alert"}}, Suspended: true},
		"line":    ch("line", "line"),
		"db-team": ch("db-team", channel.TypeSlack),
	}
	group := func(id, level string, channels ...string) *notifygroup.Group {
		return &notifygroup.Group{ID: id, NotificationLevel: level, ChildChannelIDs: channels}
	}
	def := group("default", notifygroup.LevelAll, "hook", "gone", "line", "hosts")
	def.IsDefault = true
	web := group("web", notifygroup.LevelAll, "slack", "hook")
	web.Services = []notifygroup.ServiceRule{{Name: "web"}}
	db := group("db", notifygroup.LevelAll, "db-team")
	db.Monitors = []notifygroup.MonitorRule{{ID: "m-db", SkipDefault: true}}
	pager := group("pager", notifygroup.LevelCritical, "paged")
	web.ChildGroupIDs = []string{"pager", "web"} // a cycle through itself
	pager.ChildGroupIDs = []string{"web"}        // and back
	mail := group("mail", notifygroup.LevelAll, "mail")
	critParent := group("crit-parent", notifygroup.LevelCritical)
	critParent.Monitors = []notifygroup.MonitorRule{{ID: "m-nested"}}
	critParent.ChildGroupIDs = []string{"mail"}
	groups := []*notifygroup.Group{def, web, db, pager, mail, critParent}

	alert := func(monitor, status, prev string, services ...string) Target {
		return Target{Kind: store.EventAlert, MonitorID: monitor, Status: status, PrevStatus: prev, Services: services}
	}
	tests := []struct {
		name string
		t    Target
		want []string
	}{
		{"default group only; suspended, undeliverable and unsubscribed channels left out", alert("m1", "WARNING", ""), []string{"hook"}},
		{"service group too, each channel once", alert("m1", "WARNING", "", "web"), []string{"hook", "slack"}},
		{"critical-only child group passes CRITICAL", alert("m1", "CRITICAL", "WARNING", "web"), []string{"hook", "slack", "paged"}},
		{"critical-only child group passes UNKNOWN", alert("m1", "UNKNOWN", "", "web"), []string{"hook", "slack", "paged"}},
		{"OK after CRITICAL passes a critical group", alert("m1", "OK", "CRITICAL", "web"), []string{"hook", "slack", "paged"}},
		{"OK after WARNING does not", alert("m1", "OK", "WARNING", "web"), []string{"hook", "slack"}},
		{"a CRITICAL repeat passes", alert("m1", "CRITICAL", "CRITICAL", "web"), []string{"hook", "slack", "paged"}},
		{"skipDefault: the monitor's group only", alert("m-db", "CRITICAL", ""), []string{"db-team"}},
		{"a critical parent stops WARNING for its children", alert("m-nested", "WARNING", ""), []string{"hook"}},
		{"a critical parent passes CRITICAL to its children", alert("m-nested", "CRITICAL", ""), []string{"hook", "mail"}},
		{"host events go to subscribed channels", Target{Kind: store.EventHostRegister, Services: []string{"web"}}, []string{"hosts"}},
		{"no subscriber, nothing", Target{Kind: store.EventMonitor, MonitorID: "m1"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Route(tt.t, groups, dests); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Route = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestBackoff(t *testing.T) {
	d := New(nil, Options{Backoff: 30e9, MaxBackoff: 300e9})
	var got []float64
	for n := 1; n <= 6; n++ {
		got = append(got, d.backoff(n).Seconds())
	}
	if want := []float64{30, 60, 120, 240, 300, 300}; !reflect.DeepEqual(got, want) {
		t.Errorf("backoff = %v, want %v", got, want)
	}
}
