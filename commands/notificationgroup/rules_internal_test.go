package notificationgroup

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

func mustGroups(t *testing.T, raw ...string) []*client.NotificationGroup {
	t.Helper()
	out := make([]*client.NotificationGroup, len(raw))
	for i, r := range raw {
		out[i] = &client.NotificationGroup{}
		if err := json.Unmarshal([]byte(r), out[i]); err != nil {
			t.Fatalf("%s: %v", r, err)
		}
	}
	return out
}

// TestMatchDefault: the file's default group (by type, by the default's
// id, or by the default's name with neither id nor type) is matched with
// the server's default, never created; without one, the server's default
// is left alone, never deleted.
func TestMatchDefault(t *testing.T) {
	remote := mustGroups(t,
		`{"id":"D","type":"group-default","name":"Default","notificationLevel":"all","childChannelIds":["c1"]}`,
		`{"id":"G","type":"group","name":"ops","notificationLevel":"all"}`)
	tests := []struct {
		name                       string
		local                      []string
		modified, onlyLoc, onlyRem int
		err                        string
	}{
		{"by type, changed", []string{`{"type":"group-default","name":"Default","notificationLevel":"critical","childChannelIds":["c1"]}`}, 1, 0, 1, ""},
		{"by type, another org's id", []string{`{"id":"X","type":"group-default","name":"Default","notificationLevel":"all","childChannelIds":["c1"]}`}, 0, 0, 1, ""},
		{"by id", []string{`{"id":"D","name":"Default","notificationLevel":"all","childChannelIds":[]}`}, 1, 0, 1, ""},
		{"by name", []string{`{"name":"Default","notificationLevel":"all","childChannelIds":["c1"]}`}, 0, 0, 1, ""},
		{"a typed group named Default is another group", []string{`{"type":"group","name":"Default","notificationLevel":"all"}`}, 0, 1, 1, ""},
		{"no default in the file", []string{`{"name":"ops","notificationLevel":"all"}`}, 0, 0, 0, ""},
		{"empty file", nil, 0, 0, 1, ""},
		{"two defaults", []string{`{"type":"group-default","name":"Default"}`, `{"id":"D","name":"x"}`}, 0, 0, 0, "2 groups of the file are the default notification group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, l, err := matchDefault(remote, mustGroups(t, tt.local...))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := groups.Match(r, l, true)
			if len(d.Modified) != tt.modified || len(d.OnlyLocal) != tt.onlyLoc || len(d.OnlyRemote) != tt.onlyRem {
				t.Errorf("modified %d, only local %d, only remote %d; want %d, %d, %d",
					len(d.Modified), len(d.OnlyLocal), len(d.OnlyRemote), tt.modified, tt.onlyLoc, tt.onlyRem)
			}
			for _, g := range d.OnlyRemote {
				if g.IsDefault() {
					t.Errorf("the default group would be deleted")
				}
			}
			for _, p := range d.Modified {
				if p.Remote.ID() == "D" && p.Local.ID() != "D" {
					t.Errorf("the file's default is pushed with id %q", p.Local.ID())
				}
			}
		})
	}
	if _, _, err := matchDefault(remote[1:], mustGroups(t, `{"type":"group-default","name":"Default"}`)); err == nil ||
		err.Error() != `the server has no default notification group to match the file's "Default" with` {
		t.Errorf("no default on the server: %v", err)
	}
}
