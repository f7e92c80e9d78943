package channel_test

import (
	"os"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// listed is `mkr channels` off a terminal: upstream's JSON (client field
// order, mentions always, 4-space indent).
const listed = `[
    {
        "id": "{mail}",
        "name": "mail",
        "type": "email",
        "emails": [
            "ops@example.com"
        ],
        "userIds": [],
        "mentions": {},
        "events": [
            "alert"
        ]
    },
    {
        "id": "{slack}",
        "name": "slack",
        "type": "slack",
        "mentions": {
            "ok": "ok!",
            "critical": "<!here>"
        },
        "enabledGraphImage": true,
        "url": "https://hooks.slack.com/services/T/B/X",
        "events": [
            "alert",
            "hostStatus"
        ]
    },
    {
        "id": "{hook}",
        "name": "hook",
        "type": "webhook",
        "mentions": {},
        "enabledGraphImage": false,
        "url": "https://example.com/hook",
        "events": [
            "alert"
        ]
    }
]
`

func TestChannelsList(t *testing.T) {
	e := cmdtest.New(t)
	e.Check(e.Run("channels"), cmdtest.Want{Stdout: "[]\n"})
	seedThree(e)
	e.Check(e.Run("channels"), cmdtest.Want{Stdout: listed})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "channels"), cmdtest.Want{Stdout: `ID            TYPE      NAME    DESTINATION                              EVENTS             SUSPENDED
{mail}   email     mail    ops@example.com                          alert
{slack}   slack     slack   https://hooks.slack.com/services/T/B/X   alert,hostStatus
{hook}   webhook   hook    https://example.com/hook                 alert
`})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "channels", "--jq", `.[] | select(.type == "slack") | .mentions.critical`),
		cmdtest.Want{Stdout: "<!here>\n"})
	e.Check(e.Run("channels", "--output", "json", "--jq", ".[].id"), cmdtest.Want{Stdout: "{mail}\n{slack}\n{hook}\n"})
}

func TestChannelsPull(t *testing.T) {
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			e := cmdtest.New(t)
			seedThree(e)
			e.Names["dir"] = e.Dir
			file := e.Dir + "/ch.json"
			want := "{\n    \"channels\": " + indent(listed) + "}\n"
			r := e.RunWith(cmdtest.RunOpts{TTY: tty}, "channels", "pull", "-F", file)
			e.CheckT(t, r, cmdtest.Want{Stderr: cmdtest.LogLine(tty, "info", "Channels are saved to '{dir}/ch.json' (3 rules).")})
			got, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			cmdtest.Equal(t, "channels.json", string(got), e.Expand(want))

			// -v also prints the list; the default file is channels.json
			// in the working directory.
			t.Chdir(e.Dir)
			r = e.RunWith(cmdtest.RunOpts{TTY: tty}, "channels", "pull", "-v")
			e.CheckT(t, r, cmdtest.Want{Stdout: listed, Stderr: cmdtest.LogLine(tty, "info", "Channels are saved to 'channels.json' (3 rules).")})
			again, _ := os.ReadFile("channels.json")
			cmdtest.Equal(t, "default file", string(again), string(got))
		})
	}
}

// indent shifts a 4-space JSON document one level to the right, as it is
// inside {"channels": …}.
func indent(doc string) string {
	out := []byte{}
	for i, line := range splitLines(doc) {
		if i > 0 && line != "" {
			out = append(out, "    "...)
		}
		out = append(out, line...)
		out = append(out, '\n')
	}
	return string(out)
}

func splitLines(s string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			lines = append(lines, s[start:i])
			start = i + 1
		}
	}
	return lines
}
