package ascode_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
)

var settings = ascode.Resource[*client.AlertGroupSetting]{
	Spec:    ascode.Spec[*client.AlertGroupSetting]{LongNoun: "alert group setting"},
	FileKey: "alertGroupSettings",
}

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

// TestHiddenKeys: a hidden key never makes two rules differ, nor shows in
// the diff of a changed rule; without it, it does.
func TestHiddenKeys(t *testing.T) {
	remote := mustGroups(t, `{"id":"g1","type":"group","name":"ops","notificationLevel":"all","childChannelIds":["c1"]}`)
	same := mustGroups(t, `{"name":"ops","notificationLevel":"all","childChannelIds":["c1"]}`)
	changed := mustGroups(t, `{"name":"ops","notificationLevel":"critical","childChannelIds":["c1"]}`)
	hidden := ascode.Spec[*client.NotificationGroup]{Hidden: []string{"type"}}
	if d := hidden.Match(remote, same, true); !d.Empty() {
		t.Errorf("type hidden: %+v, want no difference", d)
	}
	if d := (ascode.Spec[*client.NotificationGroup]{}).Match(remote, same, true); len(d.Modified) != 1 {
		t.Errorf("type not hidden: %+v, want one change", d)
	}
	d := hidden.Match(remote, changed, true)
	want := `Summary: 1 modify, 0 append, 0 remove

 {
   "childChannelIds": [
     "c1"
   ],
   "childNotificationGroupIds": null,
   "name": "ops",
-  "notificationLevel": "all"
+  "notificationLevel": "critical"
 },
`
	if got := hidden.DiffText(d, false); got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
}

// TestResourceLoad reads {"<key>": […]} and names what is wrong with a
// file.
func TestResourceLoad(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "s.json")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := write("\xEF\xBB\xBF" + `{"alertGroupSettings":[{"name":"a","future":1},{"name":"b","id":"x"}]}`)
	got, err := settings.Load(p)
	if err != nil || len(got) != 2 || got[0].Name() != "a" || got[1].ID() != "x" || got[0].Raw("future") == nil {
		t.Fatalf("Load: %v %v", got, err)
	}
	for body, want := range map[string]string{
		`{"monitors":[]}`:                        `no "alertGroupSettings" in the file`,
		`{"alertGroupSettings":{}}`:              `"alertGroupSettings" must be a list`,
		`{"alertGroupSettings":[null]}`:          `alert group setting 1 is null`,
		`{"alertGroupSettings":[{},{"memo":3}]}`: `alert group setting 2: alert group setting field "memo"`,
		`{"alertGroupSettings":[`:                `unexpected EOF`,
	} {
		_, err := settings.Load(write(body))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "reading "+p+": ") {
			t.Errorf("%s: got %v, want %q", body, err, want)
		}
	}
	if _, err := settings.Load(filepath.Join(dir, "none.json")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}
