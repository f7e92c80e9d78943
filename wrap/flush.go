package wrap

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// spoolLockName is the flock that serialises flushers: many cron jobs end
// at the same minute, and each must not replay what another is replaying.
const spoolLockName = ".flush.lock"

// FlushResult counts what a Flush did with the spooled reports it saw.
type FlushResult struct {
	// Sent were accepted by the API and removed.
	Sent int
	// Dropped were removed unsent: too old, unreadable, or rejected (4xx).
	Dropped int
	// Remaining are still spooled, for the next Flush.
	Remaining int
}

// spooled is one report read back from the spool.
type spooled struct {
	path   string
	report client.CheckReport
}

// Flush replays the spooled reports in order, at most
// client.MaxCheckReportsPerRequest per request, removing each file only
// after its batch was accepted. Reports MaxReportAge old or older are
// dropped with a warning to Logf, as are unreadable files. Replays keep
// their original occurredAt, so a report sent twice (a crash between the
// API's answer and the removal) is ignored by the API the second time.
//
// Concurrent flushers, in this process or others, take turns on a lock file
// in the spool; ctx bounds the wait. Flush stops at the first transient
// failure and returns it; what it could not send stays spooled.
func (s *Spool) Flush(ctx context.Context, r Reporter) (FlushResult, error) {
	var res FlushResult
	names, err := s.pending()
	if err != nil || len(names) == 0 {
		return res, err
	}
	if noReporter(r) {
		res.Remaining = len(names)
		return res, ErrNoCredentials
	}
	lock, err := openLock(filepath.Join(s.Dir, spoolLockName), 0o600)
	if err == nil {
		_, err = lock.lockWait(ctx, nil)
		defer lock.Close()
	}
	if err != nil {
		res.Remaining = len(names)
		return res, fmt.Errorf("locking the spool: %w", err)
	}
	// List again under the lock: the previous holder may have sent some.
	if names, err = s.pending(); err != nil {
		return res, err
	}
	gone := 0 // removed by someone else since the listing
	batch := make([]spooled, 0, client.MaxCheckReportsPerRequest)
	for i, name := range names {
		e, ok := s.load(name, &res, &gone)
		if ok {
			batch = append(batch, e)
		}
		if len(batch) == cap(batch) || (i == len(names)-1 && len(batch) > 0) {
			if err = s.send(ctx, r, batch, &res); err != nil {
				break
			}
			batch = batch[:0]
		}
	}
	res.Remaining = len(names) - res.Sent - res.Dropped - gone
	return res, err
}

// pending lists the spooled report files, oldest first.
func (s *Spool) pending() ([]string, error) {
	if s.Dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the spool: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && !strings.HasPrefix(n, ".") && strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

// load reads one spooled report. It drops (and counts) a file that cannot
// be decoded or is too old, and skips one that has vanished.
func (s *Spool) load(name string, res *FlushResult, gone *int) (spooled, bool) {
	path := filepath.Join(s.Dir, name)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		*gone++
		return spooled{}, false
	}
	e := spooled{path: path}
	if err == nil {
		err = json.Unmarshal(data, &e.report)
	}
	if err != nil {
		s.drop(e, res, "it cannot be read: %v", err)
		return spooled{}, false
	}
	if at := time.Unix(e.report.OccurredAt, 0); s.now().Sub(at) >= MaxReportAge {
		s.drop(e, res, "it occurred at %s, %s or more ago, and the API would ignore it",
			at.Format(time.RFC3339), MaxReportAge)
		return spooled{}, false
	}
	return e, true
}

// send posts one batch. When the API rejects it (4xx), the reports are
// retried one by one so that one bad report does not sink the others.
func (s *Spool) send(ctx context.Context, r Reporter, batch []spooled, res *FlushResult) error {
	reports := make([]client.CheckReport, len(batch))
	for i, e := range batch {
		reports[i] = e.report
	}
	err := r.PostCheckReports(ctx, reports)
	switch {
	case err == nil:
		for _, e := range batch {
			s.remove(e.path)
		}
		res.Sent += len(batch)
		return nil
	case Transient(err):
		return err
	case len(batch) == 1:
		s.drop(batch[0], res, "the API rejected it: %v", err)
		return nil
	}
	for i := range batch {
		if err := s.send(ctx, r, batch[i:i+1], res); err != nil {
			return err
		}
	}
	return nil
}

// drop removes a report that can never be delivered and says so.
func (s *Spool) drop(e spooled, res *FlushResult, why string, args ...any) {
	s.logf("dropping spooled report %s (check %q): "+why,
		append([]any{filepath.Base(e.path), e.report.Name}, args...)...)
	s.remove(e.path)
	res.Dropped++
}

// remove deletes a spooled file; one already gone is fine.
func (s *Spool) remove(path string) {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		s.logf("removing spooled report: %v (it may be sent again)", err)
	}
}
