package commands_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// The client is remote when an API key or an API base is configured, local
// otherwise or when --local / MKR_LOCAL=1 say so.
func TestBackendChoice(t *testing.T) {
	srv := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	api := srv.StartAPI()
	srv.CreateHost("remote-host")
	api.Requests()

	hostsNames := []string{"hosts", "--jq", ".[].name"}
	tests := []struct {
		name    string
		conf    string // agent config; {api} is the server
		env     map[string]string
		args    []string // before hostsNames
		remote  bool
		key     string // X-Api-Key the server must have seen
		pathPfx string
	}{
		{"nothing configured", "", nil, nil, false, "", ""},
		{"env key and --apibase", "", map[string]string{"MACKEREL_APIKEY": "env-key"}, []string{"--apibase", "{api}"}, true, "env-key", ""},
		{"--apibase after the command", "", map[string]string{"MACKEREL_APIKEY": "env-key"}, []string{"hosts", "--apibase", "{api}"}, true, "env-key", ""},
		{"MACKEREL_API_KEY", "", map[string]string{"MACKEREL_API_KEY": "alt-key", "MACKEREL_APIBASE": "{api}"}, nil, true, "alt-key", ""},
		{"conf key and apibase", `apikey = "conf-key"` + "\n" + `apibase = "{api}"`, nil, nil, true, "conf-key", ""},
		{"env key wins over the conf key", `apikey = "conf-key"` + "\n" + `apibase = "{api}"`, map[string]string{"MACKEREL_APIKEY": "env-key"}, nil, true, "env-key", ""},
		{"--apibase wins over the conf apibase", `apikey = "conf-key"` + "\n" + `apibase = "http://127.0.0.1:1"`, nil, []string{"--apibase", "{api}"}, true, "conf-key", ""},
		{"--apibase without a key", "", nil, []string{"--apibase", "{api}"}, true, "", ""},
		{"an --apibase path is kept", "", map[string]string{"MACKEREL_APIKEY": "k"}, []string{"--apibase", "{api}/mackerel/"}, true, "k", "/mackerel"},
		{"--local despite a key", `apikey = "conf-key"` + "\n" + `apibase = "{api}"`, map[string]string{"MACKEREL_APIKEY": "k"}, []string{"--local"}, false, "", ""},
		{"--local after the command", "", map[string]string{"MACKEREL_APIKEY": "k"}, []string{"hosts", "--local", "--apibase", "{api}"}, false, "", ""},
		{"MKR_LOCAL=1 despite a key", "", map[string]string{"MACKEREL_APIKEY": "k", "MKR_LOCAL": "1"}, []string{"--apibase", "{api}"}, false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			e.Names["api"] = api.URL
			e.CreateHost("local-host")
			if tt.conf != "" {
				e.WriteConf(e.Expand(tt.conf))
			}
			env := map[string]string{}
			for k, v := range tt.env {
				env[k] = e.Expand(v)
			}
			args := tt.args
			if len(args) == 0 || args[0] != "hosts" {
				args = append(args, hostsNames...)
			} else {
				args = append(args, hostsNames[1:]...)
			}
			r := e.RunWith(cmdtest.RunOpts{Env: env}, args...)
			reqs := api.Requests()
			switch {
			case tt.pathPfx != "":
				e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Not found.")})
			case tt.remote:
				e.Check(r, cmdtest.Want{Stdout: "remote-host\n"})
			default:
				e.Check(r, cmdtest.Want{Stdout: "local-host\n"})
			}
			if !tt.remote {
				if len(reqs) != 0 {
					t.Errorf("local run sent %v", reqs)
				}
				return
			}
			if len(reqs) != 1 {
				t.Fatalf("requests %v, want one", reqs)
			}
			req := reqs[0]
			if req.Method != "GET" || req.Path != tt.pathPfx+"/api/v0/hosts" {
				t.Errorf("request %s %s, want GET %s/api/v0/hosts", req.Method, req.Path, tt.pathPfx)
			}
			if got := req.Header.Values("X-Api-Key"); strings.Join(got, ",") != tt.key {
				t.Errorf("X-Api-Key %q, want %q", got, tt.key)
			}
			if got := req.Header.Get("User-Agent"); got != "mkr/1.2.3-test" {
				t.Errorf("User-Agent %q, want mkr/1.2.3-test", got)
			}
		})
	}
}

// everyStatus lists hosts in every status, so "nothing was created" can be
// checked (as in commands/host's create tests).
var everyStatus = []string{"hosts", "--st", "working", "--st", "standby", "--st", "maintenance", "--st", "poweroff", "--jq", ".[].name"}

// A broken or missing config is a clear error, never a silent fallback.
func TestBrokenConf(t *testing.T) {
	tests := []struct {
		name string
		conf string // "" means no file at all
		args []string
		want string
	}{
		{"bad TOML", "apikey = [", []string{"hosts"}, `failed to load the config "{conf}": toml: line 1 (last key "apikey"): unexpected EOF; expected value`},
		{"bad TOML for create", "apikey = [", []string{"create", "web"}, `failed to load the config "{conf}": toml: line 1 (last key "apikey"): unexpected EOF; expected value`},
		{"bad TOML for org", "root = 1", []string{"org"}, `failed to load the config "{conf}": toml: line 1 (last key "root"): incompatible types: TOML value has type int64; destination has type string`},
		{"missing explicit --conf", "", []string{"hosts"}, "config file not found: {conf}"},
		{"broken include", "include = \"conf.d/*.conf\"\n", []string{"hosts"}, `failed to load the included config "{dir}/conf.d/a.conf": toml: line 1 (last key "apikey"): unexpected EOF; expected value`},
	}
	for _, tt := range tests {
		for _, tty := range []bool{false, true} {
			t.Run(tt.name+"/"+cmdtest.TTYName(tty), func(t *testing.T) {
				e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
				e.Names["conf"], e.Names["dir"] = e.Conf, e.Dir
				os.Remove(e.Conf)
				if tt.conf != "" {
					e.WriteConf(tt.conf)
				}
				if strings.HasPrefix(tt.conf, "include") {
					os.Mkdir(filepath.Join(e.Dir, "conf.d"), 0o755)
					e.WriteFile("conf.d/a.conf", "apikey = ")
				}
				e.Check(e.RunWith(cmdtest.RunOpts{TTY: tty}, tt.args...), cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(tty, "error", tt.want)})
				// Nothing reached the local database either.
				e.Check(e.RunWith(cmdtest.RunOpts{Conf: "-"}, everyStatus...), cmdtest.Want{})
				// --local needs no config at all.
				e.Check(e.RunWith(cmdtest.RunOpts{TTY: tty}, "hosts", "--local", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})
			})
		}
	}
}

// include in the agent config merges files, later ones winning.
func TestConfInclude(t *testing.T) {
	srv := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	api := srv.StartAPI()
	e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	e.WriteConf("apikey = \"main-key\"\ninclude = \"conf.d/*.conf\"\n")
	os.Mkdir(filepath.Join(e.Dir, "conf.d"), 0o755)
	e.WriteFile("conf.d/10-base.conf", "apibase = \"http://127.0.0.1:1\"\napikey = \"first\"\n")
	e.WriteFile("conf.d/20-override.conf", "apibase = \""+api.URL+"\"\n")
	e.Check(e.Run("hosts"), cmdtest.Want{Stdout: "[]\n"})
	reqs := api.Requests()
	if len(reqs) != 1 || reqs[0].Header.Get("X-Api-Key") != "first" {
		t.Errorf("requests %v, want one with the included key", reqs)
	}
}

// DEBUG=1 dumps requests and responses on stderr without the API key.
func TestDebugDump(t *testing.T) {
	srv := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
	api := srv.StartAPI()
	const key = "very-secret-key"
	tests := []struct {
		name string
		conf string
		env  map[string]string
		args []string
		want cmdtest.Want
	}{
		{"remote with the env key", "", map[string]string{"DEBUG": "1", "MACKEREL_APIKEY": key}, []string{"--apibase", "{api}", "org", "--jq", ".name"}, cmdtest.Want{
			Stdout: "local\n",
			Stderr: "> GET {api}/api/v0/org\n> User-Agent: mkr/1.2.3-test\n> X-Api-Key: [REDACTED]\n" +
				"< 200 OK\n< Content-Length: 35\n< Content-Type: application/json; charset=utf-8\n<\n" +
				`{"name":"local","displayName":null}` + "\n" + cmdtest.LogLine(false, "info", "backend: {api}"),
		}},
		{"remote with the conf key", `apikey = "` + key + `"`, map[string]string{"DEBUG": "1"}, []string{"retire", "--force", "nope", "--apibase", "{api}"}, cmdtest.Want{
			Code: 1,
			// retire looks the id up before writing (#13): the failing request is that GET.
			Stderr: "> GET {api}/api/v0/hosts/nope\n> User-Agent: mkr/1.2.3-test\n> X-Api-Key: [REDACTED]\n" +
				"< 404 Not Found\n< Content-Length: 39\n< Content-Type: application/json; charset=utf-8\n<\n" +
				`{"error":{"message":"Host Not Found."}}` + "\n" + cmdtest.LogLine(false, "error", "host not found: nope (nothing was retired)"),
		}},
		{"local", "", map[string]string{"DEBUG": "1", "MACKEREL_APIKEY": key}, []string{"--local", "services"}, cmdtest.Want{
			Stdout: "[]\n",
			Stderr: "> GET http://mkr.local/api/v0/services\n> User-Agent: mkr/1.2.3-test\n" +
				"< 200 OK\n< Content-Type: application/json; charset=utf-8\n<\n" + `{"services":[]}` + "\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := cmdtest.New(t, cmdtest.WithLocation(cmdtest.JST))
			e.Names["api"] = api.URL
			if tt.conf != "" {
				e.WriteConf(tt.conf)
			}
			r := e.RunWith(cmdtest.RunOpts{Env: tt.env}, tt.args...)
			e.Check(r, tt.want)
			if strings.Contains(r.Stdout+r.Stderr, key) {
				t.Errorf("the API key leaked:\n%s", r)
			}
			// The key did reach the server.
			if reqs := api.Requests(); !strings.HasPrefix(tt.name, "local") && (len(reqs) != 1 || reqs[0].Header.Get("X-Api-Key") != key) {
				t.Errorf("requests %v, want one carrying the key", reqs)
			}
		})
	}
}
