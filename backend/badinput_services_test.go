package backend_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
)

func TestBadServiceAndRoleNames(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{})
	bad := []struct{ why, name string }{
		{"empty", ""},
		{"one character", "a"},
		{"leading underscore", "_web"},
		{"leading hyphen", "-web"},
		{"64 characters", "a" + strings.Repeat("b", 63)},
		{"space", "we b"},
		{"colon", "web:app"},
		{"dot", "web.app"},
		{"non-ASCII", "wéb"},
	}
	var cases []badCase
	for _, b := range bad {
		cases = append(cases,
			badCase{"service " + b.why, "POST", "/api/v0/services", fmt.Sprintf(`{"name":%q}`, b.name), 400,
				fmt.Sprintf(`Invalid service name %q: use 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.`, b.name)},
			badCase{"role " + b.why, "POST", "/api/v0/services/web/roles", fmt.Sprintf(`{"name":%q}`, b.name), 400,
				fmt.Sprintf(`Invalid role name %q: use 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.`, b.name)},
		)
	}
	cases = append(cases, []badCase{
		{"service name missing", "POST", "/api/v0/services", `{"memo":"m"}`, 400, `Invalid service name "": use 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.`},
		{"service name a number", "POST", "/api/v0/services", `{"name":12}`, 400, "Invalid JSON: name must be a string, not number"},
		{"service memo a number", "POST", "/api/v0/services", `{"name":"ok","memo":1}`, 400, "Invalid JSON: memo must be a string, not number"},
		{"service malformed", "POST", "/api/v0/services", `{"name":"ok"`, 400, "Invalid JSON: unexpected EOF"},
		{"service trailing garbage", "POST", "/api/v0/services", `{"name":"ok"}]`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"service no body", "POST", "/api/v0/services", ``, 400, "Request body is required."},
		{"service exists", "POST", "/api/v0/services", `{"name":"web"}`, 400, "service web already exists"},
		{"role exists", "POST", "/api/v0/services/web/roles", `{"name":"app"}`, 400, "role web:app already exists"},
		{"role of unknown service", "POST", "/api/v0/services/nope/roles", `{"name":"app"}`, 404, "Service not found."},
		{"role malformed", "POST", "/api/v0/services/web/roles", `[`, 400, "Invalid JSON: unexpected EOF"},
		{"roles of unknown service", "GET", "/api/v0/services/nope/roles", ``, 404, "Service not found."},
		{"delete unknown service", "DELETE", "/api/v0/services/nope", ``, 404, "Service not found."},
		{"delete unknown role", "DELETE", "/api/v0/services/web/roles/nope", ``, 404, "Role not found."},
		{"delete role of unknown service", "DELETE", "/api/v0/services/nope/roles/app", ``, 404, "Role not found."},
	}...)
	runBad(t, f, cases)
}

// The boundaries of the name rule are accepted.
func TestServiceAndRoleNameBoundaries(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	for _, name := range []string{"ab", "A1", "0-_", "a" + strings.Repeat("_", 62)} {
		resp := serve(t, env.Handler, "POST", "/api/v0/services", fmt.Sprintf(`{"name":%q,"memo":"m"}`, name))
		if got, want := string(resp.body), fmt.Sprintf(`{"name":%q,"memo":"m","roles":[]}`, name); resp.status != 200 || got != want {
			t.Fatalf("create service %q = %d %s, want 200 %s", name, resp.status, got, want)
		}
		resp = serve(t, env.Handler, "POST", "/api/v0/services/"+name+"/roles", fmt.Sprintf(`{"name":%q}`, name))
		if got, want := string(resp.body), fmt.Sprintf(`{"name":%q,"memo":""}`, name); resp.status != 200 || got != want {
			t.Fatalf("create role %q = %d %s, want 200 %s", name, resp.status, got, want)
		}
	}
}
