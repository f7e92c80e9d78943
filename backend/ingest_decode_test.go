package backend

import (
	"encoding/json"
	"math"
	"testing"
)

// FuzzParsePointFast: whenever the fast path accepts an element, it reads
// exactly what encoding/json reads from it (the path it replaces).
func FuzzParsePointFast(f *testing.F) {
	for _, seed := range []string{
		`{"hostId":"h","name":"custom.a","time":1714978800,"value":1.5}`,
		`{"name":"x","value":-0.5E+1,"time":17.9,"hostId":"h"}`,
		`{"hostId":"h","name":"n","time":null,"value":null,"value":3}`,
		`{"hostId":"h","name":"\u0063","time":1,"value":1}`,
		`{"HostId":"h","name":"n","time":1,"value":1}`,
		`{"hostId":"h","name":"n","time":1e400,"value":1}`,
		`{"hostId":"h","name":"n","time":123456789012345678,"value":-0}`,
		`{"hostId":"h","name":"é","time":1,"value":1}`,
		` { } `,
		`{"hostId":1,"name":"n"}`,
		`[1]`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, elem string) {
		if !json.Valid([]byte(elem)) {
			return // the Decoder never hands such an element over
		}
		var fast rawPoint
		if !parsePointFast([]byte(elem), &fast) {
			return
		}
		var pp postedPoint
		if err := json.Unmarshal([]byte(elem), &pp); err != nil {
			t.Fatalf("fast path accepted %s, encoding/json refuses it: %v", elem, err)
		}
		// Bit for bit: -0 is a negative zero on both paths.
		same := string(fast.hostID) == pp.HostID && string(fast.name) == pp.Name &&
			fast.hasTime == (pp.Time != nil) && (pp.Time == nil || math.Float64bits(*pp.Time) == math.Float64bits(fast.time)) &&
			fast.hasValue == (pp.Value != nil) && (pp.Value == nil || math.Float64bits(*pp.Value) == math.Float64bits(fast.value))
		if !same {
			t.Fatalf("%s: fast path read %+v, encoding/json %+v", elem, fast, pp)
		}
	})
}
