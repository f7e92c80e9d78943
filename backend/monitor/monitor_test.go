package monitor

import (
	"reflect"
	"strings"
	"testing"
)

// decodeNormalized is what the API does to a posted definition before it
// validates it.
func decodeNormalized(t *testing.T, body string) *Monitor {
	t.Helper()
	m, err := Decode([]byte(body))
	if err != nil {
		t.Fatalf("Decode(%s): %v", body, err)
	}
	m.Normalize()
	return m
}

// Each type's canonical form: defaults filled in, other types' keys
// dropped, keys in the client's order, < > & unescaped. Encoding what
// Decode read back gives the same bytes.
func TestEncodeCanonical(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"host, minimal", `{"type":"host","name":"cpu","metric":"cpu%","operator":">","warning":80,"duration":3,"url":"ignored"}`,
			`{"id":"","name":"cpu","type":"host","isMute":false,"metric":"cpu%","operator":">","warning":80,"critical":null,"duration":3,"maxCheckAttempts":1,"scopes":[],"excludeScopes":[]}`},
		{"host, full", `{"id":"x","type":"host","name":"n","memo":"m & <b>","notificationInterval":60,"isMute":true,"metric":"loadavg5","operator":"<","warning":1.5,"critical":0.25,"duration":10,"maxCheckAttempts":10,"scopes":["web"],"excludeScopes":["web: db"]}`,
			`{"id":"x","name":"n","memo":"m & <b>","type":"host","isMute":true,"notificationInterval":60,"metric":"loadavg5","operator":"<","warning":1.5,"critical":0.25,"duration":10,"maxCheckAttempts":10,"scopes":["web"],"excludeScopes":["web: db"]}`},
		{"connectivity, empty", `{"type":"connectivity"}`,
			`{"id":"","name":"connectivity","alertStatusOnGone":"CRITICAL","type":"connectivity","isMute":false,"scopes":[],"excludeScopes":[]}`},
		{"service", `{"type":"service","name":"s","service":"web","metric":"req","operator":">","critical":100,"duration":1,"missingDurationWarning":360,"missingDurationCritical":720}`,
			`{"id":"","name":"s","type":"service","isMute":false,"service":"web","metric":"req","operator":">","warning":null,"critical":100,"duration":1,"maxCheckAttempts":1,"missingDurationWarning":360,"missingDurationCritical":720}`},
		{"external, minimal", `{"type":"external","name":"e","url":"https://example.com/?a=1&b=2"}`,
			`{"id":"","name":"e","type":"external","isMute":false,"method":"GET","url":"https://example.com/?a=1&b=2","maxCheckAttempts":1,"headers":[]}`},
		{"external, full", `{"type":"external","name":"e","url":"http://x","method":"POST","service":"web","responseTimeWarning":500,"responseTimeCritical":1000,"responseTimeDuration":5,"containsString":"ok","certificationExpirationWarning":30,"certificationExpirationCritical":0,"skipCertificateVerification":true,"followRedirect":true,"expectedStatusCode":204,"headers":[{"name":"X-A","value":"1"}],"requestBody":"{}","maxCheckAttempts":3}`,
			`{"id":"","name":"e","type":"external","isMute":false,"method":"POST","url":"http://x","maxCheckAttempts":3,"service":"web","responseTimeCritical":1000,"responseTimeWarning":500,"responseTimeDuration":5,"requestBody":"{}","containsString":"ok","certificationExpirationCritical":0,"certificationExpirationWarning":30,"skipCertificateVerification":true,"followRedirect":true,"expectedStatusCode":204,"headers":[{"name":"X-A","value":"1"}]}`},
		{"expression", `{"type":"expression","name":"x","expression":"avg(roleSlots(\"web:app\",\"loadavg5\"))","operator":">","warning":5}`,
			`{"id":"","name":"x","type":"expression","isMute":false,"expression":"avg(roleSlots(\"web:app\",\"loadavg5\"))","operator":">","warning":5,"critical":null}`},
		{"anomalyDetection", `{"type":"anomalyDetection","name":"a","scopes":["web: app"],"warningSensitivity":"normal","trainingPeriodFrom":1700000000}`,
			`{"id":"","name":"a","type":"anomalyDetection","isMute":false,"warningSensitivity":"normal","trainingPeriodFrom":1700000000,"maxCheckAttempts":3,"scopes":["web: app"]}`},
		{"query, backward 0 given", `{"type":"query","name":"q","query":"up","operator":">","critical":1,"evaluateBackwardMinutes":0}`,
			`{"id":"","name":"q","type":"query","isMute":false,"query":"up","operator":">","warning":null,"critical":1,"legend":"","evaluateBackwardMinutes":0}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := decodeNormalized(t, tt.in)
			got := string(Encode(m))
			if got != tt.want {
				t.Fatalf("Encode\n got %s\nwant %s", got, tt.want)
			}
			again := decodeNormalized(t, got)
			if !reflect.DeepEqual(again, m) {
				t.Fatalf("Decode(Encode(m)) = %+v, want %+v", again, m)
			}
			if string(Encode(again)) != got {
				t.Fatalf("encoding is not stable")
			}
		})
	}
}

// null is an absent key; unknown and read-only keys are ignored.
func TestDecodeTolerant(t *testing.T) {
	m := decodeNormalized(t, `{"type":"host","name":"n","memo":null,"warning":null,"critical":2,"scopes":null,"isMute":null,"createdAt":5,"unknown":{"x":[1]},"notificationInterval":null}`)
	if m.Memo != "" || m.Warning != nil || m.Critical == nil || *m.Critical != 2 || len(m.Scopes) != 0 || m.IsMute || m.NotificationInterval != 0 {
		t.Fatalf("decoded %+v", m)
	}
	m, _ = Decode([]byte(`{"type":"external","headers":null}`))
	if m.Headers != nil {
		t.Fatalf("headers null: %#v, want nil (not given)", m.Headers)
	}
	m, _ = Decode([]byte(`{"type":"external","headers":[]}`))
	if m.Headers == nil || len(m.Headers) != 0 {
		t.Fatalf("headers []: %#v, want empty and not nil (clear)", m.Headers)
	}
	m = decodeNormalized(t, `{"type":"host","duration":3.0,"maxCheckAttempts":2e0}`)
	if m.Duration != 3 || m.MaxCheckAttempts != 2 {
		t.Fatalf("whole numbers written as floats: %+v", m)
	}
}

func TestDecodeWrongShapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[]`, "A monitor must be a JSON object."},
		{`"host"`, "A monitor must be a JSON object."},
		{`{"type":1}`, "type must be a string."},
		{`{"name":["a"]}`, "name must be a string."},
		{`{"isMute":"false"}`, "isMute must be true or false."},
		{`{"duration":"3"}`, "duration must be a number."},
		{`{"duration":2.5}`, "duration must be a whole number."},
		{`{"duration":1e30}`, "duration must be a whole number within range."},
		{`{"notificationInterval":99999999999999999999}`, "notificationInterval must be a whole number within range."},
		{`{"warning":"80"}`, "warning must be a number."},
		{`{"critical":1e999}`, "critical must be a finite number."},
		{`{"scopes":"web"}`, "scopes must be an array of strings."},
		{`{"scopes":[1]}`, "scopes must be an array of strings."},
		{`{"headers":{"X":"1"}}`, `headers must be an array of {"name","value"} objects.`},
		{`{"headers":["X: 1"]}`, `headers[0] must be a {"name","value"} object.`},
		{`{"headers":[{"name":"a","value":"1"},{"name":"b","value":2}]}`, "headers[1].value must be a string."},
		{`{"evaluateBackwardMinutes":true}`, "evaluateBackwardMinutes must be a number."},
	}
	for _, tt := range tests {
		_, err := Decode([]byte(tt.in))
		if e, ok := IsInvalid(err); !ok || e.Message != tt.want {
			t.Errorf("Decode(%s) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

// decodeUpdate is a PUT body as Merge gets it: decoded, not normalized.
func decodeUpdate(t *testing.T, body string) *Monitor {
	t.Helper()
	m, err := Decode([]byte(body))
	if err != nil {
		t.Fatalf("Decode(%s): %v", body, err)
	}
	return m
}

func TestMerge(t *testing.T) {
	cur := decodeNormalized(t, `{"id":"M1","type":"connectivity","name":"c","alertStatusOnGone":"WARNING","scopes":["web"],"isMute":true}`)
	next, err := Merge(cur, decodeUpdate(t, `{"name":"c2"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"M1","name":"c2","alertStatusOnGone":"WARNING","type":"connectivity","isMute":false,"scopes":[],"excludeScopes":[]}`
	if got := string(Encode(next)); got != want {
		t.Fatalf("PUT without alertStatusOnGone, scopes, isMute:\n got %s\nwant %s", got, want)
	}
	next, _ = Merge(cur, decodeUpdate(t, `{"type":"connectivity","alertStatusOnGone":"CRITICAL"}`))
	if next.AlertStatusOnGone != "CRITICAL" || next.Name != "connectivity" {
		t.Fatalf("PUT with alertStatusOnGone: %+v", next)
	}

	ext := decodeNormalized(t, `{"id":"E1","type":"external","name":"e","url":"http://x","headers":[{"name":"A","value":"1"}]}`)
	for _, tc := range []struct{ body, headers string }{
		{`{"type":"external","name":"e","url":"http://y"}`, `[{"name":"A","value":"1"}]`},
		{`{"type":"external","name":"e","url":"http://y","headers":null}`, `[{"name":"A","value":"1"}]`},
		{`{"type":"external","name":"e","url":"http://y","headers":[]}`, `[]`},
		{`{"type":"external","name":"e","url":"http://y","headers":[{"name":"B","value":"2"}]}`, `[{"name":"B","value":"2"}]`},
	} {
		next, err := Merge(ext, decodeUpdate(t, tc.body))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(Encode(next)); !strings.HasSuffix(got, `"headers":`+tc.headers+`}`) || next.URL != "http://y" || next.ID != "E1" {
			t.Errorf("PUT %s → %s, want headers %s", tc.body, got, tc.headers)
		}
	}

	_, err = Merge(ext, decodeUpdate(t, `{"type":"host","name":"e"}`))
	if e, ok := IsInvalid(err); !ok || e.Message != "type cannot be changed (from external to host): delete the monitor and create a new one." {
		t.Fatalf("type change: %v", err)
	}
}
