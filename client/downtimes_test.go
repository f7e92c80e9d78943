package client_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

func TestDowntimesAgainstBackend(t *testing.T) {
	c, st := newBackendClient(t)
	ctx := context.Background()
	if _, err := st.CreateService(ctx, "shop", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateRole(ctx, "shop", "web", ""); err != nil {
		t.Fatal(err)
	}

	list, err := c.FindDowntimes(ctx)
	if err != nil || list == nil || len(list) != 0 {
		t.Fatalf("FindDowntimes = %v, %v; want an empty, non-nil list", list, err)
	}
	in := &client.Downtime{Name: "nightly", Memo: "backups", Start: 1_800_000_000, Duration: 90,
		Recurrence:    &client.DowntimeRecurrence{Type: "weekly", Interval: 1, Weekdays: []string{"Monday", "Friday"}, Until: 1_900_000_000},
		ServiceScopes: []string{"shop"}, RoleExcludeScopes: []string{"shop:web"}}
	created, err := c.CreateDowntime(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	want := *in
	want.ID, want.RoleExcludeScopes = created.ID, []string{"shop: web"}
	if created.ID == "" || !reflect.DeepEqual(created, &want) {
		t.Fatalf("CreateDowntime = %+v, want %+v", created, &want)
	}
	want.Recurrence, want.Name = nil, "once"
	updated, err := c.UpdateDowntime(ctx, created.ID, &want)
	if err != nil || !reflect.DeepEqual(updated, &want) {
		t.Fatalf("UpdateDowntime = %+v, %v; want %+v", updated, err, &want)
	}
	list, err = c.FindDowntimes(ctx)
	if err != nil || len(list) != 1 || !reflect.DeepEqual(list[0], &want) {
		t.Fatalf("FindDowntimes = %+v, %v", list, err)
	}
	deleted, err := c.DeleteDowntime(ctx, created.ID)
	if err != nil || !reflect.DeepEqual(deleted, &want) {
		t.Fatalf("DeleteDowntime = %+v, %v", deleted, err)
	}
	_, err = c.DeleteDowntime(ctx, created.ID)
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Message != "Downtime not found." {
		t.Fatalf("second DeleteDowntime: %v, want a 404 Downtime not found.", err)
	}
}
