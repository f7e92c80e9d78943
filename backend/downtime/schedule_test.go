package downtime_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, wherever the tests run

	"github.com/mkr-dev/mkr/backend/downtime"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at parses a wall-clock time in loc.
func at(t testing.TB, loc *time.Location, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestActiveAtCalendar pins the documented calendar rules with named
// cases: each probe is a wall-clock time and whether the downtime is in
// force then.
func TestActiveAtCalendar(t *testing.T) {
	tokyo := mustLoad(t, "Asia/Tokyo")
	ny := mustLoad(t, "America/New_York")
	type probe struct {
		at     string
		active bool
	}
	tests := []struct {
		name     string
		loc      *time.Location
		start    string
		duration int64
		rec      *downtime.Recurrence
		until    string
		probes   []probe
	}{
		{"one-off", tokyo, "2026-03-10 09:00", 60, nil, "", []probe{
			{"2026-03-10 08:59", false}, {"2026-03-10 09:00", true}, {"2026-03-10 09:59", true},
			{"2026-03-10 10:00", false}, {"2026-03-11 09:30", false},
		}},
		{"hourly every 3 hours", tokyo, "2026-03-10 09:15", 10, &downtime.Recurrence{Type: "hourly", Interval: 3}, "", []probe{
			{"2026-03-10 09:20", true}, {"2026-03-10 10:20", false}, {"2026-03-10 12:15", true},
			{"2026-03-10 12:25", false}, {"2026-04-01 00:15", true}, {"2026-04-01 01:15", false},
		}},
		{"daily every 2 days", tokyo, "2026-03-10 23:30", 60, &downtime.Recurrence{Type: "daily", Interval: 2}, "", []probe{
			{"2026-03-11 00:15", true}, {"2026-03-11 23:45", false}, {"2026-03-12 23:45", true},
			{"2026-03-13 00:29", true}, {"2026-03-13 00:30", false}, {"2027-03-10 23:30", false}, {"2027-03-11 23:30", true},
		}},
		{"weekly on listed days", tokyo, "2026-03-10 02:00", 120, &downtime.Recurrence{Type: "weekly", Interval: 1, Weekdays: []string{"Monday", "Thursday"}}, "", []probe{
			// 2026-03-10 is a Tuesday: not listed, so start itself is no occurrence.
			{"2026-03-10 02:30", false}, {"2026-03-12 02:30", true}, {"2026-03-16 03:59", true},
			{"2026-03-16 04:00", false}, {"2026-03-17 02:30", false}, {"2026-03-09 02:30", false},
		}},
		{"weekly defaults to start's weekday", tokyo, "2026-03-10 02:00", 60, &downtime.Recurrence{Type: "weekly", Interval: 1}, "", []probe{
			{"2026-03-10 02:30", true}, {"2026-03-17 02:30", true}, {"2026-03-16 02:30", false},
		}},
		{"fortnightly weeks start on Monday", tokyo, "2026-03-14 10:00", 60, &downtime.Recurrence{Type: "weekly", Interval: 2, Weekdays: []string{"Saturday", "Sunday", "Monday"}}, "", []probe{
			// Start's week is Mon 9 – Sun 15 March: Sat 14 and Sun 15 count, Mon 9 is before start.
			{"2026-03-09 10:30", false}, {"2026-03-14 10:30", true}, {"2026-03-15 10:30", true},
			{"2026-03-16 10:30", false}, {"2026-03-21 10:30", false}, {"2026-03-22 10:30", false},
			{"2026-03-23 10:30", true}, {"2026-03-28 10:30", true}, {"2026-03-29 10:30", true}, {"2026-03-30 10:30", false},
		}},
		{"weekly occurrences may overlap", tokyo, "2026-03-09 12:00", 2 * 24 * 60, &downtime.Recurrence{Type: "weekly", Interval: 1, Weekdays: []string{"Monday", "Tuesday"}}, "", []probe{
			{"2026-03-11 11:59", true}, {"2026-03-12 11:59", true}, {"2026-03-12 12:00", false},
		}},
		{"monthly on the 31st falls back to the month's last day", tokyo, "2026-01-31 22:00", 180, &downtime.Recurrence{Type: "monthly", Interval: 1}, "", []probe{
			{"2026-02-28 23:00", true}, {"2026-03-01 00:59", true}, {"2026-03-01 01:00", false},
			{"2026-03-30 23:00", false}, {"2026-03-31 23:00", true}, {"2026-04-30 23:00", true},
			{"2026-05-30 23:00", false}, {"2026-05-31 23:00", true}, {"2028-02-29 23:00", true}, {"2028-02-28 23:00", false},
		}},
		{"monthly every 3 months on the 30th", tokyo, "2026-11-30 00:00", 60, &downtime.Recurrence{Type: "monthly", Interval: 3}, "", []probe{
			{"2026-11-30 00:30", true}, {"2026-12-30 00:30", false}, {"2027-02-28 00:30", true},
			{"2027-03-30 00:30", false}, {"2027-05-30 00:30", true},
		}},
		{"yearly on 29 February", tokyo, "2028-02-29 06:00", 60, &downtime.Recurrence{Type: "yearly", Interval: 1}, "", []probe{
			{"2028-02-29 06:30", true}, {"2029-02-28 06:30", true}, {"2029-03-01 06:30", false}, {"2032-02-29 06:30", true}, {"2032-02-28 06:30", false},
		}},
		{"until: an occurrence started before it runs in full", tokyo, "2026-03-10 09:00", 120, &downtime.Recurrence{Type: "daily", Interval: 1}, "2026-03-12 10:00", []probe{
			{"2026-03-12 10:30", true}, {"2026-03-12 11:00", false}, {"2026-03-13 09:30", false},
		}},
		{"until: none starts at it", tokyo, "2026-03-10 09:00", 120, &downtime.Recurrence{Type: "daily", Interval: 1}, "2026-03-12 09:00", []probe{
			{"2026-03-11 09:30", true}, {"2026-03-12 09:30", false},
		}},
		{"daily keeps the wall clock across DST", ny, "2026-03-07 09:00", 60, &downtime.Recurrence{Type: "daily", Interval: 1}, "", []probe{
			{"2026-03-08 09:30", true}, {"2026-03-09 09:30", true}, {"2026-03-09 08:30", false}, {"2026-11-02 09:30", true},
		}},
		{"hourly keeps the spacing across DST", ny, "2026-03-08 00:00", 30, &downtime.Recurrence{Type: "hourly", Interval: 2}, "", []probe{
			// 02:00 does not exist on 2026-03-08: 00:00 EST + 2 h is 03:00 EDT.
			{"2026-03-08 01:15", false}, {"2026-03-08 03:15", true}, {"2026-03-08 04:15", false}, {"2026-03-08 05:15", true},
		}},
		{"a start in the DST gap moves forward", ny, "2026-03-01 02:30", 30, &downtime.Recurrence{Type: "weekly", Interval: 1}, "", []probe{
			{"2026-03-08 03:45", true}, {"2026-03-08 04:00", false}, {"2026-03-15 02:45", true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &downtime.Downtime{Start: at(t, tt.loc, tt.start).Unix(), Duration: tt.duration, Recurrence: tt.rec}
			if tt.until != "" {
				d.Recurrence.Until = at(t, tt.loc, tt.until).Unix()
			}
			for _, p := range tt.probes {
				if got := d.ActiveAt(at(t, tt.loc, p.at), tt.loc); got != p.active {
					t.Errorf("ActiveAt(%s) = %v, want %v", p.at, got, p.active)
				}
			}
		})
	}
}

// TestWindow: the occurrence in force, else the next one, else none.
func TestWindow(t *testing.T) {
	tokyo := mustLoad(t, "Asia/Tokyo")
	d := &downtime.Downtime{Start: at(t, tokyo, "2026-01-31 22:00").Unix(), Duration: 60,
		Recurrence: &downtime.Recurrence{Type: "monthly", Interval: 1, Until: at(t, tokyo, "2026-04-01 00:00").Unix()}}
	tests := []struct{ at, start, end string }{
		{"2026-01-01 00:00", "2026-01-31 22:00", "2026-01-31 23:00"},
		{"2026-01-31 22:30", "2026-01-31 22:00", "2026-01-31 23:00"},
		{"2026-01-31 23:00", "2026-02-28 22:00", "2026-02-28 23:00"},
		{"2026-03-05 00:00", "2026-03-31 22:00", "2026-03-31 23:00"},
		{"2026-03-31 23:00", "", ""},
	}
	for _, tt := range tests {
		s, e, ok := d.Window(at(t, tokyo, tt.at), tokyo)
		got := ""
		if ok {
			got = s.In(tokyo).Format("2006-01-02 15:04") + " " + e.In(tokyo).Format("2006-01-02 15:04")
		}
		if want := tt.start + " " + tt.end; tt.start == "" && got != "" || tt.start != "" && got != want {
			t.Errorf("Window(%s) = %q, want %q", tt.at, got, want)
		}
	}
	once := &downtime.Downtime{Start: at(t, tokyo, "2026-01-31 22:00").Unix(), Duration: 60}
	if _, _, ok := once.Window(at(t, tokyo, "2026-02-01 00:00"), tokyo); ok {
		t.Error("a past one-off downtime has a window")
	}
}

// TestActiveAtMatchesEnumeration compares ActiveAt and Window with a
// plain enumeration of occurrences, day by day, over random downtimes in
// zones with and without DST.
func TestActiveAtMatchesEnumeration(t *testing.T) {
	zones := []string{"UTC", "Asia/Tokyo", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo"}
	rng := rand.New(rand.NewPCG(9, 9))
	for i := range 150 {
		loc := mustLoad(t, zones[i%len(zones)])
		base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		d := &downtime.Downtime{
			Start:    base + rng.Int64N(3*365*86400)/60*60,
			Duration: 1 + rng.Int64N(3*24*60),
		}
		if i%3 == 0 {
			// 02:30 local: skipped on spring-forward days in most zones here.
			s := time.Unix(d.Start, 0).In(loc)
			d.Start = time.Date(s.Year(), s.Month(), s.Day(), 2, 30, 0, 0, loc).Unix()
			d.Duration = 1 + rng.Int64N(120)
		}
		if i%8 != 0 {
			r := &downtime.Recurrence{Type: downtime.RecurrenceTypes[rng.IntN(5)], Interval: 1 + rng.Int64N(4)}
			if r.Type == downtime.Weekly {
				for w := range 7 {
					if rng.IntN(3) == 0 {
						r.Weekdays = append(r.Weekdays, downtime.Weekdays[w])
					}
				}
			}
			if rng.IntN(3) == 0 {
				r.Until = d.Start + 1 + rng.Int64N(2*365*86400)
			}
			d.Recurrence = r
		}
		from := time.Unix(d.Start, 0).AddDate(0, 0, -10)
		starts := enumerate(d, loc, from.AddDate(3, 0, 0))
		var probes []time.Time
		for range 60 {
			probes = append(probes, from.Add(time.Duration(rng.Int64N(3*365*86400))*time.Second))
		}
		// And the edges of some occurrences, where off-by-ones and DST
		// gaps show.
		for range 10 {
			if len(starts) > 0 {
				s := starts[rng.IntN(len(starts))]
				e := s.Add(time.Duration(d.Duration) * time.Minute)
				probes = append(probes, s.Add(-time.Second), s, e.Add(-time.Second), e)
			}
		}
		for _, probe := range probes {
			want, next := false, time.Time{}
			for _, s := range starts {
				if !s.After(probe) && probe.Before(s.Add(time.Duration(d.Duration)*time.Minute)) {
					want = true
				}
				if s.After(probe) && next.IsZero() {
					next = s
				}
			}
			if got := d.ActiveAt(probe, loc); got != want {
				t.Fatalf("%s %+v %+v: ActiveAt(%s) = %v, want %v", loc, d, d.Recurrence, probe.In(loc), got, want)
			}
			if s, _, ok := d.Window(probe, loc); !want && !next.IsZero() && next.Before(from.AddDate(2, 0, 0)) && (!ok || !s.Equal(next)) {
				t.Fatalf("%s %+v %+v: Window(%s) = %s %v, want next %s", loc, d, d.Recurrence, probe.In(loc), s.In(loc), ok, next.In(loc))
			}
		}
	}
}

// enumerate lists the occurrence starts of d up to end, one calendar day
// at a time: an implementation of the rules that shares nothing with
// ActiveAt's arithmetic.
func enumerate(d *downtime.Downtime, loc *time.Location, end time.Time) []time.Time {
	first := time.Unix(d.Start, 0).In(loc)
	r := d.Recurrence
	if r == nil {
		return []time.Time{first}
	}
	var out []time.Time
	keep := func(s time.Time) {
		if !s.Before(first) && (r.Until == 0 || s.Unix() < r.Until) {
			out = append(out, s)
		}
	}
	if r.Type == downtime.Hourly {
		for s := first; s.Before(end); s = s.Add(time.Duration(r.Interval) * time.Hour) {
			keep(s)
		}
		return out
	}
	days := r.Weekdays
	if len(days) == 0 {
		days = []string{downtime.Weekdays[first.Weekday()]}
	}
	// The Monday of first's week, as a date.
	monday := time.Date(first.Year(), first.Month(), first.Day()-(int(first.Weekday())+6)%7, 12, 0, 0, 0, time.UTC)
	for day := 0; ; day++ {
		date := time.Date(first.Year(), first.Month(), first.Day()+day, 12, 0, 0, 0, time.UTC)
		if date.After(end) {
			return out
		}
		months := (date.Year()-first.Year())*12 + int(date.Month()-first.Month())
		lastDay := time.Date(date.Year(), date.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		due := false
		switch r.Type {
		case downtime.Daily:
			due = int64(day)%r.Interval == 0
		case downtime.Weekly:
			week := int64(date.Sub(monday).Hours()/24) / 7
			due = week%r.Interval == 0 && slices.Contains(days, downtime.Weekdays[date.Weekday()])
		case downtime.Monthly:
			due = int64(months)%r.Interval == 0 && date.Day() == min(first.Day(), lastDay)
		case downtime.Yearly:
			due = int64(date.Year()-first.Year())%r.Interval == 0 && date.Month() == first.Month() && date.Day() == min(first.Day(), lastDay)
		default:
			panic(fmt.Sprint("type ", r.Type))
		}
		if due {
			s := time.Date(date.Year(), date.Month(), date.Day(), first.Hour(), first.Minute(), first.Second(), 0, loc)
			// In a DST gap time.Date lands before the gap by as much as the
			// time was into it; the rule is as far after it.
			want := time.Duration(first.Hour())*time.Hour + time.Duration(first.Minute())*time.Minute
			got := time.Duration(s.Hour())*time.Hour + time.Duration(s.Minute())*time.Minute
			keep(s.Add(want - got))
		}
	}
}

// The far ends of what Validate allows: thousands of years of hourly
// occurrences, and one occurrence lasting until the year 9999.
func TestActiveAtFarFuture(t *testing.T) {
	hourly := &downtime.Downtime{Start: 3600, Duration: 30, Recurrence: &downtime.Recurrence{Type: "hourly", Interval: 1}}
	for _, tt := range []struct {
		at   time.Time
		want bool
	}{
		{time.Date(9000, 1, 1, 0, 10, 0, 0, time.UTC), true},
		{time.Date(9000, 1, 1, 0, 40, 0, 0, time.UTC), false},
	} {
		if got := hourly.ActiveAt(tt.at, time.UTC); got != tt.want {
			t.Errorf("hourly since 1970: ActiveAt(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
	long := &downtime.Downtime{Start: 1, Duration: (downtime.MaxEpoch - 1) / 60}
	if !long.ActiveAt(time.Date(5000, 1, 1, 0, 0, 0, 0, time.UTC), time.UTC) {
		t.Error("a downtime lasting until 9999 is not active in 5000")
	}
	if _, end, ok := long.Window(time.Unix(2, 0), time.UTC); !ok || end.Year() != 9999 {
		t.Errorf("its window ends %s (%v)", end, ok)
	}
}

func BenchmarkActiveAt(b *testing.B) {
	loc := mustLoad(b, "Asia/Tokyo")
	d := &downtime.Downtime{Start: 1_600_000_000, Duration: 90,
		Recurrence: &downtime.Recurrence{Type: "weekly", Interval: 2, Weekdays: []string{"Monday", "Wednesday", "Friday"}}}
	t := time.Unix(1_900_000_000, 0)
	for b.Loop() {
		d.ActiveAt(t, loc)
	}
}
