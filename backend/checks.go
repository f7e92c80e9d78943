package backend

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// Check monitoring limits of the hosted API.
const (
	maxCheckMessage = 1024
	// maxClockSkew bounds how far in the future a report may claim to be:
	// a report from the future (milliseconds sent as seconds, say) would
	// otherwise make every later, real report "older" and freeze the check.
	maxClockSkew      = 10 * time.Minute
	minNotifyInterval = 10
)

// checkReportBody is a posted report. Not client.CheckReport: occurredAt
// is checked by hand (see parseOccurredAt) and the optional numbers must be
// told apart from 0 and range-checked with the API's messages, not
// decoding errors.
type checkReportBody struct {
	Source struct {
		Type   string `json:"type"`
		HostID string `json:"hostId"`
	} `json:"source"`
	Name                 string          `json:"name"`
	Status               string          `json:"status"`
	Message              string          `json:"message"`
	OccurredAt           json.RawMessage `json:"occurredAt"`
	NotificationInterval *int            `json:"notificationInterval"`
	MaxCheckAttempts     *int            `json:"maxCheckAttempts"`
}

// postCheckReports validates every report before any is applied, so a bad
// report rejects the request and changes nothing.
func (b *Backend) postCheckReports(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Reports []checkReportBody `json:"reports"`
	}
	if err := decodeBody(r, &body, false); err != nil {
		return err
	}
	if len(body.Reports) > client.MaxCheckReportsPerRequest {
		return badRequest("Too many reports: at most %d per request.", client.MaxCheckReportsPerRequest)
	}
	reports := make([]store.CheckReport, 0, len(body.Reports))
	latest := b.store.Now().Add(maxClockSkew).Unix()
	for i, rep := range body.Reports {
		sr, err := toStoreReport(i, rep)
		if err != nil {
			return err
		}
		if sr.OccurredAt > latest {
			return badRequest("Report %d: occurredAt %d is in the future (epoch seconds expected).", i, sr.OccurredAt)
		}
		reports = append(reports, sr)
	}
	// The engine ignores stale reports (6 hours old or older).
	if _, err := b.engine.ApplyCheckReports(r.Context(), reports); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, success)
	return nil
}

func toStoreReport(i int, rep checkReportBody) (store.CheckReport, error) {
	at, atProblem := parseOccurredAt(rep.OccurredAt)
	sr := store.CheckReport{HostID: rep.Source.HostID, Name: rep.Name, Status: rep.Status, Message: rep.Message,
		OccurredAt: at, MaxCheckAttempts: 1}
	switch {
	case rep.Source.Type != "host":
		return sr, badRequest("Report %d: source.type must be \"host\".", i)
	case rep.Source.HostID == "":
		return sr, badRequest("Report %d: source.hostId is required.", i)
	case !client.ValidCheckName(rep.Name):
		return sr, badRequest("Report %d: invalid check name %q: use A-Z a-z 0-9 _ -.", i, rep.Name)
	case !client.ValidCheckStatus(rep.Status):
		return sr, badRequest("Report %d: status must be OK, WARNING, CRITICAL or UNKNOWN, not %q.", i, rep.Status)
	case utf8.RuneCountInString(rep.Message) > maxCheckMessage:
		return sr, badRequest("Report %d: message is longer than %d characters.", i, maxCheckMessage)
	case atProblem != "":
		return sr, badRequest("Report %d: %s", i, atProblem)
	case at <= 0:
		return sr, badRequest("Report %d: occurredAt must be a positive epoch in seconds.", i)
	}
	if rep.NotificationInterval != nil && *rep.NotificationInterval > 0 {
		// The API treats intervals under 10 minutes as 10.
		sr.NotificationInterval = max(*rep.NotificationInterval, minNotifyInterval)
	}
	if rep.MaxCheckAttempts != nil && *rep.MaxCheckAttempts != 0 {
		if *rep.MaxCheckAttempts < 1 || *rep.MaxCheckAttempts > 10 {
			return sr, badRequest("Report %d: maxCheckAttempts must be between 1 and 10.", i)
		}
		sr.MaxCheckAttempts = *rep.MaxCheckAttempts
	}
	return sr, nil
}

// parseOccurredAt reads a report's occurredAt: a whole number of epoch
// seconds within int64 (1715000000.0 and 1.715e9 are whole too). Anything
// else is described in the returned problem, never truncated: 0.5 became 0
// and 1e300 an undefined int64, so either report was answered 200 and
// silently dropped as stale. Absent or null is 0, refused by the caller as
// not positive.
func parseOccurredAt(raw json.RawMessage) (at int64, problem string) {
	s := string(raw)
	if s == "" || s == "null" {
		return 0, ""
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err == nil {
		return n, "" // exact, even beyond float64's 2^53
	}
	intRange := errors.Is(err, strconv.ErrRange) // an integer, too long
	// raw is one valid JSON value, so ParseFloat fails only on a string,
	// a boolean, an object or an array, and says ErrRange past ±MaxFloat64.
	f, err := strconv.ParseFloat(s, 64)
	shown := s
	if len(shown) > 40 {
		n := 40
		for !utf8.ValidString(shown[:n]) {
			n-- // not in the middle of a character
		}
		shown = shown[:n] + "…"
	}
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, fmt.Sprintf("occurredAt must be a number of epoch seconds, not %s.", shown)
	case intRange || math.IsInf(f, 0) || f >= 0x1p63 || f < -0x1p63:
		return 0, fmt.Sprintf("occurredAt %s is out of range (epoch seconds expected).", shown)
	case f != math.Trunc(f):
		return 0, fmt.Sprintf("occurredAt must be a whole number of epoch seconds, not %s.", shown)
	}
	return int64(f), ""
}

// pageLimit reads limit (default and maximum 100; more is a 400).
func pageLimit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, badRequest("limit must be a positive integer.")
	}
	if n > 100 {
		return 0, badRequest("limit must be at most 100.")
	}
	return n, nil
}

func (b *Backend) listCheckMonitors(w http.ResponseWriter, r *http.Request) error {
	limit, err := pageLimit(r)
	if err != nil {
		return err
	}
	list, next, err := b.store.ListCheckMonitors(r.Context(), r.URL.Query().Get("nextId"), limit)
	if err != nil {
		return err
	}
	out := make([]client.CheckMonitor, len(list))
	for i, m := range list {
		out[i] = client.CheckMonitor{ID: m.ID, Name: m.Name}
	}
	writePage(w, "checks", out, next)
	return nil
}

func (b *Backend) getCheckMonitor(w http.ResponseWriter, r *http.Request) error {
	m, err := b.store.GetCheckMonitor(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"check": client.CheckMonitor{ID: m.ID, Name: m.Name}})
	return nil
}

// monitoredStatusJSON is not client.MonitoredStatus: the API always sends
// detail.message, even empty, where the client's type omits it.
type monitoredStatusJSON struct {
	MonitorID string           `json:"monitorId"`
	Status    string           `json:"status"`
	Detail    *checkDetailJSON `json:"detail,omitempty"`
}

type checkDetailJSON struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Memo    string `json:"memo,omitempty"`
}

func (b *Backend) hostMonitoredStatuses(w http.ResponseWriter, r *http.Request) error {
	list, err := b.store.MonitoredStatuses(r.Context(), r.PathValue("hostId"))
	if err != nil {
		return err
	}
	watching, err := b.engine.HostMonitorStatuses(r.Context(), r.PathValue("hostId"))
	if err != nil {
		return err
	}
	out := make([]monitoredStatusJSON, 0, len(watching)+len(list))
	for _, m := range watching {
		out = append(out, monitoredStatusJSON{MonitorID: m.MonitorID, Status: m.Status})
	}
	for _, m := range list {
		out = append(out, monitoredStatusJSON{MonitorID: m.MonitorID, Status: m.Status,
			Detail: &checkDetailJSON{Type: "check", Message: m.Message, Memo: m.Memo}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"monitoredStatuses": out})
	return nil
}
