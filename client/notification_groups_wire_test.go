package client_test

import (
	"encoding/json"
	"strings"
	"testing"

	mackerel "github.com/mackerelio/mackerel-client-go"
	"github.com/mkr-dev/mkr/client"
)

// wireSamples are channels, notification groups and alert group settings
// as the API or a hand-written file may hold them: fields out of order,
// absent, null, empty and zero fields, escapes.
var wireSamples = []struct {
	name, raw string
	ours      func() json.Unmarshaler
	upstream  func() any
}{
	{"email channel", `{"type":"email","userIds":[],"emails":["a@example.com"],"events":["alert","hostStatus"],"name":"mail <ops> & \u00e9","id":"c1","mentions":{}}`, newChannel, newUpstreamChannel},
	{"slack channel", `{"id":"c2","name":"s","type":"slack","url":"https://hooks.slack.com/x","mentions":{"critical":"@here","ok":"ok"},"enabledGraphImage":false,"events":[]}`, newChannel, newUpstreamChannel},
	{"webhook channel, suspended", `{"id":"c3","name":"w","type":"webhook","url":"http://x","suspendedAt":1700000000,"enabledGraphImage":true,"events":null}`, newChannel, newUpstreamChannel},
	{"suspendedAt 0 is kept, null is not", `{"id":"c4","name":"w","type":"webhook","suspendedAt":0,"emails":null}`, newChannel, newUpstreamChannel},
	{"bare channel", `{"type":"line"}`, newChannel, newUpstreamChannel},
	{"create body", `{"name":"n","type":"slack","addToDefaultNotificationGroup":false,"mentions":{"warning":""}}`, newChannel, newUpstreamChannel},
	{"group", `{"services":[{"name":"svc"}],"monitors":[{"skipDefault":true,"id":"m1"},{"id":"m2"}],"childChannelIds":["c1"],"childNotificationGroupIds":[],"notificationLevel":"critical","name":"ops","type":"group","id":"g1"}`, newGroup, newUpstreamGroup},
	{"default group", `{"id":"g0","type":"group-default","name":"Default","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":[],"monitors":[],"services":[]}`, newGroup, newUpstreamGroup},
	{"group as a file may say it", `{"name":"n"}`, newGroup, newUpstreamGroup},
	{"alert group setting", `{"notificationInterval":60,"monitorScopes":["m1"],"roleScopes":["svc: db"],"serviceScopes":["svc"],"memo":"m","name":"ags","id":"a1"}`, newSetting, newUpstreamSetting},
	{"bare alert group setting", `{"name":"ags","memo":"","serviceScopes":[],"roleScopes":null,"notificationInterval":0}`, newSetting, newUpstreamSetting},
}

func newChannel() json.Unmarshaler { return &client.Channel{} }
func newGroup() json.Unmarshaler   { return &client.NotificationGroup{} }
func newSetting() json.Unmarshaler { return &client.AlertGroupSetting{} }
func newUpstreamChannel() any      { return &mackerel.Channel{} }
func newUpstreamGroup() any        { return &mackerel.NotificationGroup{} }
func newUpstreamSetting() any      { return &mackerel.AlertGroupSetting{} }

// TestNotificationWireMatchesUpstream: each resource prints exactly what
// mackerel-client-go's struct prints (what upstream mkr prints), and a
// second round trip changes nothing.
func TestNotificationWireMatchesUpstream(t *testing.T) {
	for _, s := range wireSamples {
		t.Run(s.name, func(t *testing.T) {
			ours := s.ours()
			if err := json.Unmarshal([]byte(s.raw), ours); err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(ours, "", "    ")
			if err != nil {
				t.Fatal(err)
			}
			theirs := s.upstream()
			if err := json.Unmarshal([]byte(s.raw), theirs); err != nil {
				t.Fatal(err)
			}
			want, _ := json.MarshalIndent(theirs, "", "    ")
			if string(got) != string(want) {
				t.Errorf("got:\n%s\nwant (mackerel-client-go):\n%s", got, want)
			}
			again := s.ours()
			if err := json.Unmarshal(got, again); err != nil {
				t.Fatal(err)
			}
			if b, _ := json.MarshalIndent(again, "", "    "); string(b) != string(got) {
				t.Errorf("second round trip:\n%s\nfirst:\n%s", b, got)
			}
		})
	}
}

// TestNotificationWireKeepsUnknown: fields this client does not know are
// kept after the known ones, at the top and inside nested objects.
func TestNotificationWireKeepsUnknown(t *testing.T) {
	tests := []struct {
		name, in, want string
		v              json.Unmarshaler
	}{
		{"channel", `{"future":{"b":1},"type":"microsoft-teams","id":"c","name":"t","mentions":{"info":"x","ok":"y"}}`,
			`{"id":"c","name":"t","type":"microsoft-teams","mentions":{"ok":"y","info":"x"},"future":{"b":1}}`, &client.Channel{}},
		{"group", `{"name":"g","monitors":[{"id":"m","extra":1}],"labels":["x"]}`,
			`{"name":"g","notificationLevel":"","childNotificationGroupIds":null,"childChannelIds":null,"monitors":[{"id":"m","skipDefault":false,"extra":1}],"labels":["x"]}`, &client.NotificationGroup{}},
		{"setting", `{"x":1,"name":"a"}`, `{"name":"a","x":1}`, &client.AlertGroupSetting{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := json.Unmarshal([]byte(tt.in), tt.v); err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(tt.v)
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestNotificationWireBadFields: a known field of the wrong type is an
// error naming the resource and the field.
func TestNotificationWireBadFields(t *testing.T) {
	tests := []struct {
		in, want string
		v        json.Unmarshaler
	}{
		{`{"suspendedAt":"x"}`, `channel field "suspendedAt": json: cannot unmarshal string into Go value of type int64`, &client.Channel{}},
		{`{"mentions":[]}`, `channel field "mentions": must be a JSON object`, &client.Channel{}},
		{`{"mentions":{"ok":1}}`, `channel field "mentions": field "ok": json: cannot unmarshal number`, &client.Channel{}},
		{`{"emails":"a@b"}`, `channel field "emails": json: cannot unmarshal string`, &client.Channel{}},
		{`[]`, `a channel must be a JSON object`, &client.Channel{}},
		{`{"monitors":[{"skipDefault":"yes"}]}`, `notification group field "monitors": item 1: field "skipDefault": json: cannot unmarshal string`, &client.NotificationGroup{}},
		{`{"childChannelIds":[1]}`, `notification group field "childChannelIds": json: cannot unmarshal number`, &client.NotificationGroup{}},
		{`{"notificationInterval":-5}`, `alert group setting field "notificationInterval": json: cannot unmarshal number -5 into Go value of type uint64`, &client.AlertGroupSetting{}},
		{`"x"`, `an alert group setting must be a JSON object`, &client.AlertGroupSetting{}},
	}
	for _, tt := range tests {
		err := json.Unmarshal([]byte(tt.in), tt.v)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestChannelSetAndAccessors(t *testing.T) {
	ch := client.NewChannel("slack", "s")
	if err := ch.Set("mentions", map[string]string{"critical": "@here", "ok": "fine"}); err != nil {
		t.Fatal(err)
	}
	if err := ch.Set("events", []string{"alert"}); err != nil {
		t.Fatal(err)
	}
	if err := ch.Set("enabledGraphImage", "yes"); err == nil || !strings.Contains(err.Error(), `channel field "enabledGraphImage"`) {
		t.Errorf("a string for a bool: %v", err)
	}
	got, _ := json.Marshal(ch)
	if want := `{"name":"s","type":"slack","mentions":{"ok":"fine","critical":"@here"},"events":["alert"]}`; string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if ch.Mention("critical") != "@here" || ch.Mention("warning") != "" || ch.SuspendedAt() != nil || ch.Type() != "slack" {
		t.Errorf("accessors: %q %q %v %q", ch.Mention("critical"), ch.Mention("warning"), ch.SuspendedAt(), ch.Type())
	}
	clone := ch.Clone()
	clone.Delete("events")
	if !ch.Has("events") || clone.Has("events") {
		t.Error("Clone shares fields with the original")
	}
	var g client.NotificationGroup
	if err := json.Unmarshal([]byte(`{"id":"g","type":"group-default","monitors":[{"id":"m1"},{"id":"m2","skipDefault":true}],"services":[{"name":"s"}]}`), &g); err != nil {
		t.Fatal(err)
	}
	if !g.IsDefault() || strings.Join(g.MonitorIDs(), ",") != "m1,m2" || strings.Join(g.ServiceNames(), ",") != "s" {
		t.Errorf("group accessors: %v %q %q", g.IsDefault(), g.MonitorIDs(), g.ServiceNames())
	}
	if b, _ := json.Marshal(g.Without("id", "type")); strings.Contains(string(b), `"id":"g"`) || strings.Contains(string(b), "group-default") {
		t.Errorf("Without: %s", b)
	}
}
