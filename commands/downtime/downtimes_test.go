package downtime_test

import (
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestDowntimesList(t *testing.T) {
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	e.Check(e.Run("downtimes"), cmdtest.Want{Stdout: "[]\n"})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "downtimes"), cmdtest.Want{Stdout: "ID   NAME   START   DURATION   RECURRENCE   SCOPES   WINDOW\n"})

	e.SeedService("web", "app")
	// 2024-05-06 is a Monday; 16:08:09 in Tokyo.
	seed(e, client.Downtime{Name: "deploy", Start: epoch + 3600, Duration: 30, ServiceScopes: []string{"web"}})
	seed(e, client.Downtime{Name: "nightly", Memo: "backups", Start: epoch - 7*86400 - 600, Duration: 90,
		Recurrence:        &client.DowntimeRecurrence{Type: "weekly", Interval: 2, Weekdays: []string{"Monday", "Thursday"}, Until: epoch + 365*86400},
		RoleExcludeScopes: []string{"web: app"}})
	seed(e, client.Downtime{Name: "past", Start: epoch - 86400, Duration: 60})
	seed(e, client.Downtime{Name: "daily", Start: epoch - 86400 - 1800, Duration: 120, Recurrence: &client.DowntimeRecurrence{Type: "daily", Interval: 1}})

	e.Check(e.Run("downtimes"), cmdtest.Want{Stdout: `[
    {
        "id": "{deploy}",
        "name": "deploy",
        "start": 1714982889,
        "duration": 30,
        "serviceScopes": [
            "web"
        ]
    },
    {
        "id": "{nightly}",
        "name": "nightly",
        "memo": "backups",
        "start": 1714373889,
        "duration": 90,
        "recurrence": {
            "type": "weekly",
            "interval": 2,
            "weekdays": [
                "Monday",
                "Thursday"
            ],
            "until": 1746515289
        },
        "roleExcludeScopes": [
            "web: app"
        ]
    },
    {
        "id": "{past}",
        "name": "past",
        "start": 1714892889,
        "duration": 60
    },
    {
        "id": "{daily}",
        "name": "daily",
        "start": 1714891089,
        "duration": 120,
        "recurrence": {
            "type": "daily",
            "interval": 1
        }
    }
]
`})
	e.Check(e.Run("downtimes", "--jq", ".[].name"), cmdtest.Want{Stdout: "deploy\nnightly\npast\ndaily\n"})

	// nightly started on Monday 2024-04-29 at 15:58 (Tokyo), every other
	// week: its next occurrences are Thursday 2 May (past) and Monday
	// 13 May. daily is in force from 15:38 to 17:38 every day. Ids are 11
	// characters: each placeholder is followed by 3 spaces.
	want := "" +
		"ID            NAME      START              DURATION   RECURRENCE                                         SCOPES         WINDOW\n" +
		"{deploy}   deploy    2024-05-06 17:08   30m        once                                               web            2024-05-06 17:08 to 2024-05-06 17:38\n" +
		"{nightly}   nightly   2024-04-29 15:58   1h30m      every 2 weeks on Mon, Thu until 2025-05-06 16:08   not web: app   2024-05-13 15:58 to 2024-05-13 17:28\n" +
		"{past}   past      2024-05-05 16:08   1h         once                                               all            over\n" +
		"{daily}   daily     2024-05-05 15:38   2h         daily                                              all            active until 2024-05-06 17:38\n"
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "downtimes"), cmdtest.Want{Stdout: want})
	e.Check(e.Run("downtimes", "--output", "table"), cmdtest.Want{Stdout: want})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "downtimes", "--output", "json", "--jq", "length"), cmdtest.Want{Stdout: "4\n"})
}
