package channel

import "testing"

// FuzzCanonical: whatever the body, Decode fails cleanly or gives a
// channel whose canonical form, once valid, reads back to itself — what
// the store keeps is what the API answers, request after request.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		`{"type":"email","name":"m","emails":["a@example.com"],"events":["alert","monitor"]}`,
		`{"type":"slack","name":"s <&>","url":"https://h/?a=1&b=2","mentions":{"ok":"\u2028","critical":"@here"},"enabledGraphImage":true}`,
		`{"type":"webhook","name":"w","url":"http://127.0.0.1:9/h","mentions":{},"events":[]}`,
		`{"type":"line","name":"l","suspendedAt":1}`,
		`{"type":"email","name":"\xff","emails":[null]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := Decode(body)
		if err != nil {
			if _, ok := IsInvalid(err); !ok {
				t.Fatalf("Decode error is not an *Error: %v", err)
			}
			return
		}
		c.Normalize()
		if Validate(c, allUsers{}) != nil {
			return
		}
		first := Encode(c)
		again, err := Decode(first)
		if err != nil {
			t.Fatalf("Decode(Encode) failed: %v\n%s", err, first)
		}
		again.Normalize()
		if err := Validate(again, allUsers{}); err != nil {
			t.Fatalf("the canonical form is invalid: %v\n%s", err, first)
		}
		if second := Encode(again); string(second) != string(first) {
			t.Fatalf("not stable:\n%s\n%s", first, second)
		}
	})
}
