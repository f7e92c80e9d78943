package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// mustGroup stores a non-default group with the given child groups.
func mustGroup(t *testing.T, st store.Store, name string, children ...string) *notifygroup.Group {
	t.Helper()
	g := &notifygroup.Group{ID: store.NewID(), Name: name, ChildGroupIDs: children}
	g.Normalize()
	if err := st.CreateNotificationGroup(context.Background(), &store.NotificationGroup{ID: g.ID, Body: notifygroup.EncodeGroup(g)}); err != nil {
		t.Fatalf("CreateNotificationGroup %s: %v", name, err)
	}
	return g
}

// NotificationGroups: a new store has exactly the default group, in its
// canonical form; groups are listed default first, then in creation
// order; the default cannot be deleted; deleting a group takes it out of
// its parents. Alert group settings: plain bodies in creation order.
func testNotificationGroups(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()

	list, err := st.ListNotificationGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || !list[0].IsDefault || len(list[0].ID) != 11 {
		t.Fatalf("a new store's groups = %+v, want the default group alone, with an 11-character id", list)
	}
	def := list[0]
	if want := notifygroup.EncodeGroup(notifygroup.NewDefault(def.ID)); string(def.Body) != string(want) {
		t.Fatalf("the default group's body\n got %s\nwant %s", def.Body, want)
	}

	a := mustGroup(t, st, "a")
	b := mustGroup(t, st, "b", a.ID)
	c := mustGroup(t, st, "c", a.ID, b.ID)
	if err := st.CreateNotificationGroup(ctx, &store.NotificationGroup{ID: a.ID, Body: []byte(`{}`)}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("CreateNotificationGroup with a taken id: %v, want KindConflict", err)
	}
	// IsDefault of a new group is ignored: there is one default.
	d := &store.NotificationGroup{ID: store.NewID(), Body: []byte(`{"name":"d"}`), IsDefault: true}
	if err := st.CreateNotificationGroup(ctx, d); err != nil {
		t.Fatal(err)
	}
	list, err = st.ListNotificationGroups(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i, g := range list {
		ids = append(ids, g.ID)
		if g.IsDefault != (i == 0) {
			t.Fatalf("group %d (%s) IsDefault = %v", i, g.ID, g.IsDefault)
		}
	}
	if want := []string{def.ID, a.ID, b.ID, c.ID, d.ID}; !slices.Equal(ids, want) {
		t.Fatalf("ListNotificationGroups order = %v, want %v", ids, want)
	}

	// The default group's body can change; it stays the default.
	defBody := []byte(`{"id":"` + def.ID + `","type":"group-default","name":"Default","notificationLevel":"critical"}`)
	if err := st.UpdateNotificationGroup(ctx, &store.NotificationGroup{ID: def.ID, Body: defBody}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.GetNotificationGroup(ctx, def.ID); err != nil || !got.IsDefault || string(got.Body) != string(defBody) {
		t.Fatalf("GetNotificationGroup(default) after update = %+v, %v", got, err)
	}
	if err := st.UpdateNotificationGroup(ctx, &store.NotificationGroup{ID: "nosuch", Body: []byte(`{}`)}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateNotificationGroup of an unknown id: %v, want KindNotFound", err)
	}
	if _, err := st.DeleteNotificationGroup(ctx, def.ID); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("DeleteNotificationGroup(default): %v, want KindInvalid", err)
	}
	if _, err := st.GetNotificationGroup(ctx, def.ID); err != nil {
		t.Fatalf("the default group after a refused delete: %v", err)
	}

	// Deleting a takes it out of b and c, and changes nothing else.
	gone, err := st.DeleteNotificationGroup(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(gone.Body) != string(notifygroup.EncodeGroup(a)) || gone.IsDefault {
		t.Fatalf("DeleteNotificationGroup returned %+v", gone)
	}
	if _, err := st.GetNotificationGroup(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetNotificationGroup after delete: %v, want KindNotFound", err)
	}
	for _, want := range []*notifygroup.Group{
		{ID: b.ID, Name: "b", NotificationLevel: "all"},
		{ID: c.ID, Name: "c", NotificationLevel: "all", ChildGroupIDs: []string{b.ID}},
	} {
		want.Normalize()
		got, err := st.GetNotificationGroup(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Body) != string(notifygroup.EncodeGroup(want)) {
			t.Fatalf("group %s after deleting its child:\n got %s\nwant %s", want.Name, got.Body, notifygroup.EncodeGroup(want))
		}
	}
	if got, _ := st.GetNotificationGroup(ctx, d.ID); string(got.Body) != `{"name":"d"}` {
		t.Fatalf("an unrelated group changed: %s", got.Body)
	}
	if _, err := st.DeleteNotificationGroup(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteNotificationGroup twice: %v, want KindNotFound", err)
	}

	testAlertGroupSettings(t, st)
}

func testAlertGroupSettings(t *testing.T, st store.Store) {
	ctx := context.Background()
	if list, err := st.ListAlertGroupSettings(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("ListAlertGroupSettings of an empty store = %v, %v; want an empty, non-nil list", list, err)
	}
	x := &store.AlertGroupSetting{ID: store.NewID(), Body: []byte(`{"name":"x"}`)}
	y := &store.AlertGroupSetting{ID: store.NewID(), Body: []byte(`{"name":"y"}`)}
	for _, s := range []*store.AlertGroupSetting{x, y} {
		if err := st.CreateAlertGroupSetting(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.CreateAlertGroupSetting(ctx, &store.AlertGroupSetting{ID: x.ID, Body: []byte(`{}`)}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("CreateAlertGroupSetting with a taken id: %v, want KindConflict", err)
	}
	list, err := st.ListAlertGroupSettings(ctx)
	if err != nil || len(list) != 2 || list[0].ID != x.ID || list[1].ID != y.ID || string(list[1].Body) != `{"name":"y"}` {
		t.Fatalf("ListAlertGroupSettings = %+v, %v; want x then y", list, err)
	}
	if err := st.UpdateAlertGroupSetting(ctx, &store.AlertGroupSetting{ID: x.ID, Body: []byte(`{"name":"x2"}`)}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.GetAlertGroupSetting(ctx, x.ID); err != nil || string(got.Body) != `{"name":"x2"}` {
		t.Fatalf("GetAlertGroupSetting after update = %+v, %v", got, err)
	}
	if err := st.UpdateAlertGroupSetting(ctx, &store.AlertGroupSetting{ID: "nosuch", Body: []byte(`{}`)}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateAlertGroupSetting of an unknown id: %v, want KindNotFound", err)
	}
	gone, err := st.DeleteAlertGroupSetting(ctx, x.ID)
	if err != nil || string(gone.Body) != `{"name":"x2"}` {
		t.Fatalf("DeleteAlertGroupSetting = %+v, %v", gone, err)
	}
	if _, err := st.GetAlertGroupSetting(ctx, x.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetAlertGroupSetting after delete: %v, want KindNotFound", err)
	}
	if _, err := st.DeleteAlertGroupSetting(ctx, x.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("DeleteAlertGroupSetting twice: %v, want KindNotFound", err)
	}
	if list, _ := st.ListAlertGroupSettings(ctx); len(list) != 1 || list[0].ID != y.ID {
		t.Fatalf("after delete: %+v, want y alone", list)
	}
}
