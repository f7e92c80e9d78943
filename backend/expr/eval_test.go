package expr_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/expr"
	"github.com/mkr-dev/mkr/backend/expr/exprstore"
	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
)

// t0 is a whole minute; the fixture's points sit on minutes after it.
const t0 = int64(1_700_000_040)

type fixture struct {
	st       *sqlite.Store
	src      expr.Source
	db1, db2 string // host ids (names "db1", "db2", role Blog:db)
	web1     string // host "web1", role Blog:web
}

// newFixture opens a store on a temp database and seeds:
//
//	db1 loadavg5      t0:1  t0+1m:2  t0+2m:3
//	db2 loadavg5      t0:3  t0+1m:4            t0+3m:5
//	db1 memory.used, memory.free, memory.a.b   t0: 10, 20, 30
//	db2 custom.x      t0+10s:7  t0+50s:8       (one minute, latest wins)
//	Blog foo.bar      t0:10 t0+1m:20 t0+2m:30
//	Blog foo.baz      t0:2  t0+1m:4  t0+2m:0
//	Blog lin          t0−1h:0, then t0:100 t0+1m:102 t0+2m:104 t0+3m:106
//	Blog flat         t0:5  t0+1m:5
func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "expr.db"), store.Options{Now: func() time.Time { return time.Unix(t0, 0) }})
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	f := &fixture{st: st, src: exprstore.Source(st)}
	host := func(name, role string) string {
		id, err := st.CreateHost(ctx, store.NewHost{Name: name, Status: "working", Roles: []store.RoleRef{{Service: "Blog", Role: role}}})
		if err != nil {
			t.Fatalf("CreateHost: %v", err)
		}
		return id
	}
	f.db1, f.db2, f.web1 = host("db1", "db"), host("db2", "db"), host("web1", "web")
	var pts []store.SeriesPoint
	add := func(k store.SeriesKey, at int64, v float64) {
		pts = append(pts, store.SeriesPoint{Key: k, Point: store.Point{Time: at, Value: v}})
	}
	for i, v := range []float64{1, 2, 3} {
		add(store.HostSeries(f.db1, "loadavg5"), t0+int64(i)*60, v)
	}
	add(store.HostSeries(f.db2, "loadavg5"), t0, 3)
	add(store.HostSeries(f.db2, "loadavg5"), t0+60, 4)
	add(store.HostSeries(f.db2, "loadavg5"), t0+180, 5)
	add(store.HostSeries(f.db1, "memory.used"), t0, 10)
	add(store.HostSeries(f.db1, "memory.free"), t0, 20)
	add(store.HostSeries(f.db1, "memory.a.b"), t0, 30)
	add(store.HostSeries(f.db2, "custom.x"), t0+10, 7)
	add(store.HostSeries(f.db2, "custom.x"), t0+50, 8)
	add(store.HostSeries(f.web1, "loadavg5"), t0, 100)
	for i, v := range []float64{10, 20, 30} {
		add(store.ServiceSeries("Blog", "foo.bar"), t0+int64(i)*60, v)
	}
	for i, v := range []float64{2, 4, 0} {
		add(store.ServiceSeries("Blog", "foo.baz"), t0+int64(i)*60, v)
	}
	add(store.ServiceSeries("Blog", "lin"), t0-3600, 0)
	for i, v := range []float64{100, 102, 104, 106} {
		add(store.ServiceSeries("Blog", "lin"), t0+int64(i)*60, v)
	}
	add(store.ServiceSeries("Blog", "flat"), t0, 5)
	add(store.ServiceSeries("Blog", "flat"), t0+60, 5)
	if err := st.InsertPoints(ctx, pts); err != nil {
		t.Fatalf("InsertPoints: %v", err)
	}
	return f
}

// eval parses src ({db1}, {db2} stand for the host ids) and evaluates it.
func (f *fixture) eval(t *testing.T, src string, from, to int64) ([]expr.Series, error) {
	t.Helper()
	src = strings.NewReplacer("{db1}", f.db1, "{db2}", f.db2).Replace(src)
	e, err := expr.Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return expr.Eval(context.Background(), e, f.src, from, to)
}

// render writes series as "name: t=v t=v" lines, times in minutes after
// t0, so that expectations read like the fixture.
func render(series []expr.Series) string {
	var b strings.Builder
	for _, s := range series {
		b.WriteString(s.Name + ":")
		for _, p := range s.Points {
			off := p.Time - t0
			if off%60 == 0 {
				fmt.Fprintf(&b, " %dm=%g", off/60, p.Value)
			} else {
				fmt.Fprintf(&b, " %ds=%g", off, p.Value)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestEval(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, src string
		from, to  int64
		want      string // {db1}, {db2} stand for the host ids
	}{
		{"host", "host({db1}, loadavg5)", t0, t0 + 120,
			"{db1}.loadavg5: 0m=1 1m=2 2m=3\n"},
		{"host range is inclusive and cut", "host({db1}, loadavg5)", t0 + 60, t0 + 60,
			"{db1}.loadavg5: 1m=2\n"},
		{"from moves back to its minute", "host({db1}, loadavg5)", t0 + 59, t0 + 61,
			"{db1}.loadavg5: 0m=1 1m=2\n"},
		{"wildcard is one part", "host({db1}, memory.*)", t0, t0,
			"{db1}.memory.free: 0m=20\n{db1}.memory.used: 0m=10\n"},
		{"# wildcard", "host({db1}, memory.#.b)", t0, t0,
			"{db1}.memory.a.b: 0m=30\n"},
		{"series without points in range are kept", "host({db1}, memory.*)", t0 + 60, t0 + 120,
			"{db1}.memory.free:\n{db1}.memory.used:\n"},
		{"unknown host", "host(nosuchhost, loadavg5)", t0, t0 + 600, ""},
		{"unknown metric", "host({db1}, nosuch)", t0, t0 + 600, ""},
		{"points of one minute: latest wins", "host({db2}, custom.x)", t0, t0 + 60,
			"{db2}.custom.x: 0m=8\n"},
		{"service", "service(Blog, foo.*)", t0, t0 + 120,
			"Blog.foo.bar: 0m=10 1m=20 2m=30\nBlog.foo.baz: 0m=2 1m=4 2m=0\n"},
		{"role", "role(Blog:db, loadavg5)", t0, t0 + 180,
			"db1.loadavg5: 0m=1 1m=2 2m=3\ndb2.loadavg5: 0m=3 1m=4 3m=5\n"},
		{"roleSlots", "roleSlots('Blog: db', loadavg5)", t0, t0 + 180,
			"db1.loadavg5: 0m=1 1m=2 2m=3\ndb2.loadavg5: 0m=3 1m=4 3m=5\n"},
		{"unknown role", "role(Blog:nosuch, loadavg5)", t0, t0 + 180, ""},
		{"avg", "avg(role(Blog:db, loadavg5))", t0, t0 + 180,
			"avg(role(Blog:db, loadavg5)): 0m=2 1m=3 2m=3 3m=5\n"},
		{"max", "max(role(Blog:db, loadavg5))", t0, t0 + 180,
			"max(role(Blog:db, loadavg5)): 0m=3 1m=4 2m=3 3m=5\n"},
		{"min", "min(role(Blog:db, loadavg5))", t0, t0 + 180,
			"min(role(Blog:db, loadavg5)): 0m=1 1m=2 2m=3 3m=5\n"},
		{"sum", "sum(role(Blog:db, loadavg5))", t0, t0 + 180,
			"sum(role(Blog:db, loadavg5)): 0m=4 1m=6 2m=3 3m=5\n"},
		{"product", "product(role(Blog:db, loadavg5))", t0, t0 + 180,
			"product(role(Blog:db, loadavg5)): 0m=3 1m=8 2m=3 3m=5\n"},
		{"percentile interpolates", "percentile(role(Blog:db, loadavg5), 25)", t0, t0 + 180,
			"percentile(role(Blog:db, loadavg5), 25): 0m=1.5 1m=2.5 2m=3 3m=5\n"},
		{"percentile of three", "percentile(group(role(Blog:db, loadavg5), role(Blog:web, loadavg5)), 50)", t0, t0,
			"percentile(group(role(Blog:db, loadavg5), role(Blog:web, loadavg5)), 50): 0m=3\n"},
		{"aggregate of nothing is nothing", "sum(host(nosuchhost, loadavg5))", t0, t0 + 180, ""},
		{"aggregate of empty series", "sum(host({db1}, memory.*))", t0 + 60, t0 + 180,
			"sum(host({db1}, memory.*)):\n"},
		{"diff", "diff(service(Blog, foo.bar), service(Blog, foo.baz))", t0, t0 + 120,
			"diff(Blog.foo.bar, Blog.foo.baz): 0m=8 1m=16 2m=30\n"},
		{"divide skips a zero divisor", "divide(service(Blog, foo.bar), service(Blog, foo.baz))", t0, t0 + 120,
			"divide(Blog.foo.bar, Blog.foo.baz): 0m=5 1m=5\n"},
		{"diff of many by one", "diff(role(Blog:db, loadavg5), host({db1}, loadavg5))", t0, t0 + 180,
			"diff(db1.loadavg5, {db1}.loadavg5): 0m=0 1m=0 2m=0\ndiff(db2.loadavg5, {db1}.loadavg5): 0m=2 1m=2\n"},
		{"divide one by many", "divide(service(Blog, foo.bar), role(Blog:db, loadavg5))", t0, t0 + 180,
			"divide(Blog.foo.bar, db1.loadavg5): 0m=10 1m=10 2m=10\ndivide(Blog.foo.bar, db2.loadavg5): 0m=3.3333333333333335 1m=5\n"},
		{"diff pairs equal counts", "diff(role(Blog:db, loadavg5), role(Blog:db, loadavg5))", t0, t0 + 180,
			"diff(db1.loadavg5, db1.loadavg5): 0m=0 1m=0 2m=0\ndiff(db2.loadavg5, db2.loadavg5): 0m=0 1m=0 3m=0\n"},
		{"scale", "scale(service(Blog, foo.bar), 1/2)", t0, t0 + 120,
			"scale(Blog.foo.bar, 1/2): 0m=5 1m=10 2m=15\n"},
		{"offset", "offset(service(Blog, foo.bar), -10)", t0, t0 + 120,
			"offset(Blog.foo.bar, -10): 0m=0 1m=10 2m=20\n"},
		{"timeShift reads earlier data", "timeShift(service(Blog, foo.bar), 1m)", t0 + 60, t0 + 180,
			"timeShift(Blog.foo.bar, 1m): 1m=10 2m=20 3m=30\n"},
		{"timeShift range", "timeShift(service(Blog, foo.bar), 1m)", t0 + 120, t0 + 180,
			"timeShift(Blog.foo.bar, 1m): 2m=20 3m=30\n"},
		{"movingAverage reads before the range", "movingAverage(service(Blog, foo.bar), 2m)", t0 + 60, t0 + 120,
			"movingAverage(Blog.foo.bar, 2m): 1m=15 2m=25\n"},
		{"movingAverage at the start of data", "movingAverage(service(Blog, foo.bar), 2m)", t0, t0 + 60,
			"movingAverage(Blog.foo.bar, 2m): 0m=10 1m=15\n"},
		{"movingAverage over gaps", "movingAverage(host({db2}, loadavg5), 3m)", t0, t0 + 180,
			"movingAverage({db2}.loadavg5, 3m): 0m=3 1m=3.5 3m=4.5\n"},
		{"group", "group(host({db1}, loadavg5), service(Blog, foo.bar))", t0, t0,
			"{db1}.loadavg5: 0m=1\nBlog.foo.bar: 0m=10\n"},
		{"stack keeps the series", "stack(service(Blog, foo.bar))", t0, t0 + 60,
			"Blog.foo.bar: 0m=10 1m=20\n"},
		{"alias", "alias(avg(role(Blog:db, loadavg5)), 'db load')", t0, t0 + 60,
			"db load: 0m=2 1m=3\n"},
		{"flat line never reaches a threshold", "timeLeftForecast(service(Blog, flat), 5m, 10)", t0, t0 + 60,
			"timeLeftForecast(Blog.flat, 5m, 10):\n"},
		{"regression needs two points", "linearRegression(service(Blog, foo.bar), 1m)", t0, t0 + 60,
			"linearRegression(Blog.foo.bar, 1m):\n"},
		{"the example of the docs", "group(alias(avg(role(Blog:db, loadavg5)), 'loadavg5'), alias(timeShift(avg(role(Blog:db, loadavg5)), 1m), '1 minute ago'))", t0 + 60, t0 + 120,
			"loadavg5: 1m=3 2m=3\n1 minute ago: 1m=2 2m=3\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.eval(t, tt.src, tt.from, tt.to)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			want := strings.NewReplacer("{db1}", f.db1, "{db2}", f.db2).Replace(tt.want)
			if r := render(got); r != want {
				t.Errorf("Eval(%s):\n got\n%s want\n%s", tt.src, r, want)
			}
		})
	}
}

func TestEvalRegression(t *testing.T) {
	f := newFixture(t)
	// lin rises 2 per minute from 100 at t0; the point at t0−1h lies
	// outside every fitting window below and would bend the line.
	tests := []struct {
		src      string
		from, to int64
		want     []expr.Point
	}{
		{"linearRegression(service(Blog, lin), 3m)", t0 + 120, t0 + 240,
			[]expr.Point{{Time: t0 + 120, Value: 104}, {Time: t0 + 180, Value: 106}, {Time: t0 + 240, Value: 108}}},
		{"linearRegression(service(Blog, lin), 10m)", t0 + 200, t0 + 200,
			[]expr.Point{{Time: t0 + 180, Value: 106}}},
		// At t0+3m the line is at 106 and reaches 110 two minutes later.
		{"timeLeftForecast(service(Blog, lin), 10m, 110)", t0 + 120, t0 + 180,
			[]expr.Point{{Time: t0 + 120, Value: 180}, {Time: t0 + 180, Value: 120}}},
		// Crossed before: negative.
		{"timeLeftForecast(service(Blog, lin), 10m, 100)", t0 + 180, t0 + 180,
			[]expr.Point{{Time: t0 + 180, Value: -180}}},
	}
	for _, tt := range tests {
		got, err := f.eval(t, tt.src, tt.from, tt.to)
		if err != nil {
			t.Fatalf("Eval(%s): %v", tt.src, err)
		}
		if len(got) != 1 || len(got[0].Points) != len(tt.want) {
			t.Fatalf("Eval(%s) = %s, want one series of %d points", tt.src, render(got), len(tt.want))
		}
		for i, p := range got[0].Points {
			if p.Time != tt.want[i].Time || math.Abs(p.Value-tt.want[i].Value) > 1e-9 {
				t.Errorf("Eval(%s) point %d = %+v, want %+v", tt.src, i, p, tt.want[i])
			}
		}
	}
}

func TestEvalErrors(t *testing.T) {
	f := newFixture(t)
	_, err := f.eval(t, "diff(service(Blog, foo.*), group(service(Blog, foo.*), service(Blog, lin)))", t0, t0)
	if err == nil {
		t.Fatal("diff of 2 series and 3 series: no error")
	}
	if want := "diff: cannot pair 2 series with 3 series (give one series on a side, or as many on both)"; err.Error() != want {
		t.Errorf("err = %q, want %q", err, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e, _ := expr.Parse("avg(role(Blog:db, loadavg5))")
	if _, err := expr.Eval(ctx, e, f.src, t0, t0); !errors.Is(err, context.Canceled) {
		t.Errorf("Eval with a cancelled context: %v, want context.Canceled", err)
	}
	if _, err := expr.Eval(context.Background(), e, f.src, t0+60, t0); err == nil {
		t.Error("Eval over an empty range: no error")
	}
}

func TestValue(t *testing.T) {
	one := []expr.Series{{Name: "a", Points: []expr.Point{{Time: 60, Value: 1}, {Time: 120, Value: 2}, {Time: 180, Value: 3}}}}
	tests := []struct {
		name    string
		series  []expr.Series
		at      int64
		v       float64
		t       int64
		wantErr error
		msg     string
	}{
		{"newest at or before", one, 150, 2, 120, nil, ""},
		{"exactly at", one, 180, 3, 180, nil, ""},
		{"after the last", one, 1000, 3, 180, nil, ""},
		{"before the first", one, 59, 0, 0, expr.ErrNoPoint, "the expression's series has no value: a has no point at or before 59"},
		{"empty series", []expr.Series{{Name: "a"}}, 59, 0, 0, expr.ErrNoPoint, "the expression's series has no value: a has no point at or before 59"},
		{"no series", nil, 100, 0, 0, expr.ErrNoSeries, "the expression gives no series"},
		{"two series", []expr.Series{{Name: "a"}, {Name: "b"}}, 100, 0, 0, expr.ErrSeveralSeries,
			"the expression gives several series; a monitor needs exactly one: 2 series (a, b)"},
		{"many series", []expr.Series{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}}, 100, 0, 0, expr.ErrSeveralSeries,
			"the expression gives several series; a monitor needs exactly one: 4 series (a, b, c, …)"},
	}
	for _, tt := range tests {
		v, at, err := expr.Value(tt.series, tt.at)
		if !errors.Is(err, tt.wantErr) || (err != nil && err.Error() != tt.msg) {
			t.Errorf("%s: err = %v, want %v (%s)", tt.name, err, tt.wantErr, tt.msg)
		}
		if v != tt.v || at != tt.t {
			t.Errorf("%s: Value = %g at %d, want %g at %d", tt.name, v, at, tt.v, tt.t)
		}
	}
}

func TestMonitorValue(t *testing.T) {
	f := newFixture(t)
	e, err := expr.Parse("avg(role(Blog:db, loadavg5))")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		now      int64
		backward int
		v        float64
		at       int64
		wantErr  error
	}{
		// now−2m falls in minute 3 (db2 only: 5).
		{"the minute N back", t0 + 5*60 + 30, 2, 5, t0 + 180, nil},
		// now−2m is minute 2; minute 3's point is too new.
		{"newer points are ignored", t0 + 4*60 + 59, 2, 3, t0 + 120, nil},
		// The newest point is 5 minutes older than now−2m: stale.
		{"stale data", t0 + 10*60, 2, 0, 0, expr.ErrNoPoint},
		{"a point 4 minutes back still counts", t0 + 9*60, 2, 5, t0 + 180, nil},
	}
	for _, tt := range tests {
		v, at, err := expr.MonitorValue(context.Background(), e, f.src, tt.now, tt.backward)
		if !errors.Is(err, tt.wantErr) || v != tt.v || at != tt.at {
			t.Errorf("%s: MonitorValue = %g at %d, %v; want %g at %d, %v", tt.name, v, at, err, tt.v, tt.at, tt.wantErr)
		}
	}
	several, _ := expr.Parse("role(Blog:db, loadavg5)")
	if _, _, err := expr.MonitorValue(context.Background(), several, f.src, t0+120, 2); !errors.Is(err, expr.ErrSeveralSeries) {
		t.Errorf("two series: %v, want ErrSeveralSeries", err)
	}
	none, _ := expr.Parse("host(nosuchhost, loadavg5)")
	if _, _, err := expr.MonitorValue(context.Background(), none, f.src, t0+120, 2); !errors.Is(err, expr.ErrNoSeries) {
		t.Errorf("no series: %v, want ErrNoSeries", err)
	}
}

func TestMatchMetric(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"memory.*", "memory.used", true},
		{"memory.*", "memory.a.b", false},
		{"memory.*", "memory.", false},
		{"memory.#.b", "memory.a.b", true},
		{"custom.jobs_*", "custom.jobs_x", true},
		{"custom.*.*", "custom.a.b", true},
		{"a.b", "a.b", true},
		{"a.b", "axb", false}, // a dot is a dot, not a regexp
		{strings.Repeat("*", 30) + ".x", strings.Repeat("a", 100) + ".y", false},
	}
	for _, tt := range tests {
		if got := expr.MatchMetric(tt.pattern, tt.name); got != tt.want {
			t.Errorf("MatchMetric(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestStoreSourceRoleHosts(t *testing.T) {
	f := newFixture(t)
	got, err := f.src.RoleHosts(context.Background(), "Blog", "db")
	if err != nil {
		t.Fatal(err)
	}
	want := []expr.Host{{ID: f.db1, Name: "db1"}, {ID: f.db2, Name: "db2"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("RoleHosts = %+v, want %+v", got, want)
	}
}
