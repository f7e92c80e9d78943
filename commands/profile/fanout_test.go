package profile_test

import (
	"maps"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// fleet is an operator with three profiles: two organizations, each on
// its own server with its own hosts, and one whose key was revoked.
func fleet(t *testing.T) *cmdtest.Env {
	t.Helper()
	acme, acmeAPI := orgServer(t, "acme", acmeKey)
	acme.CreateHost("acme-web")
	acme.CreateHost("acme-db", "--st", "standby")
	globex, globexAPI := orgServer(t, "globex", globexKey)
	globex.CreateHost("globex-app")

	e := cmdtest.New(t)
	e.CreateHost("local-only") // in the operator's own database: never listed
	maps.Copy(e.Names, acme.Names)
	maps.Copy(e.Names, globex.Names)
	e.Names["acme api"], e.Names["globex api"] = acmeAPI.URL, globexAPI.URL
	// An open alert in acme, none in globex.
	acme.Report(acme.CheckReport(acme.Names["acme-web"], "disk", "CRITICAL", "disk full\non /var"))
	e.Names["acme alert"] = acme.Alerts(false)[0].ID
	addProfile(t, e, "acme", acmeAPI.URL, acmeKey)
	addProfile(t, e, "globex", globexAPI.URL, globexKey)
	addProfile(t, e, "broken", globexAPI.URL, wrongKey)
	return e
}

func TestHostsAllProfiles(t *testing.T) {
	e := fleet(t)
	brokenLine := func(tty bool) string {
		return cmdtest.LogLine(tty, "error", "profile broken: API request failed: Authentication failed. Please try with valid Api Key.")
	}
	steps := []cmdtest.Step{
		{Name: "piped", Args: []string{"hosts", "--all-profiles"}, Want: cmdtest.Want{Code: 1, Stdout: `[
    {
        "profile": "acme",
        "id": "{acme-web}",
        "name": "acme-web",
        "status": "working",
        "isRetired": false,
        "createdAt": "2024-05-06T07:08:09+00:00"
    },
    {
        "profile": "acme",
        "id": "{acme-db}",
        "name": "acme-db",
        "status": "standby",
        "isRetired": false,
        "createdAt": "2024-05-06T07:08:09+00:00"
    },
    {
        "profile": "globex",
        "id": "{globex-app}",
        "name": "globex-app",
        "status": "working",
        "isRetired": false,
        "createdAt": "2024-05-06T07:08:09+00:00"
    }
]
`, Stderr: brokenLine(false)}},
		{Name: "on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"hosts", "--all-profiles"}, Want: cmdtest.Want{Code: 1,
			Stdout: "PROFILE   ID            NAME         STATUS    ROLES   IP ADDRESSES   CREATED AT\n" +
				"acme      {acme-web}   acme-web     working                          2024-05-06 07:08:09\n" +
				"acme      {acme-db}   acme-db      standby                          2024-05-06 07:08:09\n" +
				"globex    {globex-app}   globex-app   working                          2024-05-06 07:08:09\n",
			Stderr: brokenLine(true)}},
		{Name: "filters apply to every profile", Args: []string{"hosts", "--all-profiles", "--st", "standby", "--jq", `.[] | [.profile, .name] | @tsv`},
			Want: cmdtest.Want{Code: 1, Stdout: "acme\tacme-db\n", Stderr: brokenLine(false)}},
		{Name: "format sees the profile", Args: []string{"hosts", "--all-profiles", "-f", `{{range .}}{{.Profile}}/{{.Name}} {{end}}`},
			Want: cmdtest.Want{Code: 1, Stdout: "acme/acme-web acme/acme-db globex/globex-app ", Stderr: brokenLine(false)}},
		{Name: "verbose keeps the full objects", Args: []string{"hosts", "--all-profiles", "-v", "--jq", `.[] | [.profile, .name, (.meta | type)] | @tsv`},
			Want: cmdtest.Want{Code: 1, Stdout: "acme\tacme-web\tobject\nacme\tacme-db\tobject\nglobex\tglobex-app\tobject\n", Stderr: brokenLine(false)}},
		{Name: "one profile", Args: []string{"hosts", "--profile", "globex", "--jq", ".[].name"}, Want: cmdtest.Want{Stdout: "globex-app\n"}},
		{Name: "MKR_PROFILE", Opts: cmdtest.RunOpts{Env: map[string]string{"MKR_PROFILE": "acme"}}, Args: []string{"hosts", "--jq", ".[].name"},
			Want: cmdtest.Want{Stdout: "acme-web\nacme-db\n"}},
		{Name: "the broken one alone", Args: []string{"hosts", "--profile", "broken"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "API request failed: Authentication failed. Please try with valid Api Key.")}},
		{Name: "with --local", Args: []string{"hosts", "--all-profiles", "--local"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "--all-profiles cannot be combined with --local (or MKR_LOCAL), --profile, --apibase or --db")}},
	}
	for _, s := range steps {
		r := e.RunWith(s.Opts, s.Args...)
		t.Run(s.Name, func(t *testing.T) {
			e.CheckT(t, r, s.Want)
			noKeyIn(t, r)
		})
	}
}

func TestAlertsAllProfiles(t *testing.T) {
	e := fleet(t)
	broken := cmdtest.LogLine(false, "error", "profile broken: API request failed: Authentication failed. Please try with valid Api Key.")
	e.RunSteps(t, []cmdtest.Step{
		{Name: "piped", Args: []string{"alerts", "--all-profiles", "--jq", `.[] | [.profile, .id, .status, .type, .message] | @json`},
			Want: cmdtest.Want{Code: 1, Stdout: `["acme","{acme alert}","CRITICAL","check","disk full\non /var"]` + "\n", Stderr: broken}},
		{Name: "on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"alerts", "--all-profiles"}, Want: cmdtest.Want{Code: 1,
			Stdout: "PROFILE   ID            STATUS     TYPE    HOST          OPENED AT             CLOSED AT   MESSAGE\n" +
				"acme      {acme alert}   CRITICAL   check   {acme-web}   2024-05-06 07:08:09               disk full\n",
			Stderr: cmdtest.LogLine(true, "error", "profile broken: API request failed: Authentication failed. Please try with valid Api Key.")}},
		{Name: "broken profile removed", Args: []string{"profiles", "remove", "broken"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "removed", "profile broken")}},
		{Name: "every profile answered", Args: []string{"alerts", "--all-profiles", "--jq", `.[] | [.profile, .id] | @tsv`},
			Want: cmdtest.Want{Stdout: "acme\t{acme alert}\n"}},
	})
}

func TestStatusAllProfiles(t *testing.T) {
	e := fleet(t)
	broken := func(tty bool) string {
		return cmdtest.LogLine(tty, "error", "profile broken: API request failed: Authentication failed. Please try with valid Api Key.")
	}
	e.RunSteps(t, []cmdtest.Step{
		{Name: "found in one profile", Args: []string{"status", "--all-profiles", "{acme-db}"}, Want: cmdtest.Want{Code: 1, Stdout: `[
    {
        "profile": "acme",
        "id": "{acme-db}",
        "name": "acme-db",
        "status": "standby",
        "isRetired": false,
        "createdAt": "2024-05-06T07:08:09+00:00"
    }
]
`, Stderr: broken(false)}},
		{Name: "on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"status", "--all-profiles", "{globex-app}"}, Want: cmdtest.Want{Code: 1,
			Stdout: "FIELD        VALUE\nprofile      globex\nid           {globex-app}\nname         globex-app\nstatus       working\ncreated at   2024-05-06 07:08:09 +00:00\n",
			Stderr: broken(true)}},
		{Name: "found nowhere, one profile failing", Args: []string{"status", "--all-profiles", "nope"}, Want: cmdtest.Want{Code: 1, Stderr: broken(false)}},
		{Name: "broken profile removed", Args: []string{"profiles", "remove", "broken"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "removed", "profile broken")}},
		{Name: "found", Args: []string{"status", "--all-profiles", "{acme-web}", "--jq", `.[] | [.profile, .name] | @tsv`},
			Want: cmdtest.Want{Stdout: "acme\tacme-web\n"}},
		{Name: "verbose", Args: []string{"status", "--all-profiles", "-v", "{acme-web}", "--jq", `.[] | [.profile, .name, (.monitoredStatuses | length)] | @tsv`},
			Want: cmdtest.Want{Stdout: "acme\tacme-web\t1\n"}}, // the disk check
		{Name: "found nowhere", Args: []string{"status", "--all-profiles", "nope"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "host nope not found in any profile")}},
	})
}

func TestOrgAllProfiles(t *testing.T) {
	e := fleet(t)
	e.RunSteps(t, []cmdtest.Step{
		{Name: "piped", Args: []string{"org", "--all-profiles"}, Want: cmdtest.Want{Code: 1, Stdout: `[
    {
        "profile": "acme",
        "name": "acme",
        "backend": "{acme api}"
    },
    {
        "profile": "globex",
        "name": "globex",
        "backend": "{globex api}"
    }
]
`, Stderr: cmdtest.LogLine(false, "error", "profile broken: API request failed: Authentication failed. Please try with valid Api Key.")}},
		{Name: "on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"org", "--all-profiles"}, Want: cmdtest.Want{Code: 1,
			Stdout: "PROFILE   NAME     DISPLAY NAME   BACKEND\n" +
				"acme      acme                    {acme api}\n" +
				"globex    globex                  {globex api}\n",
			Stderr: cmdtest.LogLine(true, "error", "profile broken: API request failed: Authentication failed. Please try with valid Api Key.")}},
		{Name: "one profile", Args: []string{"org", "--profile", "globex"}, Want: cmdtest.Want{
			Stdout: "{\n    \"name\": \"globex\"\n}\n",
			Stderr: cmdtest.LogLine(false, "info", "backend: {globex api} (profile globex)")}},
	})
}
