package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// mustChannel stores a channel whose body records its id, type and name.
func mustChannel(t *testing.T, st store.Store, typ, name string, addToDefault bool) *store.Channel {
	t.Helper()
	id := store.NewID()
	c := &store.Channel{ID: id, Type: typ, Name: name,
		Body: fmt.Appendf(nil, `{"id":%q,"name":%q,"type":%q}`, id, name, typ)}
	if err := st.CreateChannel(context.Background(), c, addToDefault); err != nil {
		t.Fatalf("CreateChannel %s: %v", name, err)
	}
	return c
}

// defaultGroup returns the store's default notification group, decoded.
func defaultGroup(t *testing.T, st store.Store) *notifygroup.Group {
	t.Helper()
	list, err := st.ListNotificationGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) == 0 || !list[0].IsDefault {
		t.Fatalf("ListNotificationGroups does not start with the default group: %+v", list)
	}
	g, err := notifygroup.DecodeGroup(list[0].Body)
	if err != nil {
		t.Fatalf("default group body %s: %v", list[0].Body, err)
	}
	return g
}

// Channels: bodies kept verbatim in creation order; a suspension is kept
// apart, set by SuspendChannel and lifted by an update; creating with
// addToDefault joins the default group in the same write; deleting a
// channel takes it out of every group.
func testChannels(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()

	if list, err := st.ListChannels(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("ListChannels of an empty store = %v, %v; want an empty, non-nil list", list, err)
	}
	mail := mustChannel(t, st, "email", "ops mail", false)
	slack := mustChannel(t, st, "slack", "ops slack", true)
	hook := mustChannel(t, st, "webhook", "a hook", true)

	list, err := st.ListChannels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range list {
		ids = append(ids, c.ID)
	}
	if want := []string{mail.ID, slack.ID, hook.ID}; !slices.Equal(ids, want) {
		t.Fatalf("ListChannels order = %v, want creation order %v", ids, want)
	}
	got, err := st.GetChannel(ctx, slack.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != "slack" || got.Name != "ops slack" || string(got.Body) != string(slack.Body) || got.SuspendedAt != 0 {
		t.Fatalf("GetChannel = %+v, want %+v unsuspended", got, slack)
	}
	if _, err := st.GetChannel(ctx, "nosuch"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetChannel of an unknown id: %v, want KindNotFound", err)
	}
	if err := st.CreateChannel(ctx, &store.Channel{ID: mail.ID, Type: "email", Name: "again", Body: []byte(`{}`)}, true); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("CreateChannel with a taken id: %v, want KindConflict", err)
	}

	// Only the channels created with addToDefault joined the default group
	// (and the refused duplicate did not).
	if g := defaultGroup(t, st); !slices.Equal(g.ChildChannelIDs, []string{slack.ID, hook.ID}) {
		t.Fatalf("default group's channels = %v, want %v", g.ChildChannelIDs, []string{slack.ID, hook.ID})
	}

	// Suspension, and its end by an update.
	if err := st.SuspendChannel(ctx, hook.ID, Epoch.Unix()); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.GetChannel(ctx, hook.ID); got.SuspendedAt != Epoch.Unix() {
		t.Fatalf("SuspendedAt after SuspendChannel = %d, want %d", got.SuspendedAt, Epoch.Unix())
	}
	if err := st.SuspendChannel(ctx, "nosuch", 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("SuspendChannel of an unknown id: %v, want KindNotFound", err)
	}
	upd := &store.Channel{ID: hook.ID, Type: "webhook", Name: "renamed", Body: []byte(`{"name":"renamed"}`)}
	if err := st.UpdateChannel(ctx, upd); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.GetChannel(ctx, hook.ID); got.Name != "renamed" || string(got.Body) != `{"name":"renamed"}` || got.SuspendedAt != 0 {
		t.Fatalf("after UpdateChannel: %+v, want the new body and no suspension", got)
	}
	if err := st.UpdateChannel(ctx, &store.Channel{ID: "nosuch", Body: []byte(`{}`)}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateChannel of an unknown id: %v, want KindNotFound", err)
	}

	// A group naming the slack channel too; deleting it empties both.
	other := &notifygroup.Group{ID: store.NewID(), Name: "team", ChildChannelIDs: []string{mail.ID, slack.ID}}
	other.Normalize()
	if err := st.CreateNotificationGroup(ctx, &store.NotificationGroup{ID: other.ID, Body: notifygroup.EncodeGroup(other)}); err != nil {
		t.Fatal(err)
	}
	gone, err := st.DeleteChannel(ctx, slack.ID)
	if err != nil {
		t.Fatal(err)
	}
	if gone.ID != slack.ID || string(gone.Body) != string(slack.Body) {
		t.Fatalf("DeleteChannel returned %+v, want %+v", gone, slack)
	}
	if _, err := st.GetChannel(ctx, slack.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetChannel after delete: %v, want KindNotFound", err)
	}
	if g := defaultGroup(t, st); !slices.Equal(g.ChildChannelIDs, []string{hook.ID}) {
		t.Fatalf("default group's channels after deleting %s = %v, want [%s]", slack.ID, g.ChildChannelIDs, hook.ID)
	}
	stored, err := st.GetNotificationGroup(ctx, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	other.ChildChannelIDs = []string{mail.ID}
	if want := notifygroup.EncodeGroup(other); string(stored.Body) != string(want) {
		t.Fatalf("group after deleting a channel it named:\n got %s\nwant %s", stored.Body, want)
	}
	if _, err := st.DeleteChannel(ctx, slack.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteChannel twice: %v, want KindNotFound", err)
	}
}
