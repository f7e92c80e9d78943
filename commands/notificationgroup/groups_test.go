package notificationgroup_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// groupsFile is a notification-groups.json as a person writes it: no ids
// nor types, the default group by its name.
const groupsFile = `{"notificationGroups":[
{"name":"Default","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":["{hook}"]},
{"name":"ops","notificationLevel":"critical","childNotificationGroupIds":[],"childChannelIds":["{hook}","{mail}"],"monitors":[{"id":"{m-conn}","skipDefault":true}]},
{"name":"dev","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":[],"services":[{"name":"svc"}]}
]}
`

// pulledGroups is what pull writes once groupsFile was pushed.
const pulledGroups = `{
    "notificationGroups": [
        {
            "id": "{g-Default}",
            "type": "group-default",
            "name": "Default",
            "notificationLevel": "all",
            "childNotificationGroupIds": [],
            "childChannelIds": [
                "{hook}"
            ]
        },
        {
            "id": "{g-ops}",
            "type": "group",
            "name": "ops",
            "notificationLevel": "critical",
            "childNotificationGroupIds": [],
            "childChannelIds": [
                "{hook}",
                "{mail}"
            ],
            "monitors": [
                {
                    "id": "{m-conn}",
                    "skipDefault": true
                }
            ]
        },
        {
            "id": "{g-dev}",
            "type": "group",
            "name": "dev",
            "notificationLevel": "all",
            "childNotificationGroupIds": [],
            "childChannelIds": [],
            "services": [
                {
                    "name": "svc"
                }
            ]
        }
    ]
}
`

// newEnv is an Env with a service, a monitor ({m-conn}) and two channels
// ({hook}, {mail}) for groups to name.
func newEnv(t *testing.T) *cmdtest.Env {
	t.Helper()
	e := cmdtest.New(t)
	e.SeedService("svc", "web")
	for name, body := range map[string]string{
		"hook": `{"name":"hook","type":"webhook","url":"https://example.com/h"}`,
		"mail": `{"name":"mail","type":"email","emails":["ops@example.com"]}`,
	} {
		var ch client.Channel
		if err := json.Unmarshal([]byte(body), &ch); err != nil {
			t.Fatal(err)
		}
		created, err := e.API().CreateChannel(t.Context(), &ch)
		if err != nil {
			t.Fatal(err)
		}
		e.Names[name] = created.ID()
	}
	e.MustRun("monitors", "push", "-F", e.WriteFile("monitors.json", `{"monitors":[{"type":"connectivity","name":"conn"}]}`))
	e.Names["m-conn"] = strings.TrimSpace(e.MustRun("monitors", "--jq", ".[0].id"))
	recordGroups(t, e)
	return e
}

// recordGroups names each group's id {g-<name>}.
func recordGroups(t *testing.T, e *cmdtest.Env) {
	t.Helper()
	gs, err := e.API().FindNotificationGroups(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gs {
		e.Names["g-"+g.Name()] = g.ID()
	}
}

func serverGroups(t *testing.T, e *cmdtest.Env) string {
	t.Helper()
	return e.MustRun("notification-groups", "--jq", "[.[] | [.name, .type, .notificationLevel, (.childChannelIds | length)]]")
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestNotificationGroupsRoundTrip: a hand-written file pushes (the
// default group updated, never created), pulls back in client field
// order, and the pulled file diffs and pushes as no change.
func TestNotificationGroupsRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.Names["file"] = e.WriteFile("groups.json", e.Expand(groupsFile))
	r := e.Run("notification-groups", "push", "-F", "{file}")
	e.Check(r, cmdtest.Want{Stdout: `{
  "name": "ops",
  "notificationLevel": "critical",
  "childNotificationGroupIds": [],
  "childChannelIds": [
    "{hook}",
    "{mail}"
  ],
  "monitors": [
    {
      "id": "{m-conn}",
      "skipDefault": true
    }
  ]
},
{
  "name": "dev",
  "notificationLevel": "all",
  "childNotificationGroupIds": [],
  "childChannelIds": [],
  "services": [
    {
      "name": "svc"
    }
  ]
},
{
  "id": "{g-Default}",
  "name": "Default",
  "notificationLevel": "all",
  "childNotificationGroupIds": [],
  "childChannelIds": [
    "{hook}"
  ]
},
`, Stderr: cmdtest.LogLine(false, "info", "Create a new group.") + cmdtest.LogLine(false, "info", "Create a new group.") +
		cmdtest.LogLine(false, "info", "Update a group.")})
	recordGroups(t, e)

	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			r := e.RunWith(cmdtest.RunOpts{TTY: tty}, "notification-groups", "pull", "-F", e.Dir+"/pulled.json")
			e.CheckT(t, r, cmdtest.Want{Stderr: cmdtest.LogLine(tty, "info", "Notification groups are saved to '"+e.Dir+"/pulled.json' (3 groups).")})
			cmdtest.Equal(t, "pulled file", readFile(t, e.Dir+"/pulled.json"), e.Expand(pulledGroups))
			e.CheckT(t, e.RunWith(cmdtest.RunOpts{TTY: tty}, "notification-groups", "diff", "-e", "-F", e.Dir+"/pulled.json"),
				cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})
			e.CheckT(t, e.RunWith(cmdtest.RunOpts{TTY: tty}, "notification-groups", "push", "-F", e.Dir+"/pulled.json"), cmdtest.Want{})
			// The hand-written file (no ids, no types) is no change either.
			e.CheckT(t, e.RunWith(cmdtest.RunOpts{TTY: tty}, "notification-groups", "diff", "-e", "-F", "{file}"),
				cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})
		})
	}

	// pull -v prints the list too; the default file is notification-groups.json.
	t.Chdir(e.Dir)
	r = e.Run("notification-groups", "pull", "-v")
	want := e.Expand(pulledGroups)
	want = strings.TrimSuffix(strings.TrimPrefix(want, "{\n    \"notificationGroups\": "), "}\n")
	want = strings.ReplaceAll(want, "\n    ", "\n")
	e.Check(r, cmdtest.Want{Stdout: want, Stderr: cmdtest.LogLine(false, "info", "Notification groups are saved to 'notification-groups.json' (3 groups).")})
	cmdtest.Equal(t, "default file", readFile(t, "notification-groups.json"), e.Expand(pulledGroups))
}

func TestNotificationGroupsList(t *testing.T) {
	e := newEnv(t)
	e.MustRun("notification-groups", "push", "-F", e.WriteFile("groups.json", e.Expand(groupsFile)))
	recordGroups(t, e)
	e.Check(e.Run("notification-groups", "--jq", ".[].name"), cmdtest.Want{Stdout: "Default\nops\ndev\n"})
	pulled := e.Expand(pulledGroups)
	e.Check(e.Run("notification-groups"), cmdtest.Want{Stdout: strings.ReplaceAll(
		strings.TrimSuffix(strings.TrimPrefix(pulled, "{\n    \"notificationGroups\": "), "}\n"), "\n    ", "\n")})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "notification-groups"), cmdtest.Want{Stdout: `ID            NAME                LEVEL      CHANNELS                  GROUPS   MONITORS      SERVICES
{g-Default}   Default (default)   all        {hook}
{g-ops}   ops                 critical   {hook},{mail}            {m-conn}
{g-dev}   dev                 all                                                         svc
`})
}
