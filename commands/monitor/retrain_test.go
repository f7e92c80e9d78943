package monitor_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// seedMonitor creates a monitor from its JSON through the API and
// returns its id.
func seedMonitor(t *testing.T, e *cmdtest.Env, def string) string {
	t.Helper()
	var m client.Monitor
	if err := json.Unmarshal([]byte(def), &m); err != nil {
		t.Fatal(err)
	}
	got, err := e.API().CreateMonitor(context.Background(), &m)
	if err != nil {
		t.Fatal(err)
	}
	return got.String("id")
}

// A role with one host and no data cannot be trained: the answer says
// so, as JSON off a terminal and as a table on one.
func TestMonitorsRetrain(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("shop", "web")
	e.SeedHost(client.CreateHostParam{Name: "web01", RoleFullnames: []string{"shop:web"}})
	id := seedMonitor(t, e, `{"type":"anomalyDetection","name":"web","scopes":["shop: web"],"criticalSensitivity":"normal"}`)
	e.Names["anomaly"] = id
	const at = "1714979289"   // cmdtest.Epoch
	const from = "1712559900" // to - 28 days
	const to = "1714979100"   // the last 5-minute boundary
	e.Check(e.Run("monitors", "retrain", id), cmdtest.Want{Stdout: `{
    "monitorId": "{anomaly}",
    "models": [
        {
            "scope": "shop: web",
            "status": "insufficient",
            "message": "1 hosts gave 0 samples of 5 minutes; at least 1000 are needed",
            "trainedAt": ` + at + `,
            "from": ` + from + `,
            "to": ` + to + `,
            "samples": 0,
            "components": 0
        }
    ]
}
`})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "monitors", "retrain", id), cmdtest.Want{Stdout: "" +
		"ROLE        STATUS                                                                        SAMPLES   COMPONENTS   SENSITIVE   NORMAL   INSENSITIVE\n" +
		"shop: web   insufficient: 1 hosts gave 0 samples of 5 minutes; at least 1000 are needed   0         0            -           -        -\n"})
	e.Check(e.Run("monitors", "retrain", id, "--jq", ".models[].status"), cmdtest.Want{Stdout: "insufficient\n"})
}

func TestMonitorsRetrainRefused(t *testing.T) {
	e := cmdtest.New(t)
	host := seedMonitor(t, e, `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1,"duration":1}`)
	e.Names["host"] = host
	e.Check(e.Run("monitors", "retrain", host), cmdtest.Want{Code: 1,
		Stderr: "     error API request failed: monitor {host} is a host monitor; only anomalyDetection monitors are trained\n"})
	e.Check(e.Run("monitors", "retrain", "nosuch"), cmdtest.Want{Code: 1,
		Stderr: "     error API request failed: Monitor not found.\n"})
	r := e.Run("monitors", "retrain")
	if r.Code != 1 || r.Stdout != "" || !strings.Contains(r.Stderr, "a monitor id is required") {
		t.Errorf("without an id: code %d, stdout %q, stderr %q", r.Code, r.Stdout, r.Stderr)
	}
}
