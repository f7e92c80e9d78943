package alertgroupsetting_test

import (
	"os"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

const settingsFile = `{"alertGroupSettings":[
{"name":"web","memo":"the web tier","serviceScopes":["svc"],"roleScopes":["svc: web"],"notificationInterval":60},
{"name":"conn","monitorScopes":["{m-conn}"]}
]}
`

const pulledSettings = `{
    "alertGroupSettings": [
        {
            "id": "{s-web}",
            "name": "web",
            "memo": "the web tier",
            "serviceScopes": [
                "svc"
            ],
            "roleScopes": [
                "svc: web"
            ],
            "notificationInterval": 60
        },
        {
            "id": "{s-conn}",
            "name": "conn",
            "monitorScopes": [
                "{m-conn}"
            ]
        }
    ]
}
`

func newEnv(t *testing.T) *cmdtest.Env {
	t.Helper()
	e := cmdtest.New(t)
	e.SeedService("svc", "web")
	e.MustRun("monitors", "push", "-F", e.WriteFile("monitors.json", `{"monitors":[{"type":"connectivity","name":"conn"}]}`))
	e.Names["m-conn"] = strings.TrimSpace(e.MustRun("monitors", "--jq", ".[0].id"))
	e.Names["dir"] = e.Dir
	return e
}

func recordSettings(t *testing.T, e *cmdtest.Env) {
	t.Helper()
	list, err := e.API().FindAlertGroupSettings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		e.Names["s-"+s.Name()] = s.ID()
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAlertGroupSettingsRoundTrip: push a hand-written file, list it, pull
// it back in client field order; the pulled file and the hand-written one
// then diff and push as no change.
func TestAlertGroupSettingsRoundTrip(t *testing.T) {
	e := newEnv(t)
	e.Check(e.Run("alert-group-settings"), cmdtest.Want{Stdout: "[]\n"})
	e.Names["file"] = e.WriteFile("settings.json", e.Expand(settingsFile))
	e.Check(e.Run("alert-group-settings", "push", "-F", "{file}"), cmdtest.Want{Stdout: `{
  "name": "web",
  "memo": "the web tier",
  "serviceScopes": [
    "svc"
  ],
  "roleScopes": [
    "svc: web"
  ],
  "notificationInterval": 60
},
{
  "name": "conn",
  "monitorScopes": [
    "{m-conn}"
  ]
},
`, Stderr: cmdtest.LogLine(false, "info", "Create a new setting.") + cmdtest.LogLine(false, "info", "Create a new setting.")})
	recordSettings(t, e)

	e.Check(e.Run("alert-group-settings", "--jq", ".[].name"), cmdtest.Want{Stdout: "web\nconn\n"})
	e.Check(e.RunWith(cmdtest.RunOpts{TTY: true}, "alert-group-settings"), cmdtest.Want{Stdout: `ID            NAME   SERVICES   ROLES      MONITORS      INTERVAL
{s-web}   web    svc        svc: web                 60m
{s-conn}   conn                         {m-conn}
`})
	for _, tty := range []bool{false, true} {
		t.Run(cmdtest.TTYName(tty), func(t *testing.T) {
			o := cmdtest.RunOpts{TTY: tty}
			e.CheckT(t, e.RunWith(o, "alert-group-settings", "pull", "-F", "{dir}/pulled.json"),
				cmdtest.Want{Stderr: cmdtest.LogLine(tty, "info", "Alert group settings are saved to '{dir}/pulled.json' (2 settings).")})
			cmdtest.Equal(t, "pulled file", readFile(t, e.Dir+"/pulled.json"), e.Expand(pulledSettings))
			for _, f := range []string{"{dir}/pulled.json", "{file}"} {
				e.CheckT(t, e.RunWith(o, "alert-group-settings", "diff", "-e", "-F", f), cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})
				e.CheckT(t, e.RunWith(o, "alert-group-settings", "push", "-F", f), cmdtest.Want{})
			}
		})
	}
	t.Chdir(e.Dir)
	e.Check(e.Run("alert-group-settings", "pull"), cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "Alert group settings are saved to 'alert-group-settings.json' (2 settings).")})
	cmdtest.Equal(t, "default file", readFile(t, "alert-group-settings.json"), e.Expand(pulledSettings))
}

// TestAlertGroupSettingsDiffAndPush: a changed setting, one only on the
// server and one only in the file; deletes only with --delete.
func TestAlertGroupSettingsDiffAndPush(t *testing.T) {
	e := newEnv(t)
	e.MustRun("alert-group-settings", "push", "-F", e.WriteFile("settings.json", e.Expand(settingsFile)))
	recordSettings(t, e)
	e.Names["file"] = e.WriteFile("changed.json", e.Expand(`{"alertGroupSettings":[
{"name":"web","memo":"the web tier","serviceScopes":["svc"],"notificationInterval":30},
{"name":"all of svc","serviceScopes":["svc"]}
]}`))
	want := `Summary: 1 modify, 1 append, 1 remove

 {
   "memo": "the web tier",
   "name": "web",
-  "notificationInterval": 60,
+  "notificationInterval": 30,
-  "roleScopes": [
-    "svc: web"
-  ],
   "serviceScopes": [
     "svc"
   ]
 },
-{
-  "id": "{s-conn}",
-  "name": "conn",
-  "monitorScopes": [
-    "{m-conn}"
-  ]
-},
+{
+  "name": "all of svc",
+  "serviceScopes": [
+    "svc"
+  ]
+},
`
	e.Check(e.Run("alert-group-settings", "diff", "-e", "-F", "{file}"), cmdtest.Want{Code: 1, Stdout: want})

	created := "{\n  \"name\": \"all of svc\",\n  \"serviceScopes\": [\n    \"svc\"\n  ]\n},\n"
	updated := "{\n  \"name\": \"web\",\n  \"memo\": \"the web tier\",\n  \"serviceScopes\": [\n    \"svc\"\n  ],\n  \"notificationInterval\": 30\n},\n"
	e.Check(e.Run("alert-group-settings", "push", "-F", "{file}"), cmdtest.Want{Code: 2, Stdout: created + updated,
		Stderr: cmdtest.LogLine(false, "info", "Create a new setting.") + cmdtest.LogLine(false, "info", "Update a setting.") +
			cmdtest.LogLine(false, "warning", `Kept {s-conn} "conn": it is not in {file}.`) +
			cmdtest.LogLine(false, "error", "1 setting(s) not in {file} were not deleted: run mkr alert-group-settings push --delete -F {file} to delete them")})
	e.Check(e.Run("alert-group-settings", "--jq", `[.[] | [.name, .notificationInterval]]`), cmdtest.Want{Stdout: `[["web",30],["conn",null],["all of svc",null]]` + "\n"})

	deleted := "{\n  \"id\": \"{s-conn}\",\n  \"name\": \"conn\",\n  \"monitorScopes\": [\n    \"{m-conn}\"\n  ]\n},\n"
	e.Check(e.Run("alert-group-settings", "push", "--delete", "-F", "{file}"), cmdtest.Want{Stdout: deleted,
		Stderr: cmdtest.LogLine(false, "info", "Delete a setting.")})
	e.Check(e.Run("alert-group-settings", "diff", "-e", "-F", "{file}"), cmdtest.Want{Stdout: "Summary: 0 modify, 0 append, 0 remove\n\n"})

	e.Check(e.Run("alert-group-settings", "push", "-F", e.WriteFile("bad.json", `{"alertGroupSettings":[{"memo":"x"}]}`)),
		cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `an alert group setting in {dir}/bad.json has no "name"`)})
}
