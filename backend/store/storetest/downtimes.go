package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// testDowntimes: bodies are kept byte for byte, the list is in creation
// order (an update keeps a downtime's place), and every call on an unknown
// id is KindNotFound naming the downtime.
func testDowntimes(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()

	list := func() string {
		t.Helper()
		ds, err := st.ListDowntimes(ctx)
		if err != nil {
			t.Fatalf("ListDowntimes: %v", err)
		}
		if ds == nil {
			t.Fatal("ListDowntimes returned nil, want an empty list")
		}
		out := ""
		for _, d := range ds {
			out += d.ID + "=" + string(d.Body) + " "
		}
		return out
	}
	if got := list(); got != "" {
		t.Fatalf("fresh store lists %q", got)
	}

	// Ids sort against creation order, so an ORDER BY id would show.
	for _, d := range []store.Downtime{
		{ID: "c", Body: []byte(`{"id":"c","name":"first"}`)},
		{ID: "a", Body: []byte(`{"id":"a", "name":"second, \u00e9"}`)},
		{ID: "b", Body: []byte(`{"id":"b","name":"third"}`)},
	} {
		if err := st.CreateDowntime(ctx, &d); err != nil {
			t.Fatalf("CreateDowntime %s: %v", d.ID, err)
		}
	}
	if got, want := list(), `c={"id":"c","name":"first"} a={"id":"a", "name":"second, \u00e9"} b={"id":"b","name":"third"} `; got != want {
		t.Fatalf("list:\n got %s\nwant %s", got, want)
	}

	if err := st.UpdateDowntime(ctx, &store.Downtime{ID: "c", Body: []byte(`{"id":"c","name":"renamed"}`)}); err != nil {
		t.Fatalf("UpdateDowntime: %v", err)
	}
	got, err := st.GetDowntime(ctx, "c")
	if err != nil || got.ID != "c" || string(got.Body) != `{"id":"c","name":"renamed"}` {
		t.Fatalf("GetDowntime after update = %+v, %v", got, err)
	}

	deleted, err := st.DeleteDowntime(ctx, "a")
	if err != nil || deleted.ID != "a" || string(deleted.Body) != `{"id":"a", "name":"second, \u00e9"}` {
		t.Fatalf("DeleteDowntime = %+v, %v", deleted, err)
	}
	if got, want := list(), `c={"id":"c","name":"renamed"} b={"id":"b","name":"third"} `; got != want {
		t.Fatalf("list after update and delete:\n got %s\nwant %s", got, want)
	}

	// A downtime created after a delete still goes last.
	if err := st.CreateDowntime(ctx, &store.Downtime{ID: "0", Body: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if got, want := list(), `c={"id":"c","name":"renamed"} b={"id":"b","name":"third"} 0={} `; got != want {
		t.Fatalf("list after a new create:\n got %s\nwant %s", got, want)
	}

	notFound := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, store.ErrNotFound) || err.Error() != "not found: downtime a" {
			t.Errorf("%s of a deleted downtime: %v, want not found: downtime a", what, err)
		}
	}
	_, err = st.GetDowntime(ctx, "a")
	notFound("GetDowntime", err)
	notFound("UpdateDowntime", st.UpdateDowntime(ctx, &store.Downtime{ID: "a", Body: []byte(`{}`)}))
	_, err = st.DeleteDowntime(ctx, "a")
	notFound("DeleteDowntime", err)
	if got, want := list(), `c={"id":"c","name":"renamed"} b={"id":"b","name":"third"} 0={} `; got != want {
		t.Fatalf("failed calls changed the list:\n got %s\nwant %s", got, want)
	}
}
