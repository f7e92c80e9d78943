package profile_test

import (
	"fmt"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// Which backend answers, profiles and the older ways together. Each
// server accepts only its own key, so a listing proves where the key went.
func TestProfilePrecedence(t *testing.T) {
	e := fleet(t)
	lab := cmdtest.New(t)
	lab.CreateHost("lab-box")
	e.Names["lab db"] = lab.DBPath()
	e.MustRun("profiles", "add", "lab", "--db", lab.DBPath())

	acmeEnv := map[string]string{"MACKEREL_APIKEY": acmeKey, "MACKEREL_APIBASE": e.Expand("{acme api}")}
	names := []string{"--jq", ".[].name"}
	acmeHosts, globexHosts := "acme-web\nacme-db\n", "globex-app\n"
	steps := []cmdtest.Step{
		{Name: "no current profile: the operator's own database", Args: append([]string{"hosts"}, names...), Want: cmdtest.Want{Stdout: "local-only\n"}},
		{Name: "a local profile", Args: append([]string{"hosts", "--profile", "lab"}, names...), Want: cmdtest.Want{Stdout: "lab-box\n"}},
		{Name: "--profile beats the environment's key", Opts: cmdtest.RunOpts{Env: acmeEnv},
			Args: append([]string{"hosts", "--profile", "globex"}, names...), Want: cmdtest.Want{Stdout: globexHosts}},
		{Name: "MKR_PROFILE beats the environment's key", Opts: cmdtest.RunOpts{Env: map[string]string{"MKR_PROFILE": "globex", "MACKEREL_APIKEY": acmeKey, "MACKEREL_APIBASE": e.Expand("{acme api}")}},
			Args: append([]string{"hosts"}, names...), Want: cmdtest.Want{Stdout: globexHosts}},
		{Name: "--profile beats MKR_PROFILE", Opts: cmdtest.RunOpts{Env: map[string]string{"MKR_PROFILE": "acme"}},
			Args: append([]string{"--profile", "globex", "hosts"}, names...), Want: cmdtest.Want{Stdout: globexHosts}},
		{Name: "--local beats --profile", Args: append([]string{"hosts", "--local", "--profile", "globex"}, names...), Want: cmdtest.Want{Stdout: "local-only\n"}},
		{Name: "--profile with --apibase", Args: []string{"hosts", "--profile", "globex", "--apibase", "{acme api}"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "--profile (or MKR_PROFILE) cannot be combined with --apibase or --db: the profile names its backend")}},
		{Name: "an unknown profile", Args: []string{"hosts", "--profile", "initech"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", `profile "initech" not found (see mkr profiles list)`)}},
		{Name: "use acme", Args: []string{"profiles", "use", "acme"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "current profile: acme")}},
		{Name: "the current profile", Args: append([]string{"hosts"}, names...), Want: cmdtest.Want{Stdout: acmeHosts}},
		{Name: "the current profile beats the conf's key", Opts: cmdtest.RunOpts{Conf: e.WriteFile("globex.conf", fmt.Sprintf("apikey = %q\napibase = %q\n", globexKey, e.Expand("{globex api}")))},
			Args: append([]string{"hosts"}, names...), Want: cmdtest.Want{Stdout: acmeHosts}},
		{Name: "the environment's key beats the current profile", Opts: cmdtest.RunOpts{Env: map[string]string{"MACKEREL_APIKEY": globexKey, "MACKEREL_APIBASE": e.Expand("{globex api}")}},
			Args: append([]string{"hosts"}, names...), Want: cmdtest.Want{Stdout: globexHosts}},
		{Name: "--profile beats the current profile", Args: append([]string{"hosts", "--profile", "globex"}, names...), Want: cmdtest.Want{Stdout: globexHosts}},
		{Name: "--local beats the current profile", Args: append([]string{"hosts", "--local"}, names...), Want: cmdtest.Want{Stdout: "local-only\n"}},
		{Name: "org names the profile", Args: []string{"org"}, Want: cmdtest.Want{Stdout: "{\n    \"name\": \"acme\"\n}\n",
			Stderr: cmdtest.LogLine(false, "info", "backend: {acme api} (profile acme)")}},
		{Name: "use none", Args: []string{"profiles", "use", "--none"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "no current profile")}},
		{Name: "the conf's key again", Opts: cmdtest.RunOpts{Conf: e.WriteFile("globex.conf", fmt.Sprintf("apikey = %q\napibase = %q\n", globexKey, e.Expand("{globex api}")))},
			Args: append([]string{"hosts"}, names...), Want: cmdtest.Want{Stdout: globexHosts}},
	}
	for _, s := range steps {
		r := e.RunWith(s.Opts, s.Args...)
		t.Run(s.Name, func(t *testing.T) {
			e.CheckT(t, r, s.Want)
			noKeyIn(t, r)
		})
	}
}

// A current profile that an edited file no longer has is an error, not a
// silent fall back to another backend.
func TestCurrentProfileMissing(t *testing.T) {
	e := cmdtest.New(t)
	e.WriteFile("home/.config/mkr/profiles.toml", "current = \"gone\"\n\n[profiles.acme]\napikey = \""+acmeKey+"\"\n")
	r := e.Run("hosts")
	e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `the current profile "gone" does not exist: choose another with mkr profiles use`)})
	r = e.Run("profiles", "list", "--jq", ".[].name")
	e.Check(r, cmdtest.Want{Stdout: "acme\n"})
}
