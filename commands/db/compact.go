package db

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/mkr-dev/mkr/internal/dbdsn"
	"github.com/urfave/cli/v2"
)

type compactOptions struct {
	// Retention is --retention; 0 keeps the one mkr serve recorded.
	Retention time.Duration
	Print     cmdutil.PrintOptions
}

func newCmdCompact(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:      "compact",
		Usage:     "Seal old metric points into compressed blocks and drop expired ones, now",
		ArgsUsage: "[--retention <duration>]",
		Description: `Seal the metric points of every day that ended more than 26 hours ago into one compressed
   block per metric and day, with its 5-minute and 1-hour rollups, and drop the days older than
   the retention; then print what was done. "mkr serve" does this in the background and local
   commands a little after each write, so this is only needed to do it all at once (after a
   bulk import, or before copying the database). The retention is --retention if given, else
   the one "mkr serve --retention" last ran with on this database (it records it), else 460
   days. Works on the local database only.

   Examples:
     mkr db compact
     mkr db compact --retention 90d --db /var/lib/mkr/mkr.db`,
		Flags: []cli.Flag{
			RetentionFlag("", "drop metric points older than `DURATION` (days as 90d, or a Go duration as 2160h; at least 2d) (default: what mkr serve last ran with, else 460d)"),
			cmdutil.JQFlag(), cmdutil.OutputFlag(),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return cmdutil.UsageError(c, "db compact takes no arguments")
			}
			var retention time.Duration
			if s := c.String("retention"); s != "" {
				var err error
				if retention, err = ParseRetention(s); err != nil {
					return cmdutil.UsageError(c, "%s", err)
				}
			}
			target, err := f.ResolveTarget()
			if err != nil {
				return err
			}
			if !target.Local {
				return cmdutil.UsageError(c, "db compact works on the local database only, and the target is %s: pass --local or --db", target)
			}
			return runCompact(c.Context, f, compactOptions{Retention: retention, Print: cmdutil.PrintOptionsFrom(c)})
		},
	}
}

// compactAnswer is the backend's answer (store.CompactResult's JSON): what
// is printed, and the retention the run kept, which is logged.
type compactAnswer struct {
	compactResult
	Retention time.Duration `json:"retention"`
}

// compactResult is what db compact prints.
type compactResult struct {
	SealedPoints  int64 `json:"sealedPoints"`
	SealedBlocks  int64 `json:"sealedBlocks"`
	MergedBlocks  int64 `json:"mergedBlocks"`
	ExpiredPoints int64 `json:"expiredPoints"`
	ExpiredBlocks int64 `json:"expiredBlocks"`
	Batches       int64 `json:"batches"`
	Done          bool  `json:"done"`
}

func runCompact(ctx context.Context, f *cmdutil.Factory, opts compactOptions) error {
	path := f.DBPath()
	b, err := f.OpenBackend(ctx, path)
	if err != nil {
		return err
	}
	raw, err := b.CompactMetrics(ctx, opts.Retention)
	if err != nil {
		return err
	}
	var answer compactAnswer
	if err := json.Unmarshal(raw, &answer); err != nil {
		return fmt.Errorf("reading the backend's answer: %w", err)
	}
	res := answer.compactResult
	f.Log().Log("compacted", "%s: sealed %d points into %d blocks, dropped %d expired points (%d blocks) older than %s",
		dbdsn.Display(path), res.SealedPoints, res.SealedBlocks, res.ExpiredPoints, res.ExpiredBlocks, FormatRetention(answer.Retention))
	return f.Printer(opts.Print).Print(cmdutil.Output{JSON: res, Table: func() *cmdutil.Table {
		n := func(v int64) string { return strconv.FormatInt(v, 10) }
		return &cmdutil.Table{Header: []string{"sealed points", "blocks", "merged", "expired points", "expired blocks"},
			Rows: [][]string{{n(res.SealedPoints), n(res.SealedBlocks), n(res.MergedBlocks), n(res.ExpiredPoints), n(res.ExpiredBlocks)}}}
	}})
}
