package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// Many cron jobs start at the same minute, each its own mkr process with
// its own connection to the same database file. Here 20 goroutines each
// open their own Store on one brand-new file (so even the first migration
// races) and then all write at once: every write must land and none may
// fail with "database is locked".
func TestConcurrentProcessesWriteSameFile(t *testing.T) {
	t.Parallel()
	const (
		writers       = 20
		hostsPerStore = 3
	)
	path := filepath.Join(t.TempDir(), "shared.db")
	ctx := context.Background()

	var (
		wg     sync.WaitGroup
		opened sync.WaitGroup
		start  = make(chan struct{})
		errs   = make(chan error, writers*(hostsPerStore+2))
		ids    = make(chan string, writers*hostsPerStore)
	)
	opened.Add(writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st, err := sqlite.Open(ctx, path, store.Options{})
			opened.Done()
			if err != nil {
				errs <- fmt.Errorf("writer %d: Open: %w", w, err)
				return
			}
			defer func() {
				if err := st.Close(); err != nil {
					errs <- fmt.Errorf("writer %d: Close: %w", w, err)
				}
			}()
			<-start
			for i := range hostsPerStore {
				id, err := st.CreateHost(ctx, store.NewHost{
					Name:   fmt.Sprintf("w%02d-h%d", w, i),
					Status: "working",
					// Every writer also creates the same service and role.
					Roles: []store.RoleRef{{Service: "cron", Role: "job"}, {Service: "cron", Role: fmt.Sprintf("w%02d", w)}},
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d: CreateHost %d: %w", w, i, err)
					continue
				}
				ids <- id
			}
		}()
	}
	opened.Wait()
	close(start)
	wg.Wait()
	close(errs)
	close(ids)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	st := mustOpen(t, path)
	hosts, err := st.ListHosts(ctx, store.HostFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(hosts), writers*hostsPerStore; got != want {
		t.Fatalf("hosts = %d, want %d", got, want)
	}
	byID := map[string]*store.Host{}
	for _, h := range hosts {
		byID[h.ID] = h
	}
	for id := range ids {
		h := byID[id]
		if h == nil {
			t.Fatalf("host %s was reported created but is missing", id)
		}
		if got := len(h.Roles["cron"]); got != 2 {
			t.Fatalf("host %s has %d cron roles, want 2", h.Name, got)
		}
	}
	roles, err := st.ListRoles(ctx, "cron")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(roles), writers+1; got != want {
		t.Fatalf("roles of cron = %d, want %d", got, want)
	}
	if got, want := userVersion(t, path), migrationCount(t); got != want {
		t.Fatalf("user_version = %d, want %d", got, want)
	}
}
