package dashboard_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// seedDashboard creates a dashboard through the API and records its id
// under name.
func seedDashboard(e *cmdtest.Env, name, body string) string {
	e.T.Helper()
	d, err := client.NewDashboard([]byte(body))
	if err != nil {
		e.T.Fatal(err)
	}
	created, err := e.API().CreateDashboard(context.Background(), d)
	if err != nil {
		e.T.Fatalf("seeding dashboard %s: %v", name, err)
	}
	e.Names[name] = created.ID()
	return created.ID()
}

// opsBody has a widget of each type and valueRange, which
// mackerel-client-go (and so upstream mkr) does not model.
const opsBody = `{"title":"Ops","urlPath":"ops","memo":"m","widgets":[` +
	`{"type":"markdown","title":"notes","layout":{"x":0,"y":0,"width":24,"height":2},"markdown":"# Runbook"},` +
	`{"type":"graph","title":"load","layout":{"x":0,"y":2,"width":12,"height":6},"graph":{"type":"role","roleFullname":"web:app","name":"loadavg5"},"valueRange":{"max":4}},` +
	`{"type":"value","title":"req","layout":{"x":12,"y":2,"width":4,"height":4},"metric":{"type":"expression","expression":"service(web,req)"},"fractionSize":1,"suffix":"/s","formatRules":[{"name":"hot","threshold":100,"operator":">"}]},` +
	`{"type":"alertStatus","title":"alerts","layout":{"x":16,"y":2,"width":4,"height":3},"roleFullname":"web:app"}]}`

// opsFile is the file pull writes for opsBody: 4-space indent, no
// trailing newline, the server's key order, valueRange kept.
const opsFile = `{
    "id": "{ops}",
    "title": "Ops",
    "urlPath": "ops",
    "createdAt": 1714979289,
    "updatedAt": 1714979289,
    "memo": "m",
    "widgets": [
        {
            "type": "markdown",
            "title": "notes",
            "layout": {
                "x": 0,
                "y": 0,
                "width": 24,
                "height": 2
            },
            "markdown": "# Runbook"
        },
        {
            "type": "graph",
            "title": "load",
            "layout": {
                "x": 0,
                "y": 2,
                "width": 12,
                "height": 6
            },
            "graph": {
                "type": "role",
                "name": "loadavg5",
                "roleFullname": "web:app",
                "isStacked": false
            },
            "valueRange": {
                "max": 4
            },
            "referenceLines": []
        },
        {
            "type": "value",
            "title": "req",
            "layout": {
                "x": 12,
                "y": 2,
                "width": 4,
                "height": 4
            },
            "metric": {
                "type": "expression",
                "expression": "service(web,req)"
            },
            "fractionSize": 1,
            "suffix": "/s",
            "formatRules": [
                {
                    "name": "hot",
                    "threshold": 100,
                    "operator": ">"
                }
            ]
        },
        {
            "type": "alertStatus",
            "title": "alerts",
            "layout": {
                "x": 16,
                "y": 2,
                "width": 4,
                "height": 3
            },
            "roleFullname": "web:app"
        }
    ]
}`

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDashboardsList(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("web", "app")
	seedDashboard(e, "ops", opsBody)

	e.Check(e.Run("dashboards"), cmdtest.Want{Stdout: `[
    {
        "id": "{ops}",
        "title": "Ops",
        "urlPath": "ops",
        "createdAt": 1714979289,
        "updatedAt": 1714979289,
        "memo": "m",
        "widgets": null
    }
]
`})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "dashboards"), cmdtest.Want{Stdout: "" +
		"ID            URL PATH   TITLE   UPDATED\n" +
		"{ops}   ops        Ops     2024-05-06 07:08:09\n"})
	e.Check(e.Run("dashboards", "--jq", ".[].urlPath"), cmdtest.Want{Stdout: "ops\n"})
}

func TestDashboardsPullPushRoundTrip(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("web", "app")
	seedDashboard(e, "ops", opsBody)
	seedDashboard(e, "db", `{"title":"DB","urlPath":"db","widgets":[]}`)
	dir := filepath.Join(e.Dir, "dash")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	opsPath, dbPath := filepath.Join(dir, "dashboard-{ops}.json"), filepath.Join(dir, "dashboard-{db}.json")

	for _, tty := range []bool{false, true} {
		e.Check(e.RunWith(cmdtest.RunOpts{TTY: tty}, "dashboards", "pull", "--dir", dir), cmdtest.Want{
			Stderr: cmdtest.LogLine(tty, "info", "Dashboard file is saved to '"+opsPath+"'(title:Ops)") +
				cmdtest.LogLine(tty, "info", "Dashboard file is saved to '"+dbPath+"'(title:DB)")})
	}
	pulled := readFile(t, e.Expand(opsPath))
	if pulled != e.Expand(opsFile) {
		t.Fatalf("pulled file:\n%s\nwant:\n%s", pulled, e.Expand(opsFile))
	}
	e.Check(e.Run("dashboards", "diff", "--dir", dir, "-e"), cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})
	e.Check(e.Run("dashboards", "push", "--dir", dir), cmdtest.Want{})
	e.Check(e.Run("dashboards", "pull", "--dir", dir, "--id", "{ops}"), cmdtest.Want{
		Stderr: cmdtest.LogLine(false, "info", "Dashboard file is saved to '"+opsPath+"'(title:Ops)")})
	if again := readFile(t, e.Expand(opsPath)); again != pulled {
		t.Fatalf("pull → push → pull changed the file:\n%s", again)
	}

	// An edit travels with every field (valueRange too); the server's
	// times are not a change.
	e.Clock.Advance(60e9)
	edited := strings.Replace(pulled, `"max": 4`, `"max": 8`, 1)
	edited = strings.Replace(edited, `"title": "Ops"`, `"title": "Ops!"`, 1)
	e.WriteFile("dash/dashboard-"+e.Names["ops"]+".json", edited)
	r := e.Run("dashboards", "diff", "--dir", dir)
	if r.Code != 0 || !strings.HasPrefix(r.Stdout, "Summary: 1 modify, 0 append, 0 remove\n\n") ||
		!strings.Contains(r.Stdout, "-  \"title\": \"Ops\",\n+  \"title\": \"Ops!\",") || !strings.Contains(r.Stdout, "-        \"max\": 4\n+        \"max\": 8") {
		t.Fatalf("diff after an edit:\n%s", r)
	}
	r = e.Run("dashboards", "push", "--dir", dir)
	if r.Code != 0 || r.Stderr != cmdtest.LogLine(false, "info", "Update a dashboard.") {
		t.Fatalf("push of an edit:\n%s", r)
	}
	got, err := e.API().FindDashboard(context.Background(), e.Names["ops"])
	if err != nil || got.Title() != "Ops!" || !strings.Contains(string(must(got.MarshalJSON())), `"valueRange":{"max":8}`) {
		t.Fatalf("server after push: %s, %v", must(got.MarshalJSON()), err)
	}

	// A file without an id is created by urlPath; a dashboard only on the
	// server is kept (exit 2) unless --delete.
	e.WriteFile("dash/dashboard-new.json", `{"title":"New","urlPath":"new","memo":"","widgets":[]}`)
	if err := os.Remove(e.Expand(dbPath)); err != nil {
		t.Fatal(err)
	}
	r = e.Run("dashboards", "push", "--dir", dir)
	if r.Code != 2 || !strings.Contains(r.Stderr, "Create a new dashboard.") ||
		!strings.Contains(r.Stderr, e.Expand(`Kept {db} "DB" (db): it is not in --dir `+dir+".")) {
		t.Fatalf("push without --delete:\n%s", r)
	}
	r = e.Run("dashboards", "push", "--dir", dir, "--delete")
	if r.Code != 0 || r.Stderr != cmdtest.LogLine(false, "info", "Delete a dashboard.") {
		t.Fatalf("push --delete:\n%s", r)
	}
	list, err := e.API().FindDashboards(context.Background())
	if err != nil || len(list) != 2 || list[0].URLPath() != "ops" || list[1].URLPath() != "new" {
		t.Fatalf("after push --delete: %v, %v", list, err)
	}
}

// upstream mkr's pull without --id saved "widgets": null; pushing such a
// file would empty the dashboard, so it is refused.
func TestDashboardsPushRefusesUpstreamPullAllFile(t *testing.T) {
	e := cmdtest.New(t)
	e.SeedService("web", "app")
	seedDashboard(e, "ops", opsBody)
	path := e.WriteFile("dashboard-x.json", e.Expand(`{"id":"{ops}","title":"Ops","urlPath":"ops","createdAt":1714979289,"updatedAt":1714979289,"memo":"m","widgets":null}`))
	e.Check(e.Run("dashboards", "push", "-F", path), cmdtest.Want{Code: 1,
		Stderr: cmdtest.LogLine(false, "error", "reading "+path+`: "widgets" is not a list (upstream mkr's pull without --id saved "widgets": null); pull the dashboard again`)})
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
