package ascode_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
)

// monitors is the Spec of monitor rules (upstream's: only the id ignored).
var monitors = ascode.Spec[*client.Monitor]{}

func mustMonitors(t *testing.T, raw ...string) []*client.Monitor {
	t.Helper()
	out := make([]*client.Monitor, len(raw))
	for i, r := range raw {
		out[i] = &client.Monitor{}
		if err := json.Unmarshal([]byte(r), out[i]); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
	}
	return out
}

const (
	remoteCPU  = `{"id":"M1","name":"cpu","type":"host","metric":"cpu%","operator":">","warning":80,"critical":90,"duration":3,"maxCheckAttempts":1,"scopes":["svc"]}`
	localCPU   = `{"name":"cpu","type":"host","metric":"cpu%","operator":">","warning":80,"critical":95,"duration":3,"maxCheckAttempts":1,"scopes":["svc","svc2"]}`
	remoteConn = `{"id":"M2","name":"conn","type":"connectivity","alertStatusOnGone":"CRITICAL"}`
	localExpr  = `{"name":"expr","type":"expression","expression":"max(role(\"svc:web\", \"loadavg5\"))","operator":">","warning":null,"critical":5}`
)

// TestDiffText pins upstream's diff text: the summary, the ASCII diff of a
// changed rule (sorted keys, id hidden, trailing comma), then "-" and "+"
// blocks; --reverse swaps the sides and the counts.
func TestDiffText(t *testing.T) {
	d := monitors.Match(mustMonitors(t, remoteCPU, remoteConn), mustMonitors(t, localCPU, localExpr), true)
	want := `Summary: 1 modify, 1 append, 1 remove

 {
-  "critical": 90,
+  "critical": 95,
   "duration": 3,
   "maxCheckAttempts": 1,
   "metric": "cpu%",
   "name": "cpu",
   "operator": ">",
   "scopes": [
     "svc"
+    "svc2"
   ],
   "type": "host",
   "warning": 80
 },
-{
-  "id": "M2",
-  "name": "conn",
-  "alertStatusOnGone": "CRITICAL",
-  "type": "connectivity"
-},
+{
+  "name": "expr",
+  "type": "expression",
+  "expression": "max(role(\"svc:web\", \"loadavg5\"))",
+  "operator": ">",
+  "warning": null,
+  "critical": 5
+},
`
	if got := monitors.DiffText(d, false); got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	wantReverse := `Summary: 1 modify, 1 append, 1 remove

 {
-  "critical": 95,
+  "critical": 90,
   "duration": 3,
   "maxCheckAttempts": 1,
   "metric": "cpu%",
   "name": "cpu",
   "operator": ">",
   "scopes": [
     "svc",
-    "svc2"
   ],
   "type": "host",
   "warning": 80
 },
-{
-  "name": "expr",
`
	if got := monitors.DiffText(d, true); !strings.HasPrefix(got, wantReverse) || !strings.Contains(got, "+{\n+  \"id\": \"M2\",") {
		t.Errorf("reverse diff:\n%s\nwant prefix:\n%s", got, wantReverse)
	}
	if got := monitors.DiffText(ascode.Diff[*client.Monitor]{}, false); got != "Summary: 0 modify, 0 append, 0 remove\n\n" {
		t.Errorf("no differences: %q", got)
	}
}

// TestMatchRules covers upstream's matching: identical, by id, by unique
// name only for local rules without an id, and not by name when names
// repeat.
func TestMatchRules(t *testing.T) {
	remote := mustMonitors(t, remoteCPU, remoteConn)
	tests := []struct {
		name                       string
		local                      []string
		byName                     bool
		modified, onlyLoc, onlyRem int
	}{
		{"identical", []string{remoteCPU, remoteConn}, true, 0, 0, 0},
		{"same but without ids", []string{strings.Replace(remoteCPU, `"id":"M1",`, "", 1), strings.Replace(remoteConn, `"id":"M2",`, "", 1)}, true, 0, 0, 0},
		{"changed, by name", []string{localCPU, remoteConn}, true, 1, 0, 0},
		{"changed, names not unique", []string{localCPU, remoteConn}, false, 0, 1, 1},
		{"changed, by id", []string{strings.Replace(localCPU, `{`, `{"id":"M1",`, 1)}, false, 1, 0, 1},
		{"a stale id is a new rule", []string{strings.Replace(localCPU, `{`, `{"id":"GONE",`, 1)}, true, 0, 1, 2},
		{"empty file", nil, true, 0, 0, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := monitors.Match(remote, mustMonitors(t, tt.local...), tt.byName)
			if len(d.Modified) != tt.modified || len(d.OnlyLocal) != tt.onlyLoc || len(d.OnlyRemote) != tt.onlyRem {
				t.Errorf("modified %d, only local %d, only remote %d; want %d, %d, %d",
					len(d.Modified), len(d.OnlyLocal), len(d.OnlyRemote), tt.modified, tt.onlyLoc, tt.onlyRem)
			}
		})
	}
}
