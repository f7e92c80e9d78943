package channel_test

import (
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestChannelsCreate(t *testing.T) {
	e := cmdtest.New(t)
	r := e.Run("channels", "create", "--type", "slack", "--name", "ops", "--url", "https://hooks.slack.com/services/T/B/X",
		"--mention-critical", "<!here>", "--mention-ok", "back", "--event", "alert", "--event", "hostStatus",
		"--enable-graph-image", "--add-to-default-group")
	if r.Code != 0 {
		t.Fatalf("create:\n%s", r)
	}
	created := seedID(e, "ops")
	e.Check(r, cmdtest.Want{Stdout: `{
    "id": "{ops}",
    "name": "ops",
    "type": "slack",
    "mentions": {
        "ok": "back",
        "critical": "<!here>"
    },
    "enabledGraphImage": true,
    "url": "https://hooks.slack.com/services/T/B/X",
    "events": [
        "alert",
        "hostStatus"
    ]
}
`})
	if got := defaultGroupChannels(e); !slices.Equal(got, []string{created}) {
		t.Errorf("default group channels %v, want [%s]", got, created)
	}
	// --jq prints the id; without --add-to-default-group the default
	// group is left alone; without --event the server's default applies.
	r = e.Run("channels", "create", "-t", "email", "-n", "mail", "--email", "a@example.com", "--email", "b@example.com", "--jq", ".events[]")
	e.Check(r, cmdtest.Want{Stdout: "alert\n"})
	r = e.Run("channels", "create", "--type", "webhook", "--name", "hook", "--url", "https://example.com/h", "--jq", ".id")
	if r.Code != 0 || len(r.Stdout) != 12 {
		t.Errorf("webhook --jq .id:\n%s", r)
	}
	if got := defaultGroupChannels(e); !slices.Equal(got, []string{created}) {
		t.Errorf("default group channels %v, want only [%s]", got, created)
	}
}

// seedID records the id of the channel named name as {name}.
func seedID(e *cmdtest.Env, name string) string {
	e.T.Helper()
	for _, ch := range mustChannels(e) {
		if ch.Name() == name {
			e.Names[name] = ch.ID()
			return ch.ID()
		}
	}
	e.T.Fatalf("no channel %q", name)
	return ""
}

func TestChannelsCreateRefusals(t *testing.T) {
	e := cmdtest.New(t)
	usage := func(msg string) cmdtest.Want {
		return cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, msg, "channels", "create")}
	}
	tests := []struct {
		name string
		args []string
		want cmdtest.Want
	}{
		{"no type", []string{"--name", "x"}, usage("--type is required: email, slack, webhook")},
		{"a type it cannot create", []string{"--type", "chatwork", "--name", "x"}, usage(`--type must be one of email, slack, webhook, not "chatwork"`)},
		{"no name", []string{"--type", "webhook", "--url", "https://example.com"}, usage("--name is required")},
		{"a mention for email", []string{"--type", "email", "--name", "x", "--email", "a@example.com", "--mention-ok", "hi"}, usage("--mention-ok does not apply to email channels")},
		{"an address for a webhook", []string{"--type", "webhook", "--name", "x", "--url", "https://example.com", "--email", "a@example.com"}, usage("--email does not apply to webhook channels")},
		{"the server's 400", []string{"--type", "webhook", "--name", "x", "--url", "ftp://example.com"},
			cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `API request failed: url must be http or https, not "ftp://example.com".`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.CheckT(t, e.Run(append([]string{"channels", "create"}, tt.args...)...), tt.want)
			if got := stored(e); got != "[]" {
				t.Errorf("channels after a refusal: %s", got)
			}
		})
	}
}

// TestChannelsUpdate: only the given flags change; lists are replaced or
// emptied; a mention flag with "" removes that mention; an update lifts a
// suspension.
func TestChannelsUpdate(t *testing.T) {
	e := cmdtest.New(t)
	seedThree(e)
	if err := e.Store().SuspendChannel(t.Context(), e.Names["hook"], cmdtest.Epoch.Unix()); err != nil {
		t.Fatal(err)
	}
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "channels", "--jq", `.[] | select(.name == "hook") | .suspendedAt`),
		cmdtest.Want{Stdout: "1714979289\n"})
	r := e.RunWith(cmdtest.RunOpts{TTY: true}, "channels", "--output", "table")
	if want := "2024-05-06T07:08:09+00:00\n"; len(r.Stdout) < len(want) || r.Stdout[len(r.Stdout)-len(want):] != want {
		t.Errorf("suspension in the table:\n%s", r)
	}

	e.Check(e.Run("channels", "update", "{slack}", "--mention-ok", "", "--mention-warning", "careful", "--event", "monitor", "--enable-graph-image=false"),
		cmdtest.Want{Stdout: `{
    "id": "{slack}",
    "name": "slack",
    "type": "slack",
    "mentions": {
        "warning": "careful",
        "critical": "<!here>"
    },
    "enabledGraphImage": false,
    "url": "https://hooks.slack.com/services/T/B/X",
    "events": [
        "monitor"
    ]
}
`})
	e.Check(e.Run("channels", "update", "{hook}", "--name", "hook2", "--jq", "[.name, .url, .suspendedAt]"),
		cmdtest.Want{Stdout: `["hook2","https://example.com/hook",null]` + "\n"})
	e.Check(e.Run("channels", "update", "{mail}", "--email", "", "--user-id", "nobody"),
		cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `API request failed: userIds: "nobody" is not a user of this organization.`)})
	e.Check(e.Run("channels", "update", "{mail}", "--email", "x@example.com", "--email", "y@example.com", "--jq", ".emails | join(\" \")"),
		cmdtest.Want{Stdout: "x@example.com y@example.com\n"})

	before := stored(e)
	e.Check(e.Run("channels", "update", "{mail}", "--url", "https://example.com"),
		cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "--url does not apply to email channels")})
	e.Check(e.Run("channels", "update", "nosuch", "--name", "x"),
		cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `no channel has the id "nosuch"`)})
	e.Check(e.Run("channels", "update", "{mail}"),
		cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "nothing to change: give at least one of the flags", "channels", "update")})
	e.Check(e.Run("channels", "update", "--name", "x"),
		cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, "update takes exactly one channel id", "channels", "update")})
	cmdtest.Equal(t, "channels after refusals", stored(e), before)
}
