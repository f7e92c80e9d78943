package channel_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// seed creates a channel from its JSON body through the API and names its
// id {<name>}.
func seed(e *cmdtest.Env, body string) *client.Channel {
	e.T.Helper()
	var ch client.Channel
	if err := json.Unmarshal([]byte(body), &ch); err != nil {
		e.T.Fatal(err)
	}
	created, err := e.API().CreateChannel(context.Background(), &ch)
	if err != nil {
		e.T.Fatalf("CreateChannel: %v", err)
	}
	e.Names[created.Name()] = created.ID()
	return created
}

// stored is every channel as the API lists it, as compact JSON.
func stored(e *cmdtest.Env) string {
	e.T.Helper()
	list, err := e.API().FindChannels(context.Background())
	if err != nil {
		e.T.Fatalf("FindChannels: %v", err)
	}
	return toJSON(e.T, list)
}

// defaultGroupChannels are the channel ids of the default group.
func defaultGroupChannels(e *cmdtest.Env) []string {
	e.T.Helper()
	groups, err := e.API().FindNotificationGroups(context.Background())
	if err != nil {
		e.T.Fatal(err)
	}
	for _, g := range groups {
		if g.IsDefault() {
			return g.Strings("childChannelIds")
		}
	}
	e.T.Fatal("no default group")
	return nil
}

func toJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const (
	mailBody  = `{"name":"mail","type":"email","emails":["ops@example.com"],"events":["alert"]}`
	slackBody = `{"name":"slack","type":"slack","url":"https://hooks.slack.com/services/T/B/X","mentions":{"ok":"ok!","critical":"<!here>"},"enabledGraphImage":true,"events":["alert","hostStatus"]}`
	hookBody  = `{"name":"hook","type":"webhook","url":"https://example.com/hook","events":["alert"]}`
)

// seedThree seeds an email, a Slack and a webhook channel.
func seedThree(e *cmdtest.Env) {
	e.T.Helper()
	for _, b := range []string{mailBody, slackBody, hookBody} {
		seed(e, b)
	}
}

func mustChannels(e *cmdtest.Env) []*client.Channel {
	e.T.Helper()
	list, err := e.API().FindChannels(context.Background())
	if err != nil {
		e.T.Fatal(err)
	}
	return list
}

func defaultGroupID(e *cmdtest.Env) string {
	e.T.Helper()
	groups, err := e.API().FindNotificationGroups(context.Background())
	if err != nil {
		e.T.Fatal(err)
	}
	for _, g := range groups {
		if g.IsDefault() {
			return g.ID()
		}
	}
	e.T.Fatal("no default group")
	return ""
}

// defaultGroupWith is the default group's definition with the channels ids.
func defaultGroupWith(e *cmdtest.Env, ids ...string) *client.NotificationGroup {
	e.T.Helper()
	var g client.NotificationGroup
	if err := json.Unmarshal([]byte(`{"name":"Default","notificationLevel":"all"}`), &g); err != nil {
		e.T.Fatal(err)
	}
	if err := g.Set("childChannelIds", ids); err != nil {
		e.T.Fatal(err)
	}
	return &g
}
