package client_test

import (
	"encoding/json"
	"strings"
	"testing"

	mackerel "github.com/mackerelio/mackerel-client-go"
	"github.com/mkr-dev/mkr/client"
)

// monitorSamples are monitors of every known type as the API or a user's
// monitors.json may hold them: fields out of client order, absent and
// zero fields, 90.0 style numbers, escapes.
var monitorSamples = map[string]string{
	"connectivity":      `{"type":"connectivity","id":"c1","name":"connectivity","isMute":false,"scopes":[],"excludeScopes":[],"alertStatusOnGone":"WARNING","memo":""}`,
	"connectivity bare": `{"type":"connectivity","id":"c2"}`,
	"host": `{"excludeScopes":["svc: db"],"scopes":["svc"],"critical":90.0,"warning":null,"operator":">","metric":"cpu%","duration":3,` +
		`"maxCheckAttempts":1,"notificationInterval":60,"isMute":true,"type":"host","memo":"a <b> & \u00e9","name":"cpu","id":"h1"}`,
	"host no thresholds": `{"id":"h2","type":"host","name":"n","metric":"m","operator":"<","duration":0}`,
	"service": `{"id":"s1","type":"service","name":"svc - x","service":"svc","metric":"x","operator":">","warning":1e3,"critical":2000,` +
		`"duration":1,"maxCheckAttempts":2,"missingDurationWarning":360,"missingDurationCritical":720}`,
	"external": `{"id":"e1","type":"external","name":"web","url":"https://example.com/?a=1&b=2","method":"GET","service":"svc",` +
		`"responseTimeWarning":0,"responseTimeCritical":5000.5,"responseTimeDuration":3,"containsString":"ok","maxCheckAttempts":1,` +
		`"certificationExpirationWarning":30,"certificationExpirationCritical":0,"skipCertificateVerification":true,"followRedirect":false,` +
		`"expectedStatusCode":200,"requestBody":"x=1","headers":[{"value":"no-cache","name":"Cache-Control"}]}`,
	"external empty headers": `{"id":"e2","type":"external","name":"web","url":"http://a","headers":[]}`,
	"external no headers":    `{"id":"e3","type":"external","name":"web","url":"http://a"}`,
	"expression": `{"id":"x1","type":"expression","name":"expr","expression":"avg(\n  roleSlots(\"s:r\", \"loadavg5\")\n)","operator":">",` +
		`"warning":1.5,"critical":null,"evaluateBackwardMinutes":2}`,
	"anomalyDetection": `{"id":"a1","type":"anomalyDetection","name":"anom","scopes":["s: r"],"warningSensitivity":"insensitive",` +
		`"criticalSensitivity":"normal","trainingPeriodFrom":1561429260,"maxCheckAttempts":3}`,
	"anomalyDetection no scopes": `{"id":"a2","type":"anomalyDetection","name":"anom"}`,
	"query": `{"id":"q1","type":"query","name":"q","query":"custom.x","legend":"","operator":">","warning":30,"critical":300,` +
		`"evaluateBackwardMinutes":0,"isMute":false}`,
}

// upstreamMarshal marshals raw through mackerel-client-go's struct of its
// type, which is what upstream mkr prints.
func upstreamMarshal(t *testing.T, raw string) string {
	t.Helper()
	var head struct{ Type string }
	if err := json.Unmarshal([]byte(raw), &head); err != nil {
		t.Fatal(err)
	}
	var m mackerel.Monitor
	switch head.Type {
	case "connectivity":
		m = &mackerel.MonitorConnectivity{}
	case "host":
		m = &mackerel.MonitorHostMetric{}
	case "service":
		m = &mackerel.MonitorServiceMetric{}
	case "external":
		m = &mackerel.MonitorExternalHTTP{}
	case "expression":
		m = &mackerel.MonitorExpression{}
	case "anomalyDetection":
		m = &mackerel.MonitorAnomalyDetection{}
	case "query":
		m = &mackerel.MonitorQuery{}
	}
	if err := json.Unmarshal([]byte(raw), m); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(m, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestMonitorMarshalMatchesUpstream: for every known type, our Monitor
// prints exactly what mackerel-client-go's struct prints.
func TestMonitorMarshalMatchesUpstream(t *testing.T) {
	for name, raw := range monitorSamples {
		t.Run(name, func(t *testing.T) {
			var m client.Monitor
			if err := json.Unmarshal([]byte(raw), &m); err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(&m, "", "    ")
			if err != nil {
				t.Fatal(err)
			}
			if want := upstreamMarshal(t, raw); string(got) != want {
				t.Errorf("got:\n%s\nwant (mackerel-client-go):\n%s", got, want)
			}
			// A second round trip changes nothing.
			var again client.Monitor
			if err := json.Unmarshal(got, &again); err != nil {
				t.Fatal(err)
			}
			if b, _ := json.MarshalIndent(&again, "", "    "); string(b) != string(got) {
				t.Errorf("second round trip:\n%s\nfirst:\n%s", b, got)
			}
		})
	}
}

// TestMonitorKeepsUnknown: fields and types this client does not know are
// kept, in their order, after the known ones.
func TestMonitorKeepsUnknown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"unknown field of a known type",
			`{"future":{"b":1,"a":[2]},"type":"host","id":"h1","name":"n","metric":"m","dualstack":"auto"}`,
			`{"id":"h1","name":"n","type":"host","metric":"m","warning":null,"critical":null,"future":{"b":1,"a":[2]},"dualstack":"auto"}`},
		{"unknown type, verbatim and in order",
			`{"type":"logs","name":"l","id":"x","threshold":1.50,"isMute":false,"q":""}`,
			`{"type":"logs","name":"l","id":"x","threshold":1.50,"isMute":false,"q":""}`},
		{"extra header fields are kept",
			`{"type":"external","url":"u","headers":[{"secret":true,"value":"v","name":"n"},{}]}`,
			`{"type":"external","url":"u","headers":[{"name":"n","value":"v","secret":true},{"name":"","value":""}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m client.Monitor
			if err := json.Unmarshal([]byte(tt.in), &m); err != nil {
				t.Fatal(err)
			}
			got, _ := json.Marshal(&m)
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestMonitorBadFields: a known field of the wrong Go type is an error
// naming the field, as decoding into the client struct is upstream.
func TestMonitorBadFields(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"type":"host","duration":-1}`, `monitor field "duration": json: cannot unmarshal number -1 into Go value of type uint64`},
		{`{"type":"host","warning":"high"}`, `monitor field "warning": json: cannot unmarshal string into Go value of type float64`},
		{`{"type":"external","headers":[1]}`, `monitor field "headers": a header must be an object: a monitor must be a JSON object`},
		{`{"type":3}`, `monitor field "type": must be a string, not 3`},
		{`[1]`, `a monitor must be a JSON object`},
	}
	for _, tt := range tests {
		var m client.Monitor
		err := json.Unmarshal([]byte(tt.in), &m)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want %q", tt.in, err, tt.want)
		}
	}
	// An unknown type is not checked: its fields are not ours to judge.
	var m client.Monitor
	if err := json.Unmarshal([]byte(`{"type":"future","duration":-1}`), &m); err != nil {
		t.Errorf("unknown type: %v", err)
	}
}

func TestMonitorAccessors(t *testing.T) {
	var m client.Monitor
	if err := json.Unmarshal([]byte(monitorSamples["host"]), &m); err != nil {
		t.Fatal(err)
	}
	if m.ID() != "h1" || m.Name() != "cpu" || m.Type() != "host" || m.String("metric") != "cpu%" {
		t.Errorf("id/name/type/metric: %q %q %q %q", m.ID(), m.Name(), m.Type(), m.String("metric"))
	}
	if c := m.Float("critical"); c == nil || *c != 90 {
		t.Errorf("critical: %v", c)
	}
	if w := m.Float("warning"); w != nil {
		t.Errorf("warning: %v, want nil", *w)
	}
	if s := m.Strings("scopes"); len(s) != 1 || s[0] != "svc" {
		t.Errorf("scopes: %q", s)
	}
	if got, _ := json.Marshal(m.Without("id")); strings.Contains(string(got), `"id"`) {
		t.Errorf("Without(id): %s", got)
	}
}
