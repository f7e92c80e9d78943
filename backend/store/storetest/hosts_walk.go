package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
)

// EachHost walks many hosts, including some larger than any sensible page,
// exactly as ListHosts lists them; it stops at fn's error or when ctx ends,
// and fn may write to the store while the walk is under way.
func testEachHost(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	const n = 700 // several pages of any reasonable size
	var want []string
	var retire []string
	for i := range n {
		in := store.NewHost{Name: fmt.Sprintf("h%03d", i), Status: "working",
			Meta: fmt.Appendf(nil, `{"i":%d}`, i)}
		if i%3 == 0 {
			in.Roles = []store.RoleRef{{Service: "svc", Role: "b"}, {Service: "svc", Role: "a"}, {Service: "other", Role: "x"}}
		}
		if i%50 == 7 {
			// Larger than a page of documents would sensibly hold.
			in.Meta = fmt.Appendf(nil, `{"i":%d,"pad":%q}`, i, bytes.Repeat([]byte("m"), 600<<10))
		}
		id, err := st.CreateHost(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if i%10 == 9 {
			retire = append(retire, id)
		} else {
			want = append(want, id)
		}
	}
	if err := engine.New(st).RetireHosts(ctx, retire); err != nil {
		t.Fatal(err)
	}

	var got []*store.Host
	if err := st.EachHost(ctx, store.HostFilter{}, func(h *store.Host) error { got = append(got, h); return nil }); err != nil {
		t.Fatal(err)
	}
	listed, err := st.ListHosts(ctx, store.HostFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, listed) {
		t.Fatalf("EachHost and ListHosts differ: %d and %d hosts", len(got), len(listed))
	}
	if len(got) != len(want) {
		t.Fatalf("EachHost walked %d hosts, want %d", len(got), len(want))
	}
	for i, h := range got {
		if h.ID != want[i] {
			t.Fatalf("host %d is %s (%s), want %s: not creation order", i, h.ID, h.Name, want[i])
		}
		var num int
		fmt.Sscanf(h.Name, "h%d", &num)
		if !bytes.HasPrefix(h.Meta, fmt.Appendf(nil, `{"i":%d`, num)) {
			t.Fatalf("host %s has the meta %.40s…", h.Name, h.Meta)
		}
		wantRoles := map[string][]string{}
		if num%3 == 0 {
			wantRoles = map[string][]string{"svc": {"a", "b"}, "other": {"x"}}
		}
		if !reflect.DeepEqual(h.Roles, wantRoles) {
			t.Fatalf("host %s has the roles %v, want %v", h.Name, h.Roles, wantRoles)
		}
	}

	// fn's error ends the walk at once and is returned as it is.
	stop := errors.New("stop")
	calls := 0
	err = st.EachHost(ctx, store.HostFilter{}, func(*store.Host) error {
		if calls++; calls == 300 {
			return stop
		}
		return nil
	})
	if err != stop || calls != 300 {
		t.Fatalf("EachHost with fn failing at host 300: err = %v after %d calls", err, calls)
	}

	// fn may write: a walk holds no read the writer would wait on. The
	// bound turns a deadlock into a failure instead of a hung test.
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	calls = 0
	err = st.EachHost(wctx, store.HostFilter{}, func(h *store.Host) error {
		if calls++; calls%200 == 1 {
			if _, err := st.CreateHost(wctx, store.NewHost{Name: "during-" + h.Name, Status: "working"}); err != nil {
				return err
			}
			return st.SetHostStatus(wctx, []string{h.ID}, "standby")
		}
		return nil
	})
	if err != nil || calls < len(want) {
		t.Fatalf("EachHost writing from fn: err = %v after %d calls (of at least %d)", err, calls, len(want))
	}

	// A cancelled context ends the walk with its error.
	cctx, cancelWalk := context.WithCancel(ctx)
	calls = 0
	err = st.EachHost(cctx, store.HostFilter{}, func(*store.Host) error {
		calls++
		cancelWalk()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls >= len(want) {
		t.Fatalf("EachHost after cancel: err = %v after %d calls, want context.Canceled before the end", err, calls)
	}
}
