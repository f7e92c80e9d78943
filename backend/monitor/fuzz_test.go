package monitor

import (
	"testing"
	"time"
)

// everything is a Lookup for which every service and role exists.
type everything struct{}

func (everything) Now() time.Time                          { return time.Unix(1_800_000_000, 0) }
func (everything) ServiceExists(string) (bool, error)      { return true, nil }
func (everything) RoleExists(string, string) (bool, error) { return true, nil }

// FuzzCanonical: whatever the body, Decode fails cleanly or gives a
// definition whose canonical form, once valid, reads back to itself —
// what the store keeps is what the API answers, request after request.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		`{"type":"host","name":"h","metric":"cpu%","operator":">","warning":80,"duration":3,"scopes":["web"]}`,
		`{"type":"connectivity"}`,
		`{"type":"service","name":"s","service":"web","metric":"req","operator":"<","critical":-0,"duration":1,"missingDurationWarning":10}`,
		`{"type":"external","name":"e","url":"https://x/?a=<b>&c","headers":[{"name":"A","value":"\u2028"}],"expectedStatusCode":200}`,
		`{"type":"expression","name":"x","expression":"max(group(host(\"a\",\"b\"),host(\"c\",\"d\")))","operator":">","warning":1e-300}`,
		`{"type":"anomalyDetection","name":"a","scopes":["web: app"],"warningSensitivity":"normal"}`,
		`{"type":"query","name":"q","query":"up","operator":">","critical":1e308,"legend":"\ud83d\ude00"}`,
		`{"type":"host","name":"\xff","memo":null,"duration":2.0}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := Decode(body)
		if err != nil {
			if _, ok := IsInvalid(err); !ok {
				t.Fatalf("Decode error is not an *Error: %v", err)
			}
			return
		}
		m.Normalize()
		if Validate(m, everything{}) != nil {
			return
		}
		first := Encode(m)
		again, err := Decode(first)
		if err != nil {
			t.Fatalf("Decode(Encode) failed: %v\n%s", err, first)
		}
		again.Normalize()
		if err := Validate(again, everything{}); err != nil {
			t.Fatalf("the canonical form is invalid: %v\n%s", err, first)
		}
		if second := Encode(again); string(second) != string(first) {
			t.Fatalf("not stable:\n%s\n%s", first, second)
		}
	})
}
