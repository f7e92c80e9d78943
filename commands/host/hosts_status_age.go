package host

import (
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// hostAgeView is the default host JSON with how long the host has been in
// its status (--status-age). Both keys are left out for a host whose API
// does not say when its status changed (the hosted API does not).
type hostAgeView struct {
	hostView
	StatusChangedAt string `json:"statusChangedAt,omitempty"`
	StatusAge       string `json:"statusAge,omitempty"`
}

// statusAge is how long h has been in its status at now, and false when
// the API did not say.
func statusAge(h *client.Host, now time.Time) (time.Duration, bool) {
	if h.StatusChangedAt == 0 {
		return 0, false
	}
	return now.Sub(time.Unix(h.StatusChangedAt, 0)), true
}

func hostAgeViews(hosts []*client.Host, loc *time.Location, now time.Time) []hostAgeView {
	out := make([]hostAgeView, len(hosts))
	for i, h := range hosts {
		out[i] = hostAgeView{hostView: newHostView(h, loc)}
		if age, ok := statusAge(h, now); ok {
			out[i].StatusChangedAt = cmdutil.ISO8601(time.Unix(h.StatusChangedAt, 0).In(loc))
			out[i].StatusAge = cmdutil.FormatAge(age)
		}
	}
	return out
}

// hostsAgeTable is the hosts table with a "status age" column after the
// status ("-" when unknown).
func hostsAgeTable(hosts []*client.Host, loc *time.Location, now time.Time) *cmdutil.Table {
	t := hostsTable(hosts, loc)
	const after = 2 // the status column
	t.Header = insertAt(t.Header, after+1, "status age")
	for i, h := range hosts {
		age := "-"
		if d, ok := statusAge(h, now); ok {
			age = cmdutil.FormatAge(d)
		}
		t.Rows[i] = insertAt(t.Rows[i], after+1, age)
	}
	return t
}

func insertAt(row []string, i int, v string) []string {
	out := make([]string, 0, len(row)+1)
	out = append(out, row[:i]...)
	out = append(out, v)
	return append(out, row[i:]...)
}
