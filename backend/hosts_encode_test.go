package backend

import (
	"encoding/json"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// appendHostJSON writes exactly json.Marshal's bytes, whether it copies
// the stored documents or has to compact and escape them.
func FuzzAppendHostJSON(f *testing.F) {
	for _, doc := range []string{
		`{}`, `[]`, `null`,
		`{"agent-version":"0.87.0","cpu":[{"model_name":"Intel(R) Xeon(R) CPU","flags":"fpu vme de"}]}`,
		`{ "a" : [ 1, 2 ] }`, "{\n\t\"a\":\r\n1}",
		`{"html":"<b> & </b>"}`, `{"sep":"a` + "\u2028" + `b` + "\u2029" + `"}`, `{"e":"é ✓"}`,
		`{"q":"say \"hi\" \\ ","n":-1.5e3,"t":true,"z":null}`, `[{"name":"eth0","ipAddress":"10.0.0.1"}]`,
	} {
		f.Add(doc, `[{"name":"eth0"}]`)
		f.Add(`{}`, doc)
	}
	f.Fuzz(func(t *testing.T, meta, ifaces string) {
		if !json.Valid([]byte(meta)) || !json.Valid([]byte(ifaces)) {
			return // the store holds only validated documents
		}
		h := &store.Host{ID: "h1", Name: "web <1>", Status: "working", CreatedAt: 1714979289,
			Roles: map[string][]string{"svc": {"a", "b"}}, Meta: []byte(meta), Interfaces: []byte(ifaces)}
		want, wantErr := json.Marshal(toHostJSON(h))
		got, err := appendHostJSON([]byte("prefix"), h)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("error %v, json.Marshal's %v", err, wantErr)
		}
		if err == nil && string(got) != "prefix"+string(want) {
			t.Errorf("appendHostJSON = %s\njson.Marshal = %s", got[len("prefix"):], want)
		}
	})
}
