package backend

import (
	"encoding/json"
	"testing"
)

// FuzzParseBodyFast: whenever the whole-body fast path accepts a body, the
// body is valid JSON and encoding/json reads the same points from it (the
// streaming decoder, which the fast path stands in for, decodes each
// element with encoding/json or parsePointFast, itself fuzzed against it).
func FuzzParseBodyFast(f *testing.F) {
	for _, seed := range []string{
		`[{"hostId":"h","name":"custom.a","time":1714978800,"value":1.5}]`,
		` [ {"name":"x","value":-0.5E+1,"time":17.9,"hostId":"h"} , {} ] `,
		`[{"hostId":"h","name":"n","time":null,"value":null,"value":3}]`,
		`[{"hostId":"h","name":"n","time":1,"value":1},]`,
		`[{"hostId":"h","name":"n","time":01,"value":1}]`,
		`[{"hostId":"h","name":"n","time":1.,"value":1}]`,
		`[{"hostId":"h","name":"n","time":1,"value":-}]`,
		`[{"hostId":"h","name":"n" "time":1}]`,
		`[{"hostId":"h","name":"n","time":1e400,"value":1}]`,
		`[{"hostId":"h","name":"n","time":123456789012345678,"value":-0}]`,
		"[{\"hostId\":\"h\",\"name\":\"a\tb\",\"time\":1,\"value\":1}]",
		`[]`, ` [ ] x`, `[1]`, `null`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		fast, ok := parseBodyFast([]byte(body), nil)
		if !ok {
			return
		}
		if !json.Valid([]byte(body)) {
			t.Fatalf("fast path accepted invalid JSON %q", body)
		}
		var pps []postedPoint
		if err := json.Unmarshal([]byte(body), &pps); err != nil {
			t.Fatalf("fast path accepted %q, encoding/json refuses it: %v", body, err)
		}
		if len(pps) != len(fast) {
			t.Fatalf("%q: fast path read %d points, encoding/json %d", body, len(fast), len(pps))
		}
		for i, pp := range pps {
			p := fast[i]
			same := string(p.hostID) == pp.HostID && string(p.name) == pp.Name &&
				p.hasTime == (pp.Time != nil) && (pp.Time == nil || *pp.Time == p.time) &&
				p.hasValue == (pp.Value != nil) && (pp.Value == nil || *pp.Value == p.value)
			if !same {
				t.Fatalf("%q point %d: fast path read %+v, encoding/json %+v", body, i, p, pp)
			}
		}
	})
}

// TestParseBodyFastDeclines: the shapes the fast path must leave to the
// streaming decoder, whose messages are the reference.
func TestParseBodyFastDeclines(t *testing.T) {
	for _, body := range []string{
		`[{"hostId":"h","name":"n","time":1,"value":1},]`,      // trailing comma
		`[{"hostId":"h","name":"n","time":01,"value":1}]`,      // leading zero
		`[{"hostId":"h","name":"n" "time":1}]`,                 // missing comma
		`[{"hostId":"h","name":"n","time":"1","value":1}]`,     // a type error
		`[{"hostId":"h","name":"\u0063","time":1,"value":1}]`,  // an escape
		`[{"hostId":"h","name":"n","time":1,"value":1,"x":2}]`, // another key
		`[{"hostId":"h","name":"n","time":1,"value":1}] x`,     // data after the array
		`[{"hostId":"h","name":"n","time":1e400,"value":1}]`,   // out of range
		`null`, ``, `{}`,
	} {
		if _, ok := parseBodyFast([]byte(body), nil); ok {
			t.Errorf("parseBodyFast accepted %q", body)
		}
	}
	pts, ok := parseBodyFast([]byte(` [ {"hostId":"h","name":"n","time":1714978800,"value":-2.5e1}, {"value":null} ] `), nil)
	if !ok || len(pts) != 2 || string(pts[0].hostID) != "h" || pts[0].time != 1714978800 || pts[0].value != -25 || pts[1].hasValue {
		t.Errorf("parseBodyFast = %+v, %v", pts, ok)
	}
}
