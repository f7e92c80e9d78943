package serve_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// Bad --retention values are usage errors, refused before the database
// is opened.
func TestServeRetentionRefused(t *testing.T) {
	e := cmdtest.New(t)
	for _, tt := range []struct{ value, msg string }{
		{"soon", `--retention "soon": use a number of days such as 460d, or a duration such as 2160h`},
		{"0d", `--retention "0d": use a number of days such as 460d, or a duration such as 2160h`},
		{"-3h", `--retention "-3h": use a number of days such as 460d, or a duration such as 2160h`},
		{"99999999999d", `--retention "99999999999d": use a number of days such as 460d, or a duration such as 2160h`},
		{"1d", `--retention "1d": keep metric points at least 2d (older days leave the hot tier first)`},
		{"47h", `--retention "47h": keep metric points at least 2d (older days leave the hot tier first)`},
	} {
		r := e.Run("serve", "--listen", "127.0.0.1:0", "--retention", tt.value)
		e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.UsageError(false, tt.msg, "serve")})
	}
}

// The retention reaches the backend: serve's loop drops what is older,
// and records it, so that mkr db compact, given none, keeps as much (460
// days, its default otherwise, would drop the 600-day-old point).
func TestServeRetentionReachesTheBackend(t *testing.T) {
	e := cmdtest.New(t)
	e.Names["db"] = e.DBPath()
	h := e.CreateHost("web01")
	ctx := context.Background()
	now := e.Clock.Now().Unix()
	k := store.HostSeries(h, "custom.old")
	if err := e.Store().InsertPoints(ctx, []store.SeriesPoint{
		{Key: k, Point: store.Point{Time: now - 600*86400, Value: 600}},
		{Key: k, Point: store.Point{Time: now - 1000*86400, Value: 1000}},
	}); err != nil {
		t.Fatal(err)
	}
	// Sealed, as old days are by the time they expire.
	if _, err := e.Store().Compact(ctx, store.CompactOptions{Retention: -1}); err != nil {
		t.Fatal(err)
	}
	_, stop := runServeCLI(e, cmdtest.RunOpts{}, "--retention", "900d")
	// The loop runs soon after start: wait for it to drop the older point.
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, err := e.Store().CountPoints(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve --retention 900d kept %d points after 30s, want 1", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	r := stop()
	if r.Code != 0 || r.Stdout != "" || !strings.HasSuffix(r.Stderr, cmdtest.LogLine(false, "info", "stopped")) {
		t.Errorf("mkr serve: %s", r)
	}
	e.RunSteps(t, []cmdtest.Step{
		{Name: "compact keeps serve's retention", Args: []string{"db", "compact", "--jq", ".expiredPoints"}, Want: cmdtest.Want{
			Stdout: "0\n",
			Stderr: cmdtest.LogLine(false, "compacted", "{db}: sealed 0 points into 0 blocks, dropped 0 expired points (0 blocks) older than 900d")}},
	})
	pts, err := e.Store().Points(ctx, k, 0, now)
	if want := []store.Point{{Time: now - 600*86400, Value: 600}}; err != nil || len(pts) != 1 || pts[0] != want[0] {
		t.Errorf("Points = %v, %v; want %v", pts, err, want)
	}
}
