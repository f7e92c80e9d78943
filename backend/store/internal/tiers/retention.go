package tiers

import (
	"fmt"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Retention is the retention a Compact run keeps (store.CompactOptions):
// with RecordRetention, opts.Retention, once record has stored it (in
// seconds); with Retention 0, the recorded one that recorded reads (0 when
// none), else def; otherwise opts.Retention. The stores differ only in the
// SQL behind record and recorded.
func Retention(opts store.CompactOptions, def time.Duration, record func(secs int64) error, recorded func() (int64, error)) (time.Duration, error) {
	if opts.RecordRetention {
		if opts.Retention <= 0 {
			return 0, &store.Error{Kind: store.KindInvalid, Message: fmt.Sprintf("a recorded retention must be positive, not %s", opts.Retention)}
		}
		return opts.Retention, record(int64(opts.Retention / time.Second))
	}
	if opts.Retention != 0 {
		return opts.Retention, nil
	}
	secs, err := recorded()
	if err != nil {
		return 0, fmt.Errorf("reading the recorded retention: %w", err)
	}
	if secs > 0 {
		return time.Duration(secs) * time.Second, nil
	}
	return def, nil
}
