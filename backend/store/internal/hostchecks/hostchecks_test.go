package hostchecks

import (
	"reflect"
	"testing"
)

func TestMemos(t *testing.T) {
	for _, tt := range []struct {
		checks string
		want   map[string]string
	}{
		{`[{"name":"disk","memo":"see runbook"},{"name":"http"}]`, map[string]string{"disk": "see runbook", "http": ""}},
		{`[]`, map[string]string{}},
		{`not json`, nil},
		{``, nil},
	} {
		if got := Memos([]byte(tt.checks)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Memos(%s) = %#v, want %#v", tt.checks, got, tt.want)
		}
	}
}
