package alert

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

// TestMonitorMessage pins the monitor part of `alerts list` lines for
// every monitor type, in upstream's words.
func TestMonitorMessage(t *testing.T) {
	const (
		host     = `{"id":"m","type":"host","name":"cpu","metric":"cpu%","operator":">","warning":70,"critical":90.5}`
		hostNoW  = `{"id":"m","type":"host","name":"cpu","metric":"cpu%","operator":">","warning":null,"critical":90}`
		service  = `{"id":"m","type":"service","name":"4xx","service":"shop","metric":"access.4xx","operator":"<","warning":1,"critical":0}`
		external = `{"id":"m","type":"external","name":"Example Domain","url":"https://example.com","responseTimeWarning":500,"responseTimeCritical":1000}`
		extNoRT  = `{"id":"m","type":"external","name":"Example Domain","url":"https://example.com"}`
		expr     = "{\"id\":\"m\",\"type\":\"expression\",\"name\":\"Max loadavg5\",\"expression\":\"max(  \\n  roleSlots(  \\n    'service:role',\\n    'loadavg5'\\n  )\\n)\\n\",\"operator\":\">\",\"warning\":10,\"critical\":20}"
		conn     = `{"id":"m","type":"connectivity","name":"connectivity"}`
		anomaly  = `{"id":"m","type":"anomalyDetection","name":"anomaly","scopes":["s: r"]}`
		query    = `{"id":"m","type":"query","name":"latency","query":"q","operator":">","warning":1,"critical":2}`
		future   = `{"id":"m","type":"logs","name":"errors"}`
	)
	tests := []struct {
		name    string
		monitor string
		alert   client.Alert
		want    string
	}{
		{"host critical", host, client.Alert{Status: "CRITICAL", Value: 95.123}, "cpu cpu% 95.12 > 90.50"},
		{"host warning", host, client.Alert{Status: "WARNING", Value: 71}, "cpu cpu% 71.00 > 70.00"},
		{"host warning without a threshold", hostNoW, client.Alert{Status: "WARNING", Value: 71}, "cpu cpu% 71.00"},
		{"host closed", host, client.Alert{Status: "OK", Value: 10}, "cpu cpu% 10.00"},
		{"service", service, client.Alert{Status: "CRITICAL", Value: -1}, "4xx shop access.4xx -1.00 < 0.00"},
		{"service warning", service, client.Alert{Status: "WARNING", Value: 0.5}, "4xx shop access.4xx 0.50 < 1.00"},
		{"external critical, status code", external, client.Alert{Status: "CRITICAL", Value: 2500, Message: "200"},
			"Example Domain https://example.com 2500.00 > 1000.00 msec, status:200"},
		{"external critical, failure message", external, client.Alert{Status: "CRITICAL", Value: 0, Message: "connection refused"},
			"Example Domain https://example.com 0.00 msec, connection refused"},
		{"external critical, status without thresholds", extNoRT, client.Alert{Status: "CRITICAL", Message: "503"},
			"Example Domain https://example.com 0.00 msec, 503"},
		{"external warning (upstream omits the URL)", external, client.Alert{Status: "WARNING", Value: 600, Message: "200"},
			"Example Domain 600.00 > 500.00 msec, status:200"},
		{"external warning, message", external, client.Alert{Status: "WARNING", Value: 600, Message: "timeout"},
			"Example Domain 600.00 msec, timeout"},
		{"external closed", external, client.Alert{Status: "OK", Value: 20, Message: "200"}, "Example Domain 20.00 msec, status:200"},
		{"expression warning", expr, client.Alert{Status: "WARNING", Value: 15.7},
			"Max loadavg5 max(roleSlots('service:role', 'loadavg5')) 15.70 > 10.00"},
		{"expression unknown", expr, client.Alert{Status: "UNKNOWN"}, "Max loadavg5 max(roleSlots('service:role', 'loadavg5'))"},
		{"expression closed", expr, client.Alert{Status: "OK", Value: 1}, "Max loadavg5 max(roleSlots('service:role', 'loadavg5')) 1.00"},
		{"connectivity", conn, client.Alert{Status: "CRITICAL"}, "connectivity"},
		{"anomalyDetection", anomaly, client.Alert{Status: "WARNING"}, "anomaly"},
		{"query", query, client.Alert{Status: "CRITICAL", Value: 3}, "latency query"},
		{"a type this mkr does not know", future, client.Alert{Status: "CRITICAL"}, "errors logs"},
		{"monitor gone", "", client.Alert{Status: "CRITICAL", Value: 3}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m *client.Monitor
			if tt.monitor != "" {
				m = &client.Monitor{}
				if err := json.Unmarshal([]byte(tt.monitor), m); err != nil {
					t.Fatal(err)
				}
			}
			if got := monitorMessage(&tt.alert, m); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestCheckMessageLine pins upstream's one-line form of a check message:
// cut at the first \n or \r and at 100 runes, "..." after either cut.
func TestCheckMessageLine(t *testing.T) {
	long := strings.Repeat("é", 100)
	tests := []struct{ msg, want string }{
		{"disk full", "disk full"},
		{"", ""},
		{"disk /dev/sda is failing\nSMART: reallocated sectors", "disk /dev/sda is failing..."},
		{"CRLF output\r\nsecond", "CRLF output..."},
		{"ends with a newline\n", "ends with a newline..."},
		{long, long},
		{long + "x", long + "..."},
		{long + "x\nsecond", long + "..."},
	}
	for _, tt := range tests {
		if got := checkMessageLine(tt.msg); got != tt.want {
			t.Errorf("checkMessageLine(%q) = %q, want %q", tt.msg, got, tt.want)
		}
	}
}
