package backend_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// statusChangedAt is mkr's extra key on a host: set when the host is
// registered and by every status route that changes the status, in the
// listing and the single-host answer alike, and ignored by
// mackerel-client-go.
func TestHostStatusChangedAt(t *testing.T) {
	env := backendtest.New(t)
	created := env.Clock.Now().Unix()
	var reg struct{ ID string }
	mustDecode(t, serve(t, env.Handler, "POST", "/api/v0/hosts", `{"name":"a","meta":{}}`), &reg)
	b := env.MustCreateHost(t, store.NewHost{Name: "b"})
	a := reg.ID
	changedAt := func(id string) int64 {
		t.Helper()
		var one struct {
			Host struct {
				StatusChangedAt *int64 `json:"statusChangedAt"`
			} `json:"host"`
		}
		mustDecode(t, serve(t, env.Handler, "GET", "/api/v0/hosts/"+id, ""), &one)
		if one.Host.StatusChangedAt == nil {
			t.Fatalf("host %s has no statusChangedAt", id)
		}
		return *one.Host.StatusChangedAt
	}
	if got := changedAt(a); got != created {
		t.Fatalf("statusChangedAt of a registered host = %d, want %d", got, created)
	}

	env.Clock.Advance(time.Hour)
	ok := func(method, target, body string) {
		t.Helper()
		if r := serve(t, env.Handler, method, target, body); r.status != http.StatusOK {
			t.Fatalf("%s %s → %d %s", method, target, r.status, r.body)
		}
	}
	ok("POST", "/api/v0/hosts/"+a+"/status", `{"status":"standby"}`)
	if got, want := changedAt(a), created+3600; got != want {
		t.Fatalf("after POST status standby: %d, want %d", got, want)
	}
	env.Clock.Advance(time.Hour)
	ok("POST", "/api/v0/hosts/bulk-update-statuses", fmt.Sprintf(`{"ids":[%q,%q],"status":"standby"}`, a, b))
	if got, want := changedAt(a), created+3600; got != want {
		t.Errorf("bulk standby of a host already in standby: %d, want unchanged %d", got, want)
	}
	if got, want := changedAt(b), created+7200; got != want {
		t.Errorf("bulk standby of a working host: %d, want %d", got, want)
	}
	env.Clock.Advance(time.Hour)
	ok("POST", "/api/v0/hosts/"+b+"/retire", `{}`)
	if got, want := changedAt(b), created+7200; got != want {
		t.Errorf("after retiring (status kept): %d, want %d", got, want)
	}

	var list struct {
		Hosts []struct {
			ID              string
			StatusChangedAt int64 `json:"statusChangedAt"`
		} `json:"hosts"`
	}
	mustDecode(t, serve(t, env.Handler, "GET", "/api/v0/hosts?status=standby", ""), &list)
	if len(list.Hosts) != 1 || list.Hosts[0].ID != a || list.Hosts[0].StatusChangedAt != created+3600 {
		t.Fatalf("listing = %+v, want host a changed at %d", list.Hosts, created+3600)
	}

	// mackerel-client-go decodes the host regardless of the extra key.
	h, err := mustMackerel(t, env).FindHost(a)
	if err != nil || h.Status != "standby" {
		t.Fatalf("mackerel-client-go FindHost = %+v, %v", h, err)
	}
}
