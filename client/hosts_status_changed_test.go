package client_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

// The client reads mkr's statusChangedAt from single hosts and listings,
// and never writes it back, so re-marshalled hosts keep upstream's bytes.
func TestHostStatusChangedAtIsReadNotWritten(t *testing.T) {
	c, st := newBackendClient(t)
	ctx := context.Background()
	id, err := c.CreateHost(ctx, &client.CreateHostParam{Name: "web01"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.UpdateHostStatus(ctx, id, client.HostStatusStandby); err != nil {
		t.Fatal(err)
	}
	stored, err := st.GetHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if stored.StatusChangedAt == 0 {
		t.Fatal("the store recorded no status change time")
	}
	one, err := c.FindHost(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	list, err := c.FindHosts(ctx, client.FindHostsParam{Statuses: []string{client.HostStatusStandby}})
	if err != nil {
		t.Fatal(err)
	}
	if one.StatusChangedAt != stored.StatusChangedAt || len(list) != 1 || list[0].StatusChangedAt != stored.StatusChangedAt {
		t.Fatalf("StatusChangedAt: FindHost %d, FindHosts %+v; want %d", one.StatusChangedAt, list, stored.StatusChangedAt)
	}
	if one.Name != "web01" || one.Status != client.HostStatusStandby {
		t.Fatalf("the other fields were lost: %+v", one)
	}
	out, err := json.Marshal(one)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "statusChangedAt") {
		t.Fatalf("a marshalled host carries statusChangedAt: %s", out)
	}

	// Without the key (the hosted API) it is zero, and bad JSON is still
	// an error.
	var h client.Host
	if err := json.Unmarshal([]byte(`{"id":"x","createdAt":5}`), &h); err != nil || h.StatusChangedAt != 0 || h.CreatedAt != 5 {
		t.Fatalf("host without the key = %+v, %v", h, err)
	}
	if err := json.Unmarshal([]byte(`{"id":1}`), &h); err == nil {
		t.Fatal("a host with a numeric id decoded without error")
	}
}
