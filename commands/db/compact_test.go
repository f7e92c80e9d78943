package db_test

import (
	"context"
	"testing"

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
			Stderr: cmdtest.LogLine(false, "compacted", "{db}: sealed 20 points into 2 blocks, dropped 1 expired points (0 blocks)")}},
		{Name: "again, on a terminal: nothing left", Opts: cmdtest.RunOpts{TTY: true}, Args: []string{"db", "compact"}, Want: cmdtest.Want{
			Stdout: "SEALED POINTS   BLOCKS   MERGED   EXPIRED POINTS   EXPIRED BLOCKS\n0               0        0        0                0\n",
			Stderr: cmdtest.LogLine(true, "compacted", "{db}: sealed 0 points into 0 blocks, dropped 0 expired points (0 blocks)")}},
		{Name: "a short retention drops the sealed days", Args: []string{"db", "compact", "--retention", "2d", "--jq", ".expiredBlocks"}, Want: cmdtest.Want{
			Stdout: "2\n",
			Stderr: cmdtest.LogLine(false, "compacted", "{db}: sealed 0 points into 0 blocks, dropped 20 expired points (2 blocks)")}},
		{Name: "too short a retention", Args: []string{"db", "compact", "--retention", "1h"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "retention must be at least 48h0m0s, not 1h0m0s")}},
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
