package profile_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestProfilesAddListUseRemove(t *testing.T) {
	e := cmdtest.New(t)
	e.Names["lab db"] = filepath.Join(e.Dir, "lab.db")
	steps := []cmdtest.Step{
		{Name: "nothing yet", Args: []string{"profiles", "list"}, Want: cmdtest.Want{Stdout: "[]\n"}},
		{Name: "add a remote profile", Opts: cmdtest.RunOpts{Stdin: acmeKey + "\n"},
			Args: []string{"profiles", "add", "acme", "--apikey-stdin", "--apibase", "https://mackerel.example/"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "added", "profile acme: https://mackerel.example/")}},
		{Name: "on a terminal", Opts: cmdtest.RunOpts{TTY: true, Stdin: globexKey + "\n"},
			Args: []string{"profiles", "add", "initech", "--apikey-stdin"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(true, "added", "profile initech: https://api.mackerelio.com")}},
		{Name: "removed on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"profiles", "remove", "initech"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(true, "removed", "profile initech")}},
		{Name: "the hosted API by default", Opts: cmdtest.RunOpts{Stdin: globexKey},
			Args: []string{"profiles", "add", "globex", "--apikey-stdin"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "added", "profile globex: https://api.mackerelio.com")}},
		{Name: "a local database, made absolute", Opts: cmdtest.RunOpts{},
			Args: []string{"profiles", "add", "lab", "--db", "{lab db}"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "added", "profile lab: local database {lab db}")}},
		{Name: "an existing name is kept", Opts: cmdtest.RunOpts{Stdin: wrongKey},
			Args: []string{"profiles", "add", "acme", "--apikey-stdin"},
			Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `profile "acme" already exists: remove it first or give --force`)}},
		{Name: "an empty stdin", Opts: cmdtest.RunOpts{Stdin: "\n"},
			Args: []string{"profiles", "add", "initech", "--apikey-stdin"},
			Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "no API key on stdin")}},
		{Name: "more than a key on stdin", Opts: cmdtest.RunOpts{Stdin: wrongKey + "\nsomething else\n"},
			Args: []string{"profiles", "add", "initech", "--apikey-stdin"},
			Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "stdin holds more than one word; give only the API key")}},
		{Name: "a bad name", Opts: cmdtest.RunOpts{Stdin: wrongKey},
			Args: []string{"profiles", "add", "x/y", "--apikey-stdin"},
			Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `invalid profile name "x/y": use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)`)}},
		{Name: "a bad API base", Opts: cmdtest.RunOpts{Stdin: wrongKey},
			Args: []string{"profiles", "add", "initech", "--apikey-stdin", "--apibase", "mackerel.example"},
			Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `--apibase must be an http(s) URL, not "mackerel.example"`)}},
		{Name: "listed piped", Args: []string{"profiles", "list"}, Want: cmdtest.Want{Stdout: `[
    {
        "name": "acme",
        "current": false,
        "apibase": "https://mackerel.example/",
        "keyHint": "…ACME"
    },
    {
        "name": "globex",
        "current": false,
        "apibase": "https://api.mackerelio.com",
        "keyHint": "…GLBX"
    },
    {
        "name": "lab",
        "current": false,
        "db": "{lab db}"
    }
]
`}},
		{Name: "use", Args: []string{"profiles", "use", "globex"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "current profile: globex")}},
		{Name: "use an unknown profile", Args: []string{"profiles", "use", "initech"},
			Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `profile "initech" not found (see mkr profiles list)`)}},
		{Name: "remove", Args: []string{"profiles", "remove", "lab"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "removed", "profile lab")}},
		{Name: "listed on a terminal", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"profiles"}, Want: cmdtest.Want{Stdout: `CURRENT   NAME     BACKEND                      KEY
          acme     https://mackerel.example/    …ACME
*         globex   https://api.mackerelio.com   …GLBX
`}},
		{Name: "jq", Args: []string{"profiles", "list", "--jq", `.[] | select(.current) | .name`}, Want: cmdtest.Want{Stdout: "globex\n"}},
		{Name: "remove is all or nothing", Args: []string{"profiles", "remove", "globex", "initech"},
			Want: cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", `profile "initech" not found (see mkr profiles list)`)}},
		{Name: "remove the current one", Args: []string{"profiles", "remove", "globex"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "removed", "profile globex")}},
		{Name: "replaced with --force", Opts: cmdtest.RunOpts{Stdin: globexKey},
			Args: []string{"profiles", "add", "acme", "--apikey-stdin", "--force"},
			Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "added", "profile acme: https://api.mackerelio.com")}},
		{Name: "what is left", Args: []string{"profiles", "list", "--jq", `.[] | [.name, .current, .apibase, .keyHint] | @tsv`},
			Want: cmdtest.Want{Stdout: "acme\tfalse\thttps://api.mackerelio.com\t…GLBX\n"}},
		{Name: "use --none", Args: []string{"profiles", "use", "--none"}, Want: cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "no current profile")}},
	}
	for _, s := range steps {
		r := e.RunWith(s.Opts, s.Args...)
		t.Run(s.Name, func(t *testing.T) {
			e.CheckT(t, r, s.Want)
			noKeyIn(t, r)
		})
	}

	// The keys are stored, readable by their owner only.
	path := profilesFile(e)
	if m := mode(t, path); m != 0o600 {
		t.Errorf("profiles file mode %v, want 0600", m)
	}
	if m := mode(t, filepath.Dir(path)); m != 0o700 {
		t.Errorf("profiles directory mode %v, want 0700", m)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), globexKey) || strings.Contains(string(data), acmeKey) {
		t.Errorf("profiles file holds:\n%s\nwant globex's key (acme replaced) and not acme's", data)
	}
}

// The file's directory is made private even when it existed before, and
// XDG_CONFIG_HOME moves it.
func TestProfilesFileModes(t *testing.T) {
	e := cmdtest.New(t)
	cfg := filepath.Join(e.Dir, "xdg")
	if err := os.MkdirAll(filepath.Join(cfg, "mkr"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := e.RunWith(cmdtest.RunOpts{Stdin: acmeKey, Env: map[string]string{"XDG_CONFIG_HOME": cfg}},
		"profiles", "add", "acme", "--apikey-stdin")
	e.Check(r, cmdtest.Want{Stderr: cmdtest.LogLine(false, "added", "profile acme: https://api.mackerelio.com")})
	if m := mode(t, filepath.Join(cfg, "mkr", "profiles.toml")); m != 0o600 {
		t.Errorf("profiles file mode %v, want 0600", m)
	}
	if m := mode(t, filepath.Join(cfg, "mkr")); m != 0o700 {
		t.Errorf("profiles directory mode %v, want 0700", m)
	}
	if _, err := os.Stat(profilesFile(e)); !os.IsNotExist(err) {
		t.Errorf("profiles also written under HOME: %v", err)
	}
}

// Usage mistakes are refused before anything is read or written.
func TestProfilesAddUsage(t *testing.T) {
	e := cmdtest.New(t)
	for _, tt := range []struct {
		name string
		args []string
		msg  string
	}{
		{"no way to reach a backend", []string{"profiles", "add", "acme"}, "give --apikey-stdin (the key on stdin) for a remote profile, or --db <path> for a local one"},
		{"both a key and a database", []string{"profiles", "add", "acme", "--apikey-stdin", "--db", "x.db"}, "--apikey-stdin and --db cannot be combined: a profile is either remote or a local database"},
		{"no name", []string{"profiles", "add", "--apikey-stdin"}, "profiles add needs exactly one <name>"},
		{"use with a name and --none", []string{"profiles", "use", "acme", "--none"}, "profiles use takes a <name> or --none, not both"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := e.RunWith(cmdtest.RunOpts{Stdin: acmeKey}, tt.args...)
			if r.Code != 1 || r.Stdout != "" || !strings.Contains(r.Stderr, tt.msg) {
				t.Errorf("got:\n%s\nwant exit 1 and %q on stderr", r, tt.msg)
			}
			noKeyIn(t, r)
			if _, err := os.Stat(profilesFile(e)); !os.IsNotExist(err) {
				t.Errorf("profiles file written: %v", err)
			}
		})
	}
}

// A profiles file someone made readable by others still works, with a
// warning once per run.
func TestProfilesFileReadableByOthers(t *testing.T) {
	e := fleet(t)
	path := profilesFile(e)
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	e.Names["file"] = path
	warning := cmdtest.LogLine(false, "warning", "{file} is readable by others (mode 0644) and holds API keys: chmod 600 it")
	e.RunSteps(t, []cmdtest.Step{
		{Name: "list", Args: []string{"profiles", "list", "--jq", ".[].name"}, Want: cmdtest.Want{Stdout: "acme\nbroken\nglobex\n", Stderr: warning}},
		{Name: "once however many profiles are read", Args: []string{"org", "--all-profiles", "--jq", ".[].profile"}, Want: cmdtest.Want{Code: 1,
			Stdout: "acme\nglobex\n",
			Stderr: warning + cmdtest.LogLine(false, "error", "profile broken: API request failed: Authentication failed. Please try with valid Api Key.")}},
	})
	// Saving makes it private again.
	e.MustRun("profiles", "use", "acme")
	if m := mode(t, path); m != 0o600 {
		t.Errorf("mode after saving %v, want 0600", m)
	}
}
