package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// A point stream (what POST /tsdb hands the store) obeys InsertPointsSince's
// rules across its chunks: the last value posted at a time wins, too-old
// points are counted, and an unknown owner anywhere — here after thousands
// of good points — stores nothing.
func testInsertPointStream(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	mustService(t, st, "blog")
	cpu, svc := store.HostSeries(h, "custom.cpu.user"), store.ServiceSeries("blog", "custom.req")
	var points []store.SeriesPoint
	for i := range 10_000 { // several chunks of a SliceStream
		points = append(points, sp(cpu, int64(1000+i), float64(i)), sp(svc, int64(1000+i%10), float64(i)))
	}
	points = append(points, sp(cpu, 999, -1), sp(cpu, 1000, 42)) // one too old, one re-post of the first
	res, err := store.InsertStream(ctx, st, store.NewSliceStream(points), 1000)
	if err != nil {
		t.Fatal(err)
	}
	if want := (store.InsertResult{Stored: 20_001, TooOld: 1}); res != want {
		t.Errorf("InsertStream = %+v, want %+v", res, want)
	}
	got := streamMustPoints(t, st, cpu, 0, 20_000)
	if len(got) != 10_000 || got[0] != (store.Point{Time: 1000, Value: 42}) || got[9999] != (store.Point{Time: 10_999, Value: 9999}) {
		t.Errorf("cpu: %d points, first %v, last %v; want 10000, {1000 42}, {10999 9999}", len(got), got[0], got[len(got)-1])
	}
	// The service series' ten times were each posted 1,000 times: the
	// last value wins.
	if got := streamMustPoints(t, st, svc, 1000, 1000); !reflect.DeepEqual(got, []store.Point{{Time: 1000, Value: 9990}}) {
		t.Errorf("svc at 1000 = %v, want the last value posted (9990)", got)
	}

	before := mustCount(t, st)
	bad := make([]store.SeriesPoint, 0, 10_001)
	for i := range 10_000 {
		bad = append(bad, sp(cpu, int64(50_000+i), 1))
	}
	bad = append(bad, sp(store.HostSeries("nohost", "custom.x"), 50_000, 1))
	res, err = store.InsertStream(ctx, st, store.NewSliceStream(bad), 0)
	if !errors.Is(err, store.ErrNotFound) || res != (store.InsertResult{}) {
		t.Fatalf("stream ending with an unknown host: %+v, %v; want ErrNotFound and no counts", res, err)
	}
	if n := mustCount(t, st); n != before {
		t.Errorf("CountPoints = %d after a refused stream, want %d", n, before)
	}
}

// Concurrent inserts (a store may share transactions among them) each stay
// all or nothing and get their own result: those naming an unknown host,
// and streams failing half-way through (a spool file that cannot be
// read), fail alone; the others are stored whole.
func testConcurrentInsertsIsolated(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	const callers, per = 24, 50
	results := make([]store.InsertResult, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			key := store.HostSeries(h, fmt.Sprintf("custom.c%d", c))
			points := make([]store.SeriesPoint, 0, per+1)
			for i := range per {
				points = append(points, sp(key, int64(100+i), float64(c)))
			}
			if c%4 == 3 { // every fourth caller also names a host that does not exist
				points = append(points, sp(store.HostSeries(fmt.Sprintf("nohost%d", c), "custom.x"), 100, 1))
			}
			if c%4 == 1 {
				results[c], errs[c] = store.InsertStream(ctx, st, &failingStream{store.NewSliceStream(points), per / 2}, 0)
				return
			}
			results[c], errs[c] = st.InsertPointsSince(ctx, points, 0)
		})
	}
	wg.Wait()
	for c := range callers {
		key := store.HostSeries(h, fmt.Sprintf("custom.c%d", c))
		if c%4 == 1 || c%4 == 3 {
			if want := map[int]error{1: errStreamBroken, 3: store.ErrNotFound}[c%4]; !errors.Is(errs[c], want) || results[c] != (store.InsertResult{}) {
				t.Errorf("caller %d: %+v, %v; want %v", c, results[c], errs[c], want)
			}
			if _, err := st.Points(ctx, key, 0, 1000); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("caller %d's series exists after its refusal (err %v)", c, err)
			}
			continue
		}
		if errs[c] != nil || results[c] != (store.InsertResult{Stored: per}) {
			t.Errorf("caller %d: %+v, %v; want %d stored", c, results[c], errs[c], per)
		}
		if got := streamMustPoints(t, st, key, 0, 1000); len(got) != per || got[0].Value != float64(c) {
			t.Errorf("caller %d: %d points (first %v), want %d of value %d", c, len(got), got, per, c)
		}
	}
	if n, want := mustCount(t, st), int64(callers/2)*per; n != want {
		t.Errorf("CountPoints = %d, want %d", n, want)
	}
}

var errStreamBroken = errors.New("stream broken")

// failingStream hands out its first n points, then fails.
type failingStream struct {
	*store.SliceStream
	n int
}

func (f *failingStream) Each(fn func([]store.StreamPoint) error) error {
	var all []store.StreamPoint
	f.SliceStream.Each(func(c []store.StreamPoint) error { all = append(all, c...); return nil })
	if err := fn(all[:f.n]); err != nil {
		return err
	}
	return errStreamBroken
}

func streamMustPoints(t *testing.T, st store.Store, k store.SeriesKey, from, to int64) []store.Point {
	t.Helper()
	pts, err := st.Points(context.Background(), k, from, to)
	if err != nil {
		t.Fatalf("Points %v: %v", k, err)
	}
	return pts
}
