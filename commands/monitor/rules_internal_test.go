package monitor

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

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

// remoteConn is a monitor as the server lists it.
const remoteConn = `{"id":"M2","name":"conn","type":"connectivity","alertStatusOnGone":"CRITICAL"}`

func TestValidateRules(t *testing.T) {
	tests := []struct{ rule, want string }{
		{`{"name":"x"}`, "Monitor 'local rules' should have 'Type': "},
		{`{"type":"host","metric":"m"}`, "Monitor 'local rules' should have 'Name': "},
		{`{"type":"service","name":"n"}`, "Monitor 'local rules' should have 'Metric': "},
		{`{"type":"external","name":"n"}`, "Monitor 'local rules' should have 'URL': "},
		{`{"type":"expression","name":"n"}`, "Monitor 'local rules' should have 'Expression': "},
		{`{"type":"anomalyDetection","name":"n","scopes":[]}`, "Monitor 'local rules' has empty 'Scopes'"},
		{`{"type":"query","query":"q"}`, "Query Monitoring should have 'name'"},
		{`{"type":"query","name":"n","operator":">"}`, "Query Monitoring 'n' should have 'query'"},
		{`{"type":"query","name":"n","query":"q"}`, "Query monitoring 'n' should have 'operator'"},
		{`{"type":"connectivity"}`, ""},
		{`{"type":"somethingNew"}`, ""},
	}
	for _, tt := range tests {
		_, err := validateRules(nil, mustMonitors(t, tt.rule), "local rules")
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.rule, got, tt.want)
		}
	}
	var logged strings.Builder
	unique, err := validateRules(cmdutil.NewLogger(&logged, false, false), mustMonitors(t, remoteConn, remoteConn, remoteConn), "remote rules")
	if err != nil || unique {
		t.Errorf("repeated names: unique %v, err %v", unique, err)
	}
	if want := strings.Repeat(" Warning:  Names of remote rules are not unique.\n", 2); logged.String() != want {
		t.Errorf("log %q, want %q", logged.String(), want)
	}
}

// TestLoadRulesEncodings: a UTF-8 BOM and UTF-16 (both byte orders) with a
// BOM are read as upstream reads them.
func TestLoadRulesEncodings(t *testing.T) {
	doc := `{"monitors":[{"type":"connectivity","name":"é"}]}`
	u16 := func(order binary.AppendByteOrder, bom []byte) []byte {
		out := append([]byte{}, bom...)
		for _, u := range utf16.Encode([]rune(doc)) {
			out = order.AppendUint16(out, u)
		}
		return out
	}
	files := map[string][]byte{
		"plain":    []byte(doc),
		"utf8 bom": append([]byte{0xEF, 0xBB, 0xBF}, doc...),
		"utf16be":  u16(binary.BigEndian, []byte{0xFE, 0xFF}),
		"utf16le":  u16(binary.LittleEndian, []byte{0xFF, 0xFE}),
	}
	for name, data := range files {
		p := filepath.Join(t.TempDir(), "m.json")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ms, err := loadRules(p)
		if err != nil || len(ms) != 1 || ms[0].Name() != "é" {
			t.Errorf("%s: %v %v", name, ms, err)
		}
	}
}

// TestSaveRules: 4-space indent, "<" and ">" unescaped, trailing newline.
func TestSaveRules(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.json")
	if err := saveRules(p, mustMonitors(t, `{"id":"x","type":"expression","name":"a<b & c>d","expression":"e","critical":1}`)); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	want := `{
    "monitors": [
        {
            "id": "x",
            "name": "a<b \u0026 c>d",
            "type": "expression",
            "expression": "e",
            "warning": null,
            "critical": 1
        }
    ]
}
`
	if string(got) != want {
		t.Errorf("file:\n%s\nwant:\n%s", got, want)
	}
	if err := saveRules(p, []*client.Monitor{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(p); string(got) != "{\n    \"monitors\": []\n}\n" {
		t.Errorf("empty: %q", got)
	}
}
