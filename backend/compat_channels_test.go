package backend_test

// mackerel-client-go v0.46.0 against /api/v0/channels over a loopback
// server: the three writable types created, listed, updated and deleted
// as the official client sends and decodes them, the exact bytes the
// backend answers, suspension, and channels of other types.

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

func pbool(b bool) *bool { return &b }
func pstrs(s ...string) *[]string {
	if s == nil {
		s = []string{}
	}
	return &s
}

// idOf returns the "id" of a JSON object answered by the backend.
func idOf(t *testing.T, body []byte) string {
	t.Helper()
	var v struct{ ID string }
	if err := json.Unmarshal(body, &v); err != nil || v.ID == "" {
		t.Fatalf("no id in %s: %v", body, err)
	}
	return v.ID
}

// defaultGroupID returns the id of the default notification group.
func defaultGroupID(t *testing.T, mc *mackerel.Client) string {
	t.Helper()
	groups, err := mc.FindNotificationGroups()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		if g.Type == mackerel.NotificationGroupTypeGroupDefault {
			return g.ID
		}
	}
	t.Fatalf("no default group among %+v", groups)
	return ""
}

func defaultGroupChannels(t *testing.T, mc *mackerel.Client) []string {
	t.Helper()
	groups, err := mc.FindNotificationGroups()
	if err != nil {
		t.Fatal(err)
	}
	return groups[0].ChildChannelIDs
}

func TestCompatChannels(t *testing.T) {
	env := backendtest.New(t)
	mc := mustMackerel(t, env)

	if list, err := mc.FindChannels(); err != nil || len(list) != 0 {
		t.Fatalf("FindChannels on a new database = %v, %v", list, err)
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/channels", ""); string(resp.body) != `{"channels":[]}` {
		t.Fatalf("empty list: %s", resp.body)
	}

	cases := []struct {
		in, want mackerel.Channel
		wire     string // create's answer; {id} for the id
	}{
		{
			in: mackerel.Channel{Name: "ops mail", Type: "email", Emails: pstrs("ops@example.com", "oncall+mkr@example.org", "ops@example.com"),
				Events: pstrs("alert", "hostRetire")},
			want: mackerel.Channel{Name: "ops mail", Type: "email", Emails: pstrs("ops@example.com", "oncall+mkr@example.org"),
				UserIDs: pstrs(), Events: pstrs("alert", "hostRetire")},
			wire: `{"id":"{id}","name":"ops mail","type":"email","emails":["ops@example.com","oncall+mkr@example.org"],"userIds":[],"events":["alert","hostRetire"]}`,
		},
		{
			in: mackerel.Channel{Name: "ops <slack>", Type: "slack", URL: "https://hooks.slack.com/services/T/B/X?a=1&b=2",
				Mentions: mackerel.Mentions{OK: "ok", Critical: "<!channel> down"}, EnabledGraphImage: pbool(true),
				Events: pstrs("alert", "alertGroup"), AddToDefaultNotificationGroup: pbool(true)},
			want: mackerel.Channel{Name: "ops <slack>", Type: "slack", URL: "https://hooks.slack.com/services/T/B/X?a=1&b=2",
				Mentions: mackerel.Mentions{OK: "ok", Critical: "<!channel> down"}, EnabledGraphImage: pbool(true),
				Events: pstrs("alert", "alertGroup")},
			wire: `{"id":"{id}","name":"ops <slack>","type":"slack","mentions":{"ok":"ok","critical":"<!channel> down"},"enabledGraphImage":true,"url":"https://hooks.slack.com/services/T/B/X?a=1&b=2","events":["alert","alertGroup"]}`,
		},
		{
			// No events: alerts. mackerel-client-go sends "mentions":{},
			// which a webhook channel ignores.
			in:   mackerel.Channel{Name: "hook", Type: "webhook", URL: "http://127.0.0.1:9/hook", AddToDefaultNotificationGroup: pbool(true)},
			want: mackerel.Channel{Name: "hook", Type: "webhook", URL: "http://127.0.0.1:9/hook", EnabledGraphImage: pbool(false), Events: pstrs("alert")},
			wire: `{"id":"{id}","name":"hook","type":"webhook","enabledGraphImage":false,"url":"http://127.0.0.1:9/hook","events":["alert"]}`,
		},
	}
	ids := make([]string, len(cases))
	var listed []string
	for i, c := range cases {
		got, err := mc.CreateChannel(&c.in)
		if err != nil {
			t.Fatalf("CreateChannel %s: %v", c.in.Type, err)
		}
		ids[i] = got.ID
		want := c.want
		want.ID = got.ID
		if len(got.ID) != 11 || !reflect.DeepEqual(got, &want) {
			t.Errorf("CreateChannel %s answered\n %+v\nwant %+v", c.in.Type, got, &want)
		}
		// The exact bytes, through a raw request with the client's body.
		resp := serve(t, env.Handler, "POST", "/api/v0/channels", mustJSON(t, c.in))
		wire := strings.ReplaceAll(c.wire, "{id}", idOf(t, resp.body))
		if resp.status != http.StatusOK || string(resp.body) != wire {
			t.Errorf("POST %s answered %d\n %s\nwant %s", c.in.Type, resp.status, resp.body, wire)
		}
		if _, err := env.Store.DeleteChannel(context.Background(), idOf(t, resp.body)); err != nil {
			t.Fatal(err)
		}
		// Listed: with suspendedAt, null when not suspended, after type.
		listed = append(listed, strings.Replace(strings.ReplaceAll(c.wire, "{id}", ids[i]), `"type":"`+c.in.Type+`",`, `"type":"`+c.in.Type+`","suspendedAt":null,`, 1))
	}
	resp := serve(t, env.Handler, "GET", "/api/v0/channels", "")
	if want := `{"channels":[` + strings.Join(listed, ",") + `]}`; string(resp.body) != want {
		t.Errorf("GET /api/v0/channels\n %s\nwant %s", resp.body, want)
	}
	list, err := mc.FindChannels()
	if err != nil || len(list) != 3 {
		t.Fatalf("FindChannels = %v, %v", list, err)
	}
	for i, c := range cases {
		want := c.want
		want.ID = ids[i]
		if !reflect.DeepEqual(list[i], &want) {
			t.Errorf("FindChannels[%d] =\n %+v\nwant %+v", i, list[i], &want)
		}
	}
	// addToDefaultNotificationGroup: the slack and webhook channels.
	if got := defaultGroupChannels(t, mc); !reflect.DeepEqual(got, []string{ids[1], ids[2]}) {
		t.Errorf("default group's channels = %v, want %v", got, ids[1:])
	}

	// Suspension shows in the list and ends with an update, which
	// replaces the whole definition (events back to their default).
	if err := env.Store.SuspendChannel(context.Background(), ids[2], backendtest.Epoch.Unix()); err != nil {
		t.Fatal(err)
	}
	list, _ = mc.FindChannels()
	if list[2].SuspendedAt == nil || *list[2].SuspendedAt != backendtest.Epoch.Unix() || list[1].SuspendedAt != nil {
		t.Fatalf("suspendedAt after suspending the webhook: %v, %v", list[2].SuspendedAt, list[1].SuspendedAt)
	}
	resp = serve(t, env.Handler, "GET", "/api/v0/channels", "")
	if want := `"type":"webhook","suspendedAt":1714979289,`; !strings.Contains(string(resp.body), want) {
		t.Fatalf("list %s does not hold %s", resp.body, want)
	}
	got, err := mc.UpdateChannel(ids[2], &mackerel.Channel{Name: "hook2", Type: "webhook", URL: "https://example.com/h", EnabledGraphImage: pbool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if want := (&mackerel.Channel{ID: ids[2], Name: "hook2", Type: "webhook", URL: "https://example.com/h", EnabledGraphImage: pbool(true), Events: pstrs("alert")}); !reflect.DeepEqual(got, want) {
		t.Fatalf("UpdateChannel answered %+v, want %+v", got, want)
	}
	resp = serve(t, env.Handler, "GET", "/api/v0/channels", "")
	if want := `{"id":"` + ids[2] + `","name":"hook2","type":"webhook","suspendedAt":null,"enabledGraphImage":true,"url":"https://example.com/h","events":["alert"]}`; !strings.Contains(string(resp.body), want) {
		t.Fatalf("after update, list %s does not hold %s", resp.body, want)
	}
	// The type may be left out (kept); addToDefaultNotificationGroup on
	// update is ignored.
	resp = serve(t, env.Handler, "PUT", "/api/v0/channels/"+ids[0], `{"name":"mail2","emails":["a@example.com"],"addToDefaultNotificationGroup":true,"suspendedAt":5,"id":"other"}`)
	if want := `{"id":"` + ids[0] + `","name":"mail2","type":"email","emails":["a@example.com"],"userIds":[],"events":["alert"]}`; string(resp.body) != want {
		t.Fatalf("PUT without type answered %s, want %s", resp.body, want)
	}
	if got := defaultGroupChannels(t, mc); !reflect.DeepEqual(got, []string{ids[1], ids[2]}) {
		t.Errorf("an update joined the default group: %v", got)
	}

	_, err = mc.UpdateChannel(ids[2], &mackerel.Channel{Name: "x", Type: "slack", URL: "https://example.com"})
	wantAPIError(t, err, http.StatusBadRequest, "type cannot be changed (from webhook to slack): delete the channel and create a new one.")
	_, err = mc.UpdateChannel("nosuch", &mackerel.Channel{Name: "x", Type: "webhook", URL: "https://example.com"})
	wantAPIError(t, err, http.StatusNotFound, "Channel not found.")
	_, err = mc.DeleteChannel("nosuch")
	wantAPIError(t, err, http.StatusNotFound, "Channel not found.")

	// Delete: the channel as it was (listed form), gone from the default
	// group too.
	resp = serve(t, env.Handler, "DELETE", "/api/v0/channels/"+ids[1], "")
	if want := strings.Replace(strings.ReplaceAll(cases[1].wire, "{id}", ids[1]), `"type":"slack",`, `"type":"slack","suspendedAt":null,`, 1); string(resp.body) != want {
		t.Fatalf("DELETE answered %s, want %s", resp.body, want)
	}
	if got := defaultGroupChannels(t, mc); !reflect.DeepEqual(got, []string{ids[2]}) {
		t.Errorf("default group's channels after deleting %s = %v", ids[1], got)
	}
	gone, err := mc.DeleteChannel(ids[2])
	if err != nil || gone.ID != ids[2] || gone.Name != "hook2" {
		t.Fatalf("DeleteChannel = %+v, %v", gone, err)
	}
	if list, _ := mc.FindChannels(); len(list) != 1 || list[0].ID != ids[0] {
		t.Fatalf("after deletes: %+v", list)
	}
}

// Channels of types the API cannot write (made by another tool, or a
// newer server) are listed faithfully — id, name, type, suspendedAt — and
// can be deleted, not updated.
func TestCompatChannelsOtherTypes(t *testing.T) {
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	ctx := context.Background()
	line := &store.Channel{ID: store.NewID(), Type: "line", Name: "line channel",
		Body: []byte(`{"name":"line channel","type":"line","token":"kept out"}`)}
	if err := env.Store.CreateChannel(ctx, line, false); err != nil {
		t.Fatal(err)
	}
	if err := env.Store.SuspendChannel(ctx, line.ID, 12345678); err != nil {
		t.Fatal(err)
	}
	resp := serve(t, env.Handler, "GET", "/api/v0/channels", "")
	if want := `{"channels":[{"id":"` + line.ID + `","name":"line channel","type":"line","suspendedAt":12345678}]}`; string(resp.body) != want {
		t.Fatalf("list %s, want %s", resp.body, want)
	}
	list, err := mc.FindChannels()
	if err != nil || len(list) != 1 || list[0].Type != "line" || *list[0].SuspendedAt != 12345678 || list[0].Events != nil {
		t.Fatalf("FindChannels = %+v, %v", list, err)
	}
	before := env.MustDump(t)
	_, err = mc.UpdateChannel(line.ID, &mackerel.Channel{Name: "x", Type: "line"})
	wantAPIError(t, err, http.StatusBadRequest, `type must be email, slack or webhook: a "line" channel cannot be created or changed through the API.`)
	_, err = mc.CreateChannel(&mackerel.Channel{Name: "x", Type: "pagerduty"})
	wantAPIError(t, err, http.StatusBadRequest, `type must be email, slack or webhook: a "pagerduty" channel cannot be created or changed through the API.`)
	if after := env.MustDump(t); after != before {
		t.Fatalf("refused writes changed the database:\n%s\n%s", before, after)
	}
	if gone, err := mc.DeleteChannel(line.ID); err != nil || gone.Name != "line channel" || *gone.SuspendedAt != 12345678 {
		t.Fatalf("DeleteChannel = %+v, %v", gone, err)
	}
}
