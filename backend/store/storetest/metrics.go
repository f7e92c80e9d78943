package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/mkr-dev/mkr/backend/engine"
	"github.com/mkr-dev/mkr/backend/store"
)

func testPointsRoundTrip(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	mustService(t, st, "blog")
	cpu, mem := store.HostSeries(h, "custom.cpu.user"), store.HostSeries(h, "custom.mem.used")
	svc := store.ServiceSeries("blog", "custom.cpu.user") // same name, other owner kind
	// Out of order, two series interleaved, one timestamp posted twice in
	// the same batch (the later one wins).
	err := st.InsertPoints(ctx, []store.SeriesPoint{
		sp(cpu, 300, 3.5), sp(mem, 100, 1e9), sp(cpu, 100, 1.25),
		sp(cpu, 200, -2), sp(svc, 100, 42), sp(cpu, 200, 2),
	})
	if err != nil {
		t.Fatalf("InsertPoints: %v", err)
	}
	// A second batch overwrites 300 and adds 400.
	if err := st.InsertPoints(ctx, []store.SeriesPoint{sp(cpu, 300, 30), sp(cpu, 400, 0)}); err != nil {
		t.Fatalf("InsertPoints: %v", err)
	}
	if n := mustCount(t, st); n != 6 {
		t.Errorf("CountPoints = %d, want 6", n)
	}
	tests := []struct {
		name     string
		key      store.SeriesKey
		from, to int64
		want     []store.Point
	}{
		{"all", cpu, 0, 1000, []store.Point{{Time: 100, Value: 1.25}, {Time: 200, Value: 2}, {Time: 300, Value: 30}, {Time: 400, Value: 0}}},
		{"inclusive edges", cpu, 200, 300, []store.Point{{Time: 200, Value: 2}, {Time: 300, Value: 30}}},
		{"single instant", cpu, 300, 300, []store.Point{{Time: 300, Value: 30}}},
		{"between points", cpu, 201, 299, []store.Point{}},
		{"before first", cpu, 0, 99, []store.Point{}},
		{"other series", mem, 0, 1000, []store.Point{{Time: 100, Value: 1e9}}},
		{"service series of the same name", svc, 0, 1000, []store.Point{{Time: 100, Value: 42}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.Points(ctx, tt.key, tt.from, tt.to)
			if err != nil {
				t.Fatalf("Points: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Points(%v, %d, %d) = %v, want %v", tt.key, tt.from, tt.to, got, tt.want)
			}
		})
	}
	if _, err := st.Points(ctx, store.HostSeries(h, "custom.nope"), 0, 1000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Points of an unknown series: err = %v, want ErrNotFound", err)
	}

	names, err := st.MetricNames(ctx, "host", h)
	if err != nil || !reflect.DeepEqual(names, []string{"custom.cpu.user", "custom.mem.used"}) {
		t.Errorf("MetricNames(host) = %q, %v", names, err)
	}
	names, err = st.MetricNames(ctx, "service", "blog")
	if err != nil || !reflect.DeepEqual(names, []string{"custom.cpu.user"}) {
		t.Errorf("MetricNames(service) = %q, %v", names, err)
	}
	names, err = st.MetricNames(ctx, "service", h)
	if err != nil || !reflect.DeepEqual(names, []string{}) {
		t.Errorf("MetricNames(service, host id) = %q, %v; want empty", names, err)
	}

	latest, err := st.LatestPoints(ctx, "host", []string{h, "nohost"}, []string{"custom.cpu.user", "custom.mem.used", "custom.nope"})
	if err != nil {
		t.Fatalf("LatestPoints: %v", err)
	}
	want := map[string]map[string]store.Point{h: {"custom.cpu.user": {Time: 400, Value: 0}, "custom.mem.used": {Time: 100, Value: 1e9}}}
	if !reflect.DeepEqual(latest, want) {
		t.Errorf("LatestPoints = %v, want %v", latest, want)
	}
}

// testInsertPointsAllOrNothing: one bad owner rejects the whole
// batch and leaves no point and no series behind.
func testInsertPointsAllOrNothing(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	h := mustHost(t, st, "web01")
	retired := mustHost(t, st, "old")
	if err := engine.New(st).RetireHosts(ctx, []string{retired}); err != nil {
		t.Fatal(err)
	}
	mustService(t, st, "blog")
	good := sp(store.HostSeries(h, "custom.a"), 100, 1)
	tests := []struct {
		name    string
		bad     store.SeriesPoint
		wantErr string
	}{
		{"unknown host", sp(store.HostSeries("nohost", "custom.a"), 100, 1), "not found: host nohost"},
		{"unknown service", sp(store.ServiceSeries("nosvc", "a"), 100, 1), "not found: service nosvc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svcPoint := sp(store.ServiceSeries("blog", "b"), 100, 2)
			err := st.InsertPoints(ctx, []store.SeriesPoint{good, svcPoint, tt.bad})
			if !errors.Is(err, store.ErrNotFound) || err.Error() != tt.wantErr {
				t.Fatalf("InsertPoints: err = %v, want %q (ErrNotFound)", err, tt.wantErr)
			}
			if n := mustCount(t, st); n != 0 {
				t.Errorf("%d points stored after a rejected batch, want 0", n)
			}
			for _, o := range []struct{ kind, owner string }{{"host", h}, {"service", "blog"}} {
				if names, _ := st.MetricNames(ctx, o.kind, o.owner); len(names) != 0 {
					t.Errorf("series %v of %s survived a rejected batch", names, o.owner)
				}
			}
		})
	}
	// A retired host's points are dropped, the rest of the batch is kept.
	if err := st.InsertPoints(ctx, []store.SeriesPoint{good, sp(store.HostSeries(retired, "custom.a"), 100, 1)}); err != nil {
		t.Fatalf("InsertPoints with a retired host: %v", err)
	}
	if names, _ := st.MetricNames(ctx, "host", retired); len(names) != 0 {
		t.Errorf("retired host got series %v", names)
	}
	if n := mustCount(t, st); n != 1 {
		t.Errorf("%d points stored, want 1 (the live host's)", n)
	}
	// The store is still usable and the ids it hands out are sound.
	if err := st.InsertPoints(ctx, []store.SeriesPoint{good}); err != nil {
		t.Fatalf("InsertPoints after failures: %v", err)
	}
	if got, _ := st.Points(ctx, good.Key, 0, 1000); !reflect.DeepEqual(got, []store.Point{{Time: 100, Value: 1}}) {
		t.Errorf("Points = %v", got)
	}
}

// testAnnotationWindows: an annotation is listed when [from, to]
// intersects the window, touching edges included.
func testAnnotationWindows(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	mustService(t, st, "blog", "web", "db")
	mustService(t, st, "other")
	create := func(title string, from, to int64, svc string, roles ...string) string {
		a, err := st.CreateAnnotation(ctx, store.Annotation{Service: svc, Title: title, From: from, To: to, Roles: roles})
		if err != nil {
			t.Fatalf("CreateAnnotation %s: %v", title, err)
		}
		return a.ID
	}
	create("span", 100, 200, "blog")
	create("instant", 150, 150, "blog", "web")
	create("late", 300, 400, "blog", "web", "db")
	create("elsewhere", 100, 200, "other")
	tests := []struct {
		from, to int64
		want     []string
	}{
		{0, 99, nil},
		{0, 100, []string{"span"}},                     // touches span's start
		{200, 250, []string{"span"}},                   // touches span's end
		{201, 299, nil},                                // the gap
		{150, 150, []string{"span", "instant"}},        // an instant window
		{120, 160, []string{"span", "instant"}},        // inside span
		{0, 1000, []string{"span", "instant", "late"}}, // covers everything
		{400, 400, []string{"late"}},
		{401, 500, nil},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.from, tt.to), func(t *testing.T) {
			list, err := st.ListAnnotations(ctx, "blog", tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range list {
				if a.Service != "blog" {
					t.Errorf("%s belongs to %s", a.Title, a.Service)
				}
				got = append(got, a.Title)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("titles = %q, want %q", got, tt.want)
			}
		})
	}
	list, _ := st.ListAnnotations(ctx, "blog", 300, 300)
	if len(list) != 1 || !reflect.DeepEqual(list[0].Roles, []string{"web", "db"}) {
		t.Errorf("roles of late = %+v", list)
	}
	for _, c := range []struct {
		name string
		a    store.Annotation
		want string
	}{
		{"unknown service", store.Annotation{Service: "nosvc", Title: "x", From: 1, To: 1}, "not found: service nosvc"},
		{"unknown role", store.Annotation{Service: "blog", Title: "x", From: 1, To: 1, Roles: []string{"web", "cache"}}, "not found: role blog:cache"},
	} {
		if _, err := st.CreateAnnotation(ctx, c.a); !errors.Is(err, store.ErrNotFound) || err.Error() != c.want {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	if _, err := st.ListAnnotations(ctx, "nosvc", 0, 1000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ListAnnotations(unknown service): err = %v", err)
	}
	if all, _ := st.ListAnnotations(ctx, "blog", 0, 1<<40); len(all) != 3 {
		t.Errorf("a rejected create stored something: %d annotations", len(all))
	}
}

func testGraphDefs(t *testing.T, open Opener) {
	ctx := context.Background()
	st, _ := openAt(t, open)
	defs := []store.GraphDef{
		{Name: "custom.b", DisplayName: "B", Unit: "bytes", Metrics: []byte(`[{"name":"custom.b.x","isStacked":true}]`)},
		{Name: "custom.a", Unit: "float"},
	}
	if err := st.PutGraphDefs(ctx, defs); err != nil {
		t.Fatal(err)
	}
	// Re-putting a name replaces it.
	if err := st.PutGraphDefs(ctx, []store.GraphDef{{Name: "custom.a", DisplayName: "A2", Unit: "percentage", Metrics: []byte(`[]`)}}); err != nil {
		t.Fatal(err)
	}
	got, err := st.ListGraphDefs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.GraphDef{
		{Name: "custom.a", DisplayName: "A2", Unit: "percentage", Metrics: []byte(`[]`)},
		{Name: "custom.b", DisplayName: "B", Unit: "bytes", Metrics: []byte(`[{"name":"custom.b.x","isStacked":true}]`)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ListGraphDefs = %q, want %q", got, want)
	}
	if err := st.DeleteGraphDef(ctx, "custom.a"); err != nil {
		t.Fatal(err)
	}
	if err := st.DeleteGraphDef(ctx, "custom.a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second DeleteGraphDef: err = %v, want ErrNotFound", err)
	}
	if got, _ := st.ListGraphDefs(ctx); len(got) != 1 || got[0].Name != "custom.b" {
		t.Errorf("after delete: %q", got)
	}
}

// InsertPointsSince drops points older than the window and those of
// retired hosts, counting each kind, but still requires their owners to
// exist; DeleteServiceMetrics removes matching series only.
func testPointsBackfill(t *testing.T, open Opener) {
	st, _ := openAt(t, open)
	ctx := context.Background()
	h := mustHost(t, st, "web01")
	retired := mustHost(t, st, "gone")
	if err := engine.New(st).RetireHosts(ctx, []string{retired}); err != nil {
		t.Fatal(err)
	}
	mustService(t, st, "blog")
	key := store.HostSeries(h, "custom.a")
	gone := store.HostSeries(retired, "custom.a")
	res, err := st.InsertPointsSince(ctx, []store.SeriesPoint{
		sp(key, 100, 1), sp(key, 200, 2), sp(gone, 200, 3), sp(gone, 100, 4), sp(key, 200, 5),
		sp(store.ServiceSeries("blog", "s"), 149, 6),
	}, 150)
	if err != nil {
		t.Fatal(err)
	}
	// A re-posted time counts as stored (it overwrites); a retired host's
	// point counts as such even when it is also too old.
	if want := (store.InsertResult{Stored: 2, TooOld: 2, RetiredHost: 2}); res != want {
		t.Errorf("InsertPointsSince = %+v, want %+v", res, want)
	}
	if got, err := st.Points(ctx, key, 0, 1000); err != nil || !reflect.DeepEqual(got, []store.Point{{Time: 200, Value: 5}}) {
		t.Fatalf("Points = %v, %v; want only the point inside the window", got, err)
	}
	if names, err := st.MetricNames(ctx, "host", retired); err != nil || len(names) != 0 {
		t.Fatalf("retired host's metric names = %v, %v; want none", names, err)
	}
	res, err = st.InsertPointsSince(ctx, []store.SeriesPoint{sp(store.HostSeries("nohost", "custom.a"), 100, 1)}, 150)
	if !errors.Is(err, store.ErrNotFound) || res != (store.InsertResult{}) {
		t.Fatalf("dropped point of an unknown host: %+v, err = %v, want ErrNotFound and no counts", res, err)
	}
	err = st.InsertPoints(ctx, []store.SeriesPoint{
		sp(store.ServiceSeries("blog", "custom.g.x"), 100, 1), sp(store.ServiceSeries("blog", "custom.g.y"), 100, 1),
		sp(store.ServiceSeries("blog", "custom.h.x"), 100, 1),
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := st.DeleteServiceMetrics(ctx, "blog", func(name string) bool { return name != "custom.h.x" })
	if err != nil || n != 2 {
		t.Fatalf("DeleteServiceMetrics = %d, %v; want 2", n, err)
	}
	if names, _ := st.MetricNames(ctx, "service", "blog"); !reflect.DeepEqual(names, []string{"custom.h.x"}) {
		t.Fatalf("service metrics after delete = %v", names)
	}
	// A re-posted deleted series starts empty.
	if err := st.InsertPoints(ctx, []store.SeriesPoint{sp(store.ServiceSeries("blog", "custom.g.x"), 200, 5)}); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Points(ctx, store.ServiceSeries("blog", "custom.g.x"), 0, 1000); !reflect.DeepEqual(got, []store.Point{{Time: 200, Value: 5}}) {
		t.Fatalf("re-created series = %v", got)
	}
}
