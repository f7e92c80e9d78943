package serve_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// rawRequest sends one request to a served API the way a web page in a
// browser could, and returns the status and body.
func rawRequest(t *testing.T, method, url, host string, header map[string]string, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// Serving without keys, mkr serve refuses what a web page could send from
// a browser on this machine: a cross-site text/plain POST, a rebound DNS
// name in Host, a foreign Origin. Agents and mkr are unaffected.
func TestServeAnonymousRefusesWebPages(t *testing.T) {
	e := cmdtest.New(t)
	srv := startServe(e)
	hosts := srv.base + "/api/v0/hosts"
	const created = `{"name":"web"}`
	tests := []struct {
		name, method, url, host string
		header                  map[string]string
		body                    string
		status                  int
		msg                     string
	}{
		{"cross-site text/plain POST", "POST", hosts, "", map[string]string{"Content-Type": "text/plain"}, created, 415,
			"Requests that write must have Content-Type: application/json."},
		{"form POST", "POST", hosts, "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "name=web", 415,
			"Requests that write must have Content-Type: application/json."},
		{"POST without a type", "POST", hosts, "", nil, created, 415,
			"Requests that write must have Content-Type: application/json."},
		{"DNS rebinding read", "GET", srv.base + "/api/v0/hosts", "attacker.example", nil, "", 403,
			"Requests without an API key must name a loopback host (Host: localhost, 127.0.0.1 or [::1])."},
		{"DNS rebinding with a port", "GET", srv.base + "/api/v0/hosts", "attacker.example:8080", nil, "", 403,
			"Requests without an API key must name a loopback host (Host: localhost, 127.0.0.1 or [::1])."},
		{"foreign Origin read", "GET", srv.base + "/api/v0/hosts", "", map[string]string{"Origin": "http://attacker.example"}, "", 403,
			"Requests without an API key are refused from a web page of another origin."},
		{"foreign Origin write", "POST", hosts, "", map[string]string{"Origin": "https://attacker.example", "Content-Type": "application/json"}, created, 403,
			"Requests without an API key are refused from a web page of another origin."},
		{"null Origin", "POST", hosts, "", map[string]string{"Origin": "null", "Content-Type": "application/json"}, created, 403,
			"Requests without an API key are refused from a web page of another origin."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := rawRequest(t, tt.method, tt.url, tt.host, tt.header, tt.body)
			want := `{"error":{"message":"` + tt.msg + `"}}`
			if status != tt.status || strings.TrimSpace(body) != want {
				t.Errorf("got %d %s\nwant %d %s", status, body, tt.status, want)
			}
		})
	}
	// Nothing was created by the refused requests.
	e.Check(e.Run("hosts", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})

	// What agents and mkr send still works: JSON writes, loopback names,
	// a page of this machine's own origin.
	for _, host := range []string{"", "localhost:8080", "[::1]:8080", "127.0.0.2"} {
		status, body := rawRequest(t, "POST", hosts, host, map[string]string{"Content-Type": "application/json; charset=utf-8"}, created)
		if status != 200 {
			t.Errorf("JSON POST with Host %q: %d %s", host, status, body)
		}
	}
	if status, body := rawRequest(t, "GET", srv.base+"/api/v0/hosts", "", map[string]string{"Origin": "http://localhost:3000"}, ""); status != 200 {
		t.Errorf("GET from a loopback origin: %d %s", status, body)
	}
	c := cmdtest.New(t)
	c.Check(c.RunWith(cmdtest.RunOpts{}, "--apibase", srv.base, "hosts", "--jq", "length"), cmdtest.Want{Stdout: "4\n"})
}

// Revoking the last key of a server that started without keys does not
// turn authentication off again.
func TestServeRevokingTheLastKeyKeepsAuthentication(t *testing.T) {
	e := cmdtest.New(t)
	srv := startServe(e)
	c := cmdtest.New(t)
	c.Check(c.RunWith(cmdtest.RunOpts{}, "--apibase", srv.base, "hosts", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})
	key, id := newKey(e)
	e.MustRun("serve", "keys", "revoke", id)
	denied := cmdtest.LogLine(false, "error", "API request failed: Authentication failed. Please try with valid Api Key.")
	c.Check(c.RunWith(cmdtest.RunOpts{}, "--apibase", srv.base, "hosts"), cmdtest.Want{Code: 1, Stderr: denied})
	c.Check(c.RunRemote(srv.base, key, cmdtest.RunOpts{}, "hosts"), cmdtest.Want{Code: 1, Stderr: denied})
}

// A database whose keys are all revoked is not served without
// authentication unless the operator says so with --allow-anonymous (on
// loopback only).
func TestServeRevokedDatabaseNeedsAllowAnonymous(t *testing.T) {
	e := cmdtest.New(t)
	e.Names["db"] = e.DBPath()
	_, id := newKey(e)
	e.MustRun("serve", "keys", "revoke", id)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	e.Check(e.RunCtx(ctx, cmdtest.RunOpts{}, "serve", "--listen", "127.0.0.1:0"), cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error",
		`refusing to serve without authentication: every API key of this database is revoked; run "mkr serve keys create", pass --api-key, or --allow-anonymous (loopback only)`)})
	e.Check(e.RunCtx(ctx, cmdtest.RunOpts{}, "serve", "--listen", "0.0.0.0:0", "--allow-anonymous"), cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error",
		"--allow-anonymous serves on a loopback address only, not 0.0.0.0:0")})

	base, stop := runServeCLI(e, cmdtest.RunOpts{}, "--allow-anonymous")
	c := cmdtest.New(t)
	c.Check(c.RunWith(cmdtest.RunOpts{}, "--apibase", base, "hosts", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})
	e.Names["base"] = base
	e.Check(stop(), cmdtest.Want{Stderr: cmdtest.LogLine(false, "warning", "no API key configured: accepting unauthenticated requests on loopback 127.0.0.1:0") +
		cmdtest.LogLine(false, "info", "serving {db} on {base}") + cmdtest.LogLine(false, "info", "stopped")})
}
