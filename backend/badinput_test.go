package backend_test

// Bad input: every rejected request gets a 4xx in Mackerel's error shape
// with a message that says what to fix, and leaves the database exactly as
// it was (compared row by row with backendtest's dump).

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// fixture is a small organization to send bad requests to.
type fixture struct {
	env     *backendtest.Env
	live    string // host "live", customIdentifier "ci-1", role web:app, metadata "ns"
	other   string // host "other"
	retired string // retired host "gone", metadata "ns"
}

func newFixture(t *testing.T, opts backend.Options) *fixture {
	t.Helper()
	env := backendtest.NewWithOptions(t, backendtest.Options{Backend: opts})
	ctx := context.Background()
	f := &fixture{env: env}
	f.live = env.MustCreateHost(t, store.NewHost{Name: "live", CustomIdentifier: "ci-1", Roles: []store.RoleRef{{Service: "web", Role: "app"}}})
	f.other = env.MustCreateHost(t, store.NewHost{Name: "other"})
	f.retired = env.MustCreateHost(t, store.NewHost{Name: "gone", CustomIdentifier: "ci-gone"})
	for _, o := range []store.MetadataOwner{{HostID: f.live}, {HostID: f.retired}, {Service: "web"}, {Service: "web", Role: "app"}} {
		if err := env.Store.PutMetadata(ctx, o, "ns", []byte(`{"k":"v"}`)); err != nil {
			t.Fatal(err)
		}
	}
	if err := env.Engine.RetireHosts(ctx, []string{f.retired}); err != nil {
		t.Fatal(err)
	}
	return f
}

// badCase is one rejected request.
type badCase struct {
	name   string
	method string
	path   string
	body   string
	status int
	msg    string
}

// runBad sends each case to a fresh fixture's handler and checks the answer
// and that nothing changed.
func runBad(t *testing.T, f *fixture, cases []badCase) {
	t.Helper()
	runBadOn(t, f.env, strings.NewReplacer(), cases)
}

// runBadOn sends each case to env's handler, with expand's placeholders
// replaced in its path, body and message, and checks the exact error body
// and that the database did not change.
func runBadOn(t *testing.T, env *backendtest.Env, expand *strings.Replacer, cases []badCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := env.MustDump(t)
			path, body, msg := expand.Replace(tc.path), expand.Replace(tc.body), expand.Replace(tc.msg)
			resp := serve(t, env.Handler, tc.method, path, body)
			wantError(t, resp, tc.status, msg)
			if want := tsErrorBody(msg); string(resp.body) != want {
				t.Errorf("%s %s\n%s\n→ %s\nwant %s", tc.method, path, body, resp.body, want)
			}
			if after := env.MustDump(t); after != before {
				t.Fatalf("rejected request changed the database:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// ids returns n distinct host ids, the first of them real.
func ids(first string, n int) string {
	out := []string{`"` + first + `"`}
	for i := 1; i < n; i++ {
		out = append(out, fmt.Sprintf(`"unknown%03d"`, i))
	}
	return "[" + strings.Join(out, ",") + "]"
}

func TestBadHostBodies(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{})
	const roleHelp = `: expected <service>:<role>, each 2 to 63 of A-Z a-z 0-9 _ -, not starting with _ or -.`
	const ifaceHelp = "interfaces: name, macAddress, ipAddress and ipv6Address must be strings, ipv4Addresses and ipv6Addresses arrays of strings."
	long := strings.Repeat("m", 251)
	runBad(t, f, []badCase{
		{"malformed JSON", "POST", "/api/v0/hosts", `{"name":`, 400, "Invalid JSON: unexpected EOF"},
		{"not JSON", "POST", "/api/v0/hosts", `name=x`, 400, "Invalid JSON: invalid character 'a' in literal null (expecting 'u')"},
		{"trailing value", "POST", "/api/v0/hosts", `{"name":"x"} {}`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"trailing word", "POST", "/api/v0/hosts", `{"name":"x"} x`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"trailing brace", "POST", "/api/v0/hosts", `{"name":"x"}}`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"trailing bracket", "POST", "/api/v0/hosts", `{"name":"x"}]`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"empty body", "POST", "/api/v0/hosts", ``, 400, "Request body is required."},
		{"null body", "POST", "/api/v0/hosts", `null`, 400, "Request body is required."},
		{"array body", "POST", "/api/v0/hosts", `[{"name":"x"}]`, 400, "Invalid JSON: expected an object, not array"},
		{"name missing", "POST", "/api/v0/hosts", `{"meta":{}}`, 400, "name is required."},
		{"name empty", "POST", "/api/v0/hosts", `{"name":""}`, 400, "name is required."},
		{"name blank", "POST", "/api/v0/hosts", `{"name":"  "}`, 400, "name is required."},
		{"name null", "POST", "/api/v0/hosts", `{"name":null}`, 400, "name is required."},
		{"name a number", "POST", "/api/v0/hosts", `{"name":1}`, 400, "name must be a string."},
		{"displayName an object", "POST", "/api/v0/hosts", `{"name":"x","displayName":{}}`, 400, "displayName must be a string."},
		{"memo a bool", "POST", "/api/v0/hosts", `{"name":"x","memo":true}`, 400, "memo must be a string."},
		{"customIdentifier a number", "POST", "/api/v0/hosts", `{"name":"x","customIdentifier":5}`, 400, "customIdentifier must be a string."},
		{"meta an array", "POST", "/api/v0/hosts", `{"name":"x","meta":[]}`, 400, "meta must be an object."},
		{"meta a string", "POST", "/api/v0/hosts", `{"name":"x","meta":"{}"}`, 400, "meta must be an object."},
		{"interfaces an object", "POST", "/api/v0/hosts", `{"name":"x","interfaces":{}}`, 400, "interfaces must be an array of objects."},
		{"interfaces of strings", "POST", "/api/v0/hosts", `{"name":"x","interfaces":["eth0"]}`, 400, "interfaces must be an array of objects."},
		{"interface address a number", "POST", "/api/v0/hosts", `{"name":"x","interfaces":[{"name":"eth0","ipv4Addresses":[1]}]}`, 400, ifaceHelp},
		{"interface addresses a string", "POST", "/api/v0/hosts", `{"name":"x","interfaces":[{"name":"eth0","ipv6Addresses":"fe80::1"}]}`, 400, ifaceHelp},
		{"interface name a number", "POST", "/api/v0/hosts", `{"name":"x","interfaces":[{"name":0}]}`, 400, ifaceHelp},
		{"interface ipAddress an array", "POST", "/api/v0/hosts", `{"name":"x","interfaces":[{"ipAddress":["10.0.0.1"]}]}`, 400, ifaceHelp},
		{"update interface macAddress a bool", "PUT", "/api/v0/hosts/" + f.live, `{"interfaces":[{"macAddress":true}]}`, 400, ifaceHelp},
		{"roleFullnames a string", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":"web:app"}`, 400, "roleFullnames must be an array of strings."},
		{"roleFullnames of numbers", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":[1]}`, 400, "roleFullnames must be an array of strings."},
		{"roleFullname without colon", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":["web"]}`, 400, `Invalid roleFullname "web"` + roleHelp},
		{"roleFullname empty role", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":["web:"]}`, 400, `Invalid roleFullname "web:"` + roleHelp},
		{"roleFullname short role", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":["web:a"]}`, 400, `Invalid roleFullname "web:a"` + roleHelp},
		{"roleFullname empty service", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":[":app"]}`, 400, `Invalid roleFullname ":app"` + roleHelp},
		{"roleFullname leading underscore", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":["_web:app"]}`, 400, `Invalid roleFullname "_web:app"` + roleHelp},
		{"roleFullname two colons", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":["web:app:x"]}`, 400, `Invalid roleFullname "web:app:x"` + roleHelp},
		{"one bad roleFullname of two", "POST", "/api/v0/hosts", `{"name":"x","roleFullnames":["new:ok","web:-x"]}`, 400, `Invalid roleFullname "web:-x"` + roleHelp},
		{"checks an object", "POST", "/api/v0/hosts", `{"name":"x","checks":{}}`, 400, "checks must be an array of {name, memo} objects."},
		{"check name a number", "POST", "/api/v0/hosts", `{"name":"x","checks":[{"name":1}]}`, 400, "checks must be an array of {name, memo} objects."},
		{"check name with space", "POST", "/api/v0/hosts", `{"name":"x","checks":[{"name":"my check"}]}`, 400, `Invalid check name "my check": use A-Z a-z 0-9 _ -.`},
		{"check name with dot", "POST", "/api/v0/hosts", `{"name":"x","checks":[{"name":"a.b"}]}`, 400, `Invalid check name "a.b": use A-Z a-z 0-9 _ -.`},
		{"check name empty", "POST", "/api/v0/hosts", `{"name":"x","checks":[{"memo":"m"}]}`, 400, `Invalid check name "": use A-Z a-z 0-9 _ -.`},
		{"check memo too long", "POST", "/api/v0/hosts", `{"name":"x","checks":[{"name":"c","memo":"` + long + `"}]}`, 400, `Check memo of "c" is longer than 250 characters.`},
		{"customIdentifier taken", "POST", "/api/v0/hosts", `{"name":"x","customIdentifier":"ci-1"}`, 400, `customIdentifier "ci-1" is already used by another host`},

		{"update malformed", "PUT", "/api/v0/hosts/" + f.live, `{"name":"x",}`, 400, "Invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"update trailing brace", "PUT", "/api/v0/hosts/" + f.live, `{"memo":"x"}}`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"update empty name", "PUT", "/api/v0/hosts/" + f.live, `{"name":""}`, 400, "name must not be empty."},
		{"update bad role", "PUT", "/api/v0/hosts/" + f.live, `{"roleFullnames":["x"]}`, 400, `Invalid roleFullname "x"` + roleHelp},
		{"update bad check", "PUT", "/api/v0/hosts/" + f.live, `{"checks":[{"name":"a/b"}]}`, 400, `Invalid check name "a/b": use A-Z a-z 0-9 _ -.`},
		{"update takes another's customIdentifier", "PUT", "/api/v0/hosts/" + f.other, `{"customIdentifier":"ci-1"}`, 400, `customIdentifier "ci-1" is already used by another host`},
		{"update unknown host", "PUT", "/api/v0/hosts/unknownHost", `{"name":"x"}`, 404, "Host Not Found."},
		{"update retired host", "PUT", "/api/v0/hosts/" + f.retired, `{"name":"x"}`, 400, "Host is retired: " + f.retired},

		{"role-fullnames bad", "PUT", "/api/v0/hosts/" + f.live + "/role-fullnames", `{"roleFullnames":["web:app","nope"]}`, 400, `Invalid roleFullname "nope"` + roleHelp},
		{"role-fullnames wrong type", "PUT", "/api/v0/hosts/" + f.live + "/role-fullnames", `{"roleFullnames":"web:app"}`, 400, "Invalid JSON: roleFullnames must be an array, not string"},
		{"role-fullnames unknown host", "PUT", "/api/v0/hosts/unknownHost/role-fullnames", `{"roleFullnames":[]}`, 404, "Host Not Found."},
		{"role-fullnames retired host", "PUT", "/api/v0/hosts/" + f.retired + "/role-fullnames", `{"roleFullnames":[]}`, 400, "Host is retired: " + f.retired},
	})
}

func TestBadHostCalls(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{})
	const statusHelp = `: must be one of working, standby, maintenance, poweroff.`
	runBad(t, f, []badCase{
		{"unknown host", "GET", "/api/v0/hosts/unknownHost", "", 404, "Host Not Found."},
		{"unknown host metric names", "GET", "/api/v0/hosts/unknownHost/metric-names", "", 404, "Host Not Found."},
		{"unknown host monitored statuses", "GET", "/api/v0/hosts/unknownHost/monitored-statuses", "", 404, "Host Not Found."},
		{"unknown custom identifier", "GET", "/api/v0/hosts-by-custom-identifier/nope", "", 404, "Host Not Found."},
		{"list with unknown status", "GET", "/api/v0/hosts?status=working&status=down", "", 400, `Invalid status "down"` + statusHelp},

		{"status unknown value", "POST", "/api/v0/hosts/" + f.live + "/status", `{"status":"down"}`, 400, `Invalid status "down"` + statusHelp},
		{"status wrong case", "POST", "/api/v0/hosts/" + f.live + "/status", `{"status":"Working"}`, 400, `Invalid status "Working"` + statusHelp},
		{"status missing", "POST", "/api/v0/hosts/" + f.live + "/status", `{}`, 400, `Invalid status ""` + statusHelp},
		{"status a number", "POST", "/api/v0/hosts/" + f.live + "/status", `{"status":1}`, 400, "Invalid JSON: status must be a string, not number"},
		{"status no body", "POST", "/api/v0/hosts/" + f.live + "/status", ``, 400, "Request body is required."},
		{"status unknown host", "POST", "/api/v0/hosts/unknownHost/status", `{"status":"standby"}`, 404, "Host Not Found."},
		{"status retired host", "POST", "/api/v0/hosts/" + f.retired + "/status", `{"status":"standby"}`, 400, "Host is retired: " + f.retired},

		{"bulk status 31 ids", "POST", "/api/v0/hosts/bulk-update-statuses", `{"ids":` + ids(f.live, 31) + `,"status":"standby"}`, 400, "Too many ids: at most 30 hosts per request."},
		{"bulk status no ids", "POST", "/api/v0/hosts/bulk-update-statuses", `{"ids":[],"status":"standby"}`, 400, "ids must not be empty."},
		{"bulk status ids a string", "POST", "/api/v0/hosts/bulk-update-statuses", `{"ids":"x","status":"standby"}`, 400, "Invalid JSON: ids must be an array, not string"},
		{"bulk status unknown status", "POST", "/api/v0/hosts/bulk-update-statuses", `{"ids":["` + f.live + `"],"status":"off"}`, 400, `Invalid status "off"` + statusHelp},
		{"bulk status one unknown id", "POST", "/api/v0/hosts/bulk-update-statuses", `{"ids":["` + f.live + `","` + f.other + `","unknownHost"],"status":"standby"}`, 404, "Hosts Not Found."},
		{"bulk status one retired id", "POST", "/api/v0/hosts/bulk-update-statuses", `{"ids":["` + f.live + `","` + f.retired + `"],"status":"standby"}`, 400, "Host is retired: " + f.retired},

		{"retire unknown host", "POST", "/api/v0/hosts/unknownHost/retire", `{}`, 404, "Host Not Found."},
		{"retire bad body", "POST", "/api/v0/hosts/" + f.live + "/retire", `{`, 400, "Invalid JSON: unexpected EOF"},
		{"bulk retire 31 ids", "POST", "/api/v0/hosts/bulk-retire", `{"ids":` + ids(f.live, 31) + `}`, 400, "Too many ids: at most 30 hosts per request."},
		{"bulk retire no ids", "POST", "/api/v0/hosts/bulk-retire", `{}`, 400, "ids must not be empty."},
		{"bulk retire one unknown id", "POST", "/api/v0/hosts/bulk-retire", `{"ids":["` + f.live + `","unknownHost"]}`, 404, "Hosts Not Found."},

		{"unknown path", "GET", "/api/v0/nope", "", 404, "Not found."},
		{"unknown path without prefix", "GET", "/hosts", "", 404, "Not found."},
		{"unknown host subresource", "GET", "/api/v0/hosts/" + f.live + "/nope", "", 404, "Not found."},
		{"wrong method", "DELETE", "/api/v0/org", "", 404, "Not found."},
		{"wrong method on hosts", "DELETE", "/api/v0/hosts/" + f.live, "", 404, "Not found."},
	})
}

// Exactly 30 ids is within the bulk limit, through the Go client too.
func TestBulkLimitIsInclusive(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	var list []string
	for i := range 31 {
		list = append(list, env.MustCreateHost(t, store.NewHost{Name: fmt.Sprintf("h%d", i)}))
	}
	err := mc.BulkUpdateHostStatuses(list, "poweroff")
	wantAPIError(t, err, 400, "Too many ids: at most 30 hosts per request.")
	err = mc.BulkRetireHosts(list)
	wantAPIError(t, err, 400, "Too many ids: at most 30 hosts per request.")

	if err := mc.BulkUpdateHostStatuses(list[:30], "poweroff"); err != nil {
		t.Fatalf("bulk status of 30 hosts: %v", err)
	}
	hosts, err := env.Store.ListHosts(context.Background(), store.HostFilter{Statuses: []string{"poweroff"}})
	if err != nil || len(hosts) != 30 {
		t.Fatalf("poweroff hosts = %d (err %v), want 30", len(hosts), err)
	}
	if err := mc.BulkRetireHosts(list[1:]); err != nil {
		t.Fatalf("bulk retire of 30 hosts: %v", err)
	}
	hosts, err = env.Store.ListHosts(context.Background(), store.HostFilter{})
	if err != nil || len(hosts) != 1 || hosts[0].ID != list[0] {
		t.Fatalf("live hosts after bulk retire = %d (err %v), want only the first", len(hosts), err)
	}
}

// Bodies over the handler's cap are 413 on every route that reads one,
// metadata included (its own 100 KB limit sits above a smaller cap).
func TestBodyOverHandlerCap(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{MaxBodyBytes: 1024})
	big := strings.Repeat(" ", 1024)
	const msg = "Request body is too large (limit 1024 bytes)."
	runBad(t, f, []badCase{
		{"create host", "POST", "/api/v0/hosts", `{"name":"x","memo":"` + strings.Repeat("m", 1100) + `"}`, 413, msg},
		{"create host padded", "POST", "/api/v0/hosts", `{"name":"x"}` + big, 413, msg},
		{"update host", "PUT", "/api/v0/hosts/" + f.live, `{"memo":"` + strings.Repeat("m", 1100) + `"}`, 413, msg},
		{"bulk status", "POST", "/api/v0/hosts/bulk-update-statuses", big + `{"ids":[],"status":"working"}`, 413, msg},
		{"create service", "POST", "/api/v0/services", `{"name":"ok","memo":"` + strings.Repeat("m", 1100) + `"}`, 413, msg},
		{"metadata", "PUT", "/api/v0/services/web/metadata/ns2", jsonString(2048), 413, msg},
	})
	// A body just within the cap is read.
	body := `{"name":"x","memo":"` + strings.Repeat("m", 1024-len(`{"name":"x","memo":""}`)) + `"}`
	if resp := serve(t, f.env.Handler, "POST", "/api/v0/hosts", body); resp.status != 200 {
		t.Fatalf("body of exactly 1024 bytes: %d %s", resp.status, resp.body)
	}
}

// The default cap is 8 MiB.
func TestBodyOverDefaultCap(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{})
	body := `{"name":"x","memo":"` + strings.Repeat("m", 8<<20) + `"}`
	runBad(t, f, []badCase{{"create host", "POST", "/api/v0/hosts", body, 413, "Request body is too large (limit 8388608 bytes)."}})
}
