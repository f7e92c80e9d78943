package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// testAWSIntegrations: bodies are kept byte for byte in creation order,
// names are unique (also on update, where a setting may keep its own),
// and every call on an unknown id is KindNotFound.
func testAWSIntegrations(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	list := func() string {
		t.Helper()
		as, err := st.ListAWSIntegrations(ctx)
		if err != nil {
			t.Fatalf("ListAWSIntegrations: %v", err)
		}
		if as == nil {
			t.Fatal("ListAWSIntegrations returned nil, want an empty list")
		}
		out := ""
		for _, a := range as {
			out += a.ID + ":" + a.Name + "=" + string(a.Body) + " "
		}
		return out
	}
	if got := list(); got != "" {
		t.Fatalf("fresh store lists %q", got)
	}
	for _, a := range []store.AWSIntegration{{ID: "c", Name: "prod", Body: []byte(`{"id":"c"}`)}, {ID: "a", Name: "dev", Body: []byte(`{"id":"a", "x":"\u00e9"}`)}} {
		if err := st.CreateAWSIntegration(ctx, &a); err != nil {
			t.Fatalf("CreateAWSIntegration %s: %v", a.ID, err)
		}
	}
	want := `c:prod={"id":"c"} a:dev={"id":"a", "x":"\u00e9"} `
	if got := list(); got != want {
		t.Fatalf("list:\n got %s\nwant %s", got, want)
	}
	conflict := func(what string, err error) {
		t.Helper()
		se, ok := store.IsKind(err, store.KindConflict)
		if !ok || se.Message != `an AWS integration named "prod" already exists` {
			t.Errorf("%s with a taken name: %v", what, err)
		}
	}
	conflict("create", st.CreateAWSIntegration(ctx, &store.AWSIntegration{ID: "b", Name: "prod", Body: []byte(`{}`)}))
	conflict("update", st.UpdateAWSIntegration(ctx, &store.AWSIntegration{ID: "a", Name: "prod", Body: []byte(`{}`)}))
	if got := list(); got != want {
		t.Fatalf("refused writes changed the list:\n got %s\nwant %s", got, want)
	}
	if err := st.UpdateAWSIntegration(ctx, &store.AWSIntegration{ID: "c", Name: "prod", Body: []byte(`{"id":"c","v":2}`)}); err != nil {
		t.Fatalf("update keeping its own name: %v", err)
	}
	got, err := st.GetAWSIntegration(ctx, "c")
	if err != nil || got.Name != "prod" || string(got.Body) != `{"id":"c","v":2}` {
		t.Fatalf("GetAWSIntegration = %+v, %v", got, err)
	}
	deleted, err := st.DeleteAWSIntegration(ctx, "c")
	if err != nil || deleted.Name != "prod" || string(deleted.Body) != `{"id":"c","v":2}` {
		t.Fatalf("DeleteAWSIntegration = %+v, %v", deleted, err)
	}
	// The name is free again.
	if err := st.CreateAWSIntegration(ctx, &store.AWSIntegration{ID: "d", Name: "prod", Body: []byte(`{}`)}); err != nil {
		t.Fatalf("reusing a deleted setting's name: %v", err)
	}
	if got, want := list(), `a:dev={"id":"a", "x":"\u00e9"} d:prod={} `; got != want {
		t.Fatalf("after delete and create:\n got %s\nwant %s", got, want)
	}
	notFound := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, store.ErrNotFound) || err.Error() != "not found: AWS integration c" {
			t.Errorf("%s of a deleted setting: %v", what, err)
		}
	}
	_, err = st.GetAWSIntegration(ctx, "c")
	notFound("Get", err)
	notFound("Update", st.UpdateAWSIntegration(ctx, &store.AWSIntegration{ID: "c", Name: "x", Body: []byte(`{}`)}))
	_, err = st.DeleteAWSIntegration(ctx, "c")
	notFound("Delete", err)
}
