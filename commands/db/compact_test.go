package db_test

import (
	"context"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

func TestDBCompact(t *testing.T) {
	e := cmdtest.New(t)
	e.Names["db"] = e.DBPath()
	h := e.CreateHost("web01")
	now := e.Clock.Now().Unix()
	// Two days of sealable points (three and four days old) and one
	// expired point (500 days old), stored as rows.
	var pts []store.SeriesPoint
	for i := range 10 {
		pts = append(pts,
			store.SeriesPoint{Key: store.HostSeries(h, "custom.a"), Point: store.Point{Time: now - 3*86400 + int64(i)*60, Value: float64(i)}},
			store.SeriesPoint{Key: store.HostSeries(h, "custom.a"), Point: store.Point{Time: now - 4*86400 + int64(i)*60, Value: float64(i)}})
	}
	pts = append(pts, store.SeriesPoint{Key: store.HostSeries(h, "custom.a"), Point: store.Point{Time: now - 500*86400, Value: 1}})
	if err := e.Store().InsertPoints(context.Background(), pts); err != nil {
		t.Fatal(err)
	}
	e.RunSteps(t, []cmdtest.Step{
		{Name: "compact", Args: []string{"db", "compact"}, Want: cmdtest.Want{
			Stdout: "{\n    \"sealedPoints\": 20,\n    \"sealedBlocks\": 2,\n    \"mergedBlocks\": 0,\n    \"expiredPoints\": 1,\n    \"expiredBlocks\": 0,\n    \"batches\": 1,\n    \"done\": true\n}\n",
			Stderr: cmdtest.LogLine(false, "compacted", "{db}: sealed 20 points into 2 blocks, dropped 1 expired points (0 blocks) older than 460d")}},
		{Name: "again, on a terminal: nothing left", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"db", "compact"}, Want: cmdtest.Want{
			Stdout: "SEALED POINTS   BLOCKS   MERGED   EXPIRED POINTS   EXPIRED BLOCKS\n0               0        0        0                0\n",
			Stderr: cmdtest.LogLine(true, "compacted", "{db}: sealed 0 points into 0 blocks, dropped 0 expired points (0 blocks) older than 460d")}},
		{Name: "a short retention drops the sealed days", Args: []string{"db", "compact", "--retention", "2d", "--jq", ".expiredBlocks"}, Want: cmdtest.Want{
			Stdout: "2\n",
			Stderr: cmdtest.LogLine(false, "compacted", "{db}: sealed 0 points into 0 blocks, dropped 20 expired points (2 blocks) older than 2d")}},
		{Name: "too short a retention", Args: []string{"db", "compact", "--retention", "1h"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.UsageError(false, `--retention "1h": keep metric points at least 2d (older days leave the hot tier first)`, "db", "compact")}},
		{Name: "not a retention", Args: []string{"db", "compact", "--retention", "soon"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.UsageError(false, `--retention "soon": use a number of days such as 460d, or a duration such as 2160h`, "db", "compact")}},
	})
	if n, err := e.Store().CountPoints(context.Background()); err != nil || n != 0 {
		t.Errorf("CountPoints = %d, %v; want 0", n, err)
	}
}

func TestDBCompactRefusesARemoteAPI(t *testing.T) {
	e := cmdtest.New(t)
	api := e.StartAPI()
	r := e.RunRemote(api.URL, "key", cmdtest.RunOpts{}, "db", "compact")
	e.Check(r, cmdtest.Want{Code: 1,
		Stderr: cmdtest.UsageError(false, "db compact works on the local database only, and the target is "+api.URL+": pass --local or --db", "db", "compact")})
}

// Without --retention, db compact keeps the retention recorded in the
// database (by mkr serve --retention); --retention overrides it for the run.
func TestDBCompactKeepsTheRecordedRetention(t *testing.T) {
	e := cmdtest.New(t)
	e.Names["db"] = e.DBPath()
	h := e.CreateHost("web01")
	ctx := context.Background()
	now := e.Clock.Now().Unix()
	if err := e.Store().InsertPoints(ctx, []store.SeriesPoint{{Key: store.HostSeries(h, "custom.a"), Point: store.Point{Time: now - 600*86400, Value: 1}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store().Compact(ctx, store.CompactOptions{Retention: 900 * 24 * time.Hour, RecordRetention: true}); err != nil {
		t.Fatal(err)
	}
	e.RunSteps(t, []cmdtest.Step{
		{Name: "the recorded 900 days keep the point", Args: []string{"db", "compact", "--jq", ".expiredPoints"}, Want: cmdtest.Want{
			Stdout: "0\n",
			Stderr: cmdtest.LogLine(false, "compacted", "{db}: sealed 0 points into 0 blocks, dropped 0 expired points (0 blocks) older than 900d")}},
		{Name: "--retention overrides it", Args: []string{"db", "compact", "--retention", "460d", "--jq", ".expiredPoints"}, Want: cmdtest.Want{
			Stdout: "1\n",
			Stderr: cmdtest.LogLine(false, "compacted", "{db}: sealed 0 points into 0 blocks, dropped 1 expired points (1 blocks) older than 460d")}},
	})
}
