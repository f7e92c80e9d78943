package backend_test

// The NUL character (U+0000): SQLite stores it, PostgreSQL's text cannot
// (the statement fails), so the API refuses it in every string before the
// store sees it — one answer, a 400 naming the field, on both engines
// (this test runs on each through TestCompatOnPostgres).

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/store"
)

const nulMsg = " must not contain a NUL character (\\u0000)."

func TestCompatRefusesNUL(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{})
	now := strconv.FormatInt(f.env.Clock.Now().Unix(), 10)
	expand := strings.NewReplacer("{live}", f.live, "{now}", now)
	runBadOn(t, f.env, expand, []badCase{
		{"host name", "POST", "/api/v0/hosts", `{"name":"a\u0000b"}`, 400, "name" + nulMsg},
		{"host memo beside meta", "POST", "/api/v0/hosts", `{"name":"ab","meta":{"k":"\u0000"},"memo":"x\u0000"}`, 400, "memo" + nulMsg},
		{"interfaces", "POST", "/api/v0/hosts", `{"name":"ab","interfaces":[{"name":"eth\u0000"}]}`, 400, "interfaces[0].name" + nulMsg},
		{"host memo", "POST", "/api/v0/hosts", `{"name":"ab","memo":"x\u0000"}`, 400, "memo" + nulMsg},
		{"host update", "PUT", "/api/v0/hosts/{live}", `{"name":"live","displayName":"\u0000"}`, 400, "displayName" + nulMsg},
		{"metadata namespace", "PUT", "/api/v0/hosts/{live}/metadata/n%00s", `{"k":1}`, 400, "namespace" + nulMsg},
		{"service memo", "POST", "/api/v0/services", `{"name":"svc","memo":"\u0000"}`, 400, "memo" + nulMsg},
		{"role memo", "POST", "/api/v0/services/web/roles", `{"name":"db","memo":"\u0000"}`, 400, "memo" + nulMsg},
		{"monitor name", "POST", "/api/v0/monitors", `{"type":"connectivity","name":"c\u0000"}`, 400, "name" + nulMsg},
		{"monitor memo", "POST", "/api/v0/monitors", `{"type":"host","name":"load","metric":"loadavg5","operator":">","critical":2,"duration":3,"memo":"\u0000"}`, 400, "memo" + nulMsg},
		{"check report message", "POST", "/api/v0/monitoring/checks/report",
			`{"reports":[{"source":{"type":"host","hostId":"{live}"},"name":"disk","status":"CRITICAL","message":"f\u0000","occurredAt":{now},"maxCheckAttempts":1}]}`,
			400, "reports[0].message" + nulMsg},
		{"annotation title", "POST", "/api/v0/graph-annotations", `{"title":"r\u0000","service":"web","from":{now},"to":{now}}`, 400, "title" + nulMsg},
		{"downtime name", "POST", "/api/v0/downtimes", `{"name":"d\u0000","start":{now},"duration":30}`, 400, "name" + nulMsg},
		{"channel name", "POST", "/api/v0/channels", `{"type":"webhook","name":"h\u0000","url":"https://example.com/h"}`, 400, "name" + nulMsg},
		{"graph def", "POST", "/api/v0/graph-defs/create", `[{"name":"custom.mem","displayName":"M\u0000","metrics":[]}]`, 400, "[0].displayName" + nulMsg},
		{"query parameter", "GET", "/api/v0/hosts?service=web&name=" + url.QueryEscape("a\x00"), "", 400, "name" + nulMsg},
		{"path segment", "GET", "/api/v0/hosts-by-custom-identifier/ci%00", "", 400, "customIdentifier" + nulMsg},
		{"host id", "GET", "/api/v0/hosts/a%00", "", 400, "hostId" + nulMsg},
		{"metric post's hostId", "POST", "/api/v0/tsdb", `[{"hostId":"{live}\u0000","name":"custom.x","time":{now},"value":1}]`, 400, "Point 0: hostId" + nulMsg},
	})

	t.Run("mackerel-client-go sees the message", func(t *testing.T) {
		mc := mustMackerel(t, f.env)
		_, err := mc.CreateHost(&mackerel.CreateHostParam{Name: "web\x0002"})
		wantAPIError(t, err, http.StatusBadRequest, "name"+nulMsg)
	})

	// Free-form JSON stored as sent keeps its bytes on both engines, the
	// escape \u0000 included: an agent whose host meta holds one must
	// still be able to update its host.
	t.Run("host meta and metadata keep it", func(t *testing.T) {
		meta := `{"cpu":[{"model":"x\u0000"}],"\u0000":"k"}`
		resp := serve(t, f.env.Handler, "PUT", "/api/v0/hosts/"+f.live, `{"name":"live","meta":`+meta+`}`)
		if resp.status != http.StatusOK {
			t.Fatalf("PUT host with meta: %d %s", resp.status, resp.body)
		}
		h, err := f.env.Store.GetHost(context.Background(), f.live)
		if err != nil || string(h.Meta) != meta {
			t.Fatalf("stored meta %s (%v), want %s", h.Meta, err, meta)
		}
		value := `{"k":"v\u0000","\u0000":1}`
		path := "/api/v0/services/web/roles/app/metadata/nul"
		if resp := serve(t, f.env.Handler, "PUT", path, value); resp.status != http.StatusOK {
			t.Fatalf("PUT metadata: %d %s", resp.status, resp.body)
		}
		if resp := serve(t, f.env.Handler, "GET", path, ""); resp.status != http.StatusOK || string(resp.body) != value {
			t.Fatalf("GET metadata: %d %s, want 200 %s", resp.status, resp.body, value)
		}
	})

	// The escape's text, as opposed to the character, is an ordinary
	// string: "C:\\u0000" is a backslash and five letters.
	t.Run("an escaped backslash is no NUL", func(t *testing.T) {
		resp := serve(t, f.env.Handler, "POST", "/api/v0/hosts", `{"name":"esc01","memo":"C:\\u0000"}`)
		if resp.status != http.StatusOK {
			t.Fatalf("POST /api/v0/hosts: %d %s", resp.status, resp.body)
		}
		hosts, err := f.env.Store.ListHosts(context.Background(), store.HostFilter{Name: "esc01"})
		if err != nil || len(hosts) != 1 || hosts[0].Memo != `C:\u0000` {
			t.Fatalf("stored hosts %+v (%v), want one with memo C:\\u0000", hosts, err)
		}
	})
}
