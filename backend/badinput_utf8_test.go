package backend_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// Host meta and metadata values are stored and served verbatim, so a value
// that is not UTF-8 (raw bytes, or an unpaired surrogate escape, which
// encoding/json lets through) would make every later GET /hosts invalid
// JSON for strict clients. Such bodies are refused with a 400 that names
// the value, and change nothing.
func TestBadUTF8(t *testing.T) {
	t.Parallel()
	f := newFixture(t, backend.Options{})
	hosts, live := "/api/v0/hosts", "/api/v0/hosts/"+f.live
	cases := []badCase{
		{"meta string bytes", "POST", hosts, "{\"name\":\"x\",\"meta\":{\"kernel\":{\"release\":\"6.1\xff\"}}}", 400, "meta.kernel.release is not valid UTF-8."},
		{"meta in an array", "POST", hosts, "{\"name\":\"x\",\"meta\":{\"cpu\":[{},{\"model_name\":\"Xeon\xc3\"}]}}", 400, "meta.cpu[1].model_name is not valid UTF-8."},
		{"meta unknown key path", "POST", hosts, "{\"name\":\"x\",\"meta\":{\"my plugin\":{\"v\":[1,\"\xed\xa0\x80\"]}}}", 400, `meta["my plugin"].v[1] is not valid UTF-8.`},
		{"meta key", "POST", hosts, "{\"name\":\"x\",\"meta\":{\"cloud\":{\"k\xff\":1}}}", 400, "meta.cloud has a key that is not valid UTF-8."},
		{"meta lone high surrogate", "POST", hosts, `{"name":"x","meta":{"a":"\ud800"}}`, 400, "meta.a is not valid UTF-8."},
		{"meta lone low surrogate", "POST", hosts, `{"name":"x","meta":{"a":"x\udc00y"}}`, 400, "meta.a is not valid UTF-8."},
		{"meta reversed pair", "POST", hosts, `{"name":"x","meta":{"a":"\udc00\ud800"}}`, 400, "meta.a is not valid UTF-8."},
		{"meta high surrogate then text", "POST", hosts, `{"name":"x","meta":{"a":"\ud800\n"}}`, 400, "meta.a is not valid UTF-8."},
		{"name", "POST", hosts, "{\"name\":\"web\xff\"}", 400, "name is not valid UTF-8."},
		{"update meta", "PUT", live, "{\"name\":\"live\",\"meta\":{\"agent-name\":\"\xfe\"}}", 400, "meta.agent-name is not valid UTF-8."},
		{"update memo", "PUT", live, "{\"memo\":\"caf\xe9\"}", 400, "memo is not valid UTF-8."},
		{"update interfaces", "PUT", live, "{\"interfaces\":[{\"name\":\"eth\xff\"}]}", 400, "interfaces[0].name is not valid UTF-8."},
	}
	for kind, base := range map[string]string{
		"host": live + "/metadata", "service": "/api/v0/services/web/metadata", "role": "/api/v0/services/web/roles/app/metadata",
	} {
		cases = append(cases,
			badCase{kind + " metadata string", "PUT", base + "/ns2", "\"\xff\"", 400, "metadata is not valid UTF-8."},
			badCase{kind + " metadata nested", "PUT", base + "/ns2", "{\"a\":{\"b\":[\"ok\",\"\xc0\xaf\"]}}", 400, "metadata.a.b[1] is not valid UTF-8."},
			badCase{kind + " metadata key", "PUT", base + "/ns2", "[{\"\xff\":1}]", 400, "metadata[0] has a key that is not valid UTF-8."},
			badCase{kind + " metadata surrogate escape", "PUT", base + "/ns", `{"k":"\udfff"}`, 400, "metadata.k is not valid UTF-8."},
		)
	}
	runBad(t, f, cases)
}

// What is valid is still stored verbatim: any UTF-8, escaped surrogate
// pairs, and text that merely looks like an escape.
func TestUTF8Accepted(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	meta := `{"kernel":{"release":"6.1 日本語"},"emoji":"\ud83d\ude00","text":"\\ud800","ctl":"\u0000é"}`
	resp := serve(t, env.Handler, "POST", "/api/v0/hosts", `{"name":"ok","meta":`+meta+`}`)
	var created struct{ ID string }
	mustDecode(t, resp, &created)
	resp = serve(t, env.Handler, "GET", "/api/v0/hosts/"+created.ID, "")
	var got struct {
		Host struct{ Meta json.RawMessage }
	}
	mustDecode(t, resp, &got)
	if string(got.Host.Meta) != meta {
		t.Errorf("meta = %s, want it verbatim: %s", got.Host.Meta, meta)
	}
	id := env.MustCreateHost(t, store.NewHost{Name: "h"})
	value := `["é",{"\ud83d\ude00":"\\udc00"}]`
	if resp := serve(t, env.Handler, "PUT", "/api/v0/hosts/"+id+"/metadata/ns", value); resp.status != http.StatusOK {
		t.Fatalf("PUT metadata: %d %s", resp.status, resp.body)
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/hosts/"+id+"/metadata/ns", ""); string(resp.body) != value {
		t.Errorf("metadata = %s, want %s", resp.body, value)
	}
	if resp := serve(t, env.Handler, "GET", "/api/v0/hosts", ""); !utf8.Valid(resp.body) {
		t.Errorf("GET /hosts is not UTF-8: %q", resp.body)
	}
}
