package wrap

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/mkr-dev/mkr/client"
)

// Reporter posts check reports. *client.Client satisfies it; the client
// already retries network errors, 5xx and 429 with backoff.
type Reporter interface {
	PostCheckReports(ctx context.Context, reports []client.CheckReport) error
}

var _ Reporter = (*client.Client)(nil)

// ErrNoCredentials is returned by Deliver when there is no Reporter (no API
// key) or the report has no host. The wording, capital included, is
// upstream's: users grep their cron mail for it.
var ErrNoCredentials = errors.New("Both of apikey and hostID are needed to report result to Mackerel")

// MaxReportAge is how old a report may get before the API ignores it; older
// spooled reports are dropped instead of sent.
const MaxReportAge = 6 * time.Hour

// Spool keeps reports that could not be delivered because the API was
// unreachable, for a later Flush. Each report is one JSON file named so that
// sorting by name is sorting by occurredAt, then by spooling time.
type Spool struct {
	// Dir holds the spooled reports; it is created 0700 when needed.
	Dir string
	// Now is the clock for MaxReportAge; nil is time.Now.
	Now func() time.Time
	// Logf receives warnings about dropped reports; nil discards them.
	Logf func(format string, args ...any)
}

// errNoSpoolDir is returned by Add when the Spool has no directory.
var errNoSpoolDir = errors.New("no state directory to spool the report in")

// NewSpool returns a Spool in <stateDir>/spool. With stateDir "" it has no
// directory: nothing can be spooled, rather than spooling relative to
// whatever directory cron started in.
func NewSpool(stateDir string, logf func(format string, args ...any)) *Spool {
	s := &Spool{Logf: logf}
	if stateDir != "" {
		s.Dir = filepath.Join(stateDir, "spool")
	}
	return s
}

func (s *Spool) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Spool) logf(format string, args ...any) {
	if s.Logf != nil {
		s.Logf(format, args...)
	}
}

// Delivery says what Deliver did with a report.
type Delivery int

// What can become of a report.
const (
	// Delivered: the API accepted it.
	Delivered Delivery = iota
	// Spooled: the API was unreachable; it waits in the spool for a Flush.
	Spooled
	// Dropped: it cannot ever be delivered (no credentials, a 4xx answer,
	// or it could not even be spooled).
	Dropped
)

func (d Delivery) String() string {
	switch d {
	case Delivered:
		return "delivered"
	case Spooled:
		return "spooled"
	}
	return "dropped"
}

// Transient reports whether a failed post may succeed later: network
// errors, timeouts, 429, 5xx, and 401/403 (credentials can be fixed). Any
// other API answer (400, 404, …) would fail the same way forever.
func Transient(err error) bool {
	if err == nil || errors.Is(err, ErrNoCredentials) {
		return false
	}
	code := client.StatusCode(err)
	switch {
	case code == 0, code == http.StatusTooManyRequests, code >= 500:
		return true
	case code == http.StatusUnauthorized, code == http.StatusForbidden:
		// The credentials, not the report, are wrong (a read-only or
		// revoked key, perhaps of another command's run): keep the report
		// for a run whose key can write.
		return true
	}
	return false
}

// Deliver sends report, first flushing older spooled reports so that the
// API receives results in order. When the API is unreachable, the report is
// spooled behind them. The error, when not nil, says why the report was not
// delivered (log it with the message); warnings about other spooled reports
// go to Logf.
//
// Use a context that the wrapper's own signals do not cancel
// (context.WithoutCancel plus a timeout): a report must survive Ctrl-C.
func (s *Spool) Deliver(ctx context.Context, r Reporter, report client.CheckReport) (Delivery, error) {
	if noReporter(r) || report.Source.HostID == "" {
		return Dropped, ErrNoCredentials
	}
	fr, err := s.Flush(ctx, r)
	if err != nil && fr.Remaining == 0 {
		s.logf("flushing spooled reports: %v", err)
	}
	if fr.Remaining == 0 {
		err = r.PostCheckReports(ctx, []client.CheckReport{report})
		if err == nil {
			return Delivered, nil
		}
		if !Transient(err) {
			return Dropped, err
		}
	}
	if serr := s.Add(report); serr != nil {
		return Dropped, errors.Join(err, serr)
	}
	return Spooled, err
}

// noReporter also catches a nil *client.Client in a non-nil interface, the
// likely way a caller without an API key passes "no client".
func noReporter(r Reporter) bool {
	c, ok := r.(*client.Client)
	return r == nil || (ok && c == nil)
}

// Add writes report to the spool: a complete 0600 file appears under its
// final name, or nothing does.
func (s *Spool) Add(report client.CheckReport) error {
	if s.Dir == "" {
		return errNoSpoolDir
	}
	data, err := json.Marshal(report)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("spooling report: %w", err)
	}
	f, err := os.CreateTemp(s.Dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("spooling report: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("spooling report: %w", err)
	}
	// A hard link never replaces an existing file, so two reports spooled
	// in the same nanosecond cannot overwrite each other.
	seq := time.Now().UnixNano()
	for {
		name := filepath.Join(s.Dir, spoolName(report.OccurredAt, seq))
		err := os.Link(tmp, name)
		if errors.Is(err, fs.ErrExist) {
			seq++
			continue
		}
		if err != nil {
			// A file system without hard links: rename, unique enough.
			err = os.Rename(tmp, name)
		}
		if err != nil {
			return fmt.Errorf("spooling report: %w", err)
		}
		return nil
	}
}

// spoolName sorts by occurredAt, then by when the report was spooled; the
// pid keeps names from different processes apart.
func spoolName(occurredAt, seq int64) string {
	return fmt.Sprintf("%020d-%020d-%07d.json", max(occurredAt, 0), seq, os.Getpid())
}
