package downtime

import (
	"slices"
	"time"
)

// ActiveAt reports whether t falls inside an occurrence of d, with the
// recurrence computed in loc. It costs a few calendar computations
// whatever the number of past occurrences: the latest occurrence that
// starts at or before t is found arithmetically, and since every
// occurrence lasts the same time, it is also the one that ends last.
func (d *Downtime) ActiveAt(t time.Time, loc *time.Location) bool {
	s, ok := d.latestStart(t, loc)
	return ok && t.Before(d.end(s))
}

// Window returns the occurrence in force at t or, when there is none, the
// next one to start after t, as [start, end). ok is false when no
// occurrence is in force at t or later (the downtime is over). When
// occurrences overlap, end is that of the occurrence returned, not of the
// whole run.
func (d *Downtime) Window(t time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	if s, ok := d.latestStart(t, loc); ok && t.Before(d.end(s)) {
		return s, d.end(s), true
	}
	s, ok := d.nextStart(t, loc)
	if !ok {
		return time.Time{}, time.Time{}, false
	}
	return s, d.end(s), true
}

// end is when the occurrence starting at s ends. It counts in seconds, not
// time.Duration, which overflows after 292 years: Validate allows
// downtimes to last until the year 9999.
func (d *Downtime) end(s time.Time) time.Time {
	return time.Unix(s.Unix()+d.Duration*60, 0).In(s.Location())
}

// schedule is d's recurrence resolved in one location.
type schedule struct {
	first time.Time // Start in loc
	typ   string
	n     int64 // interval, ≥ 1
	until int64 // epoch seconds; 0: none
	days  []int // weekly: listed weekdays as offsets from Monday, sorted
}

func (d *Downtime) schedule(loc *time.Location) schedule {
	sc := schedule{first: time.Unix(d.Start, 0).In(loc)}
	r := d.Recurrence
	if r == nil {
		return sc
	}
	sc.typ, sc.n, sc.until = r.Type, max(r.Interval, 1), r.Until
	if sc.typ == Weekly {
		for _, name := range r.Weekdays {
			if wd, ok := weekday(name); ok {
				sc.days = append(sc.days, mondayOffset(wd))
			}
		}
		if len(sc.days) == 0 {
			sc.days = []int{mondayOffset(sc.first.Weekday())}
		}
		slices.Sort(sc.days)
		sc.days = slices.Compact(sc.days)
	}
	return sc
}

// latestStart returns the start of the latest occurrence at or before t.
func (d *Downtime) latestStart(t time.Time, loc *time.Location) (time.Time, bool) {
	sc := d.schedule(loc)
	if sc.until != 0 && t.Unix() >= sc.until {
		// Only occurrences starting before until exist.
		t = time.Unix(sc.until-1, 0)
	}
	t = t.In(loc)
	if t.Before(sc.first) {
		return time.Time{}, false
	}
	if sc.typ == "" {
		return sc.first, true
	}
	if sc.typ == Weekly {
		return sc.weeklyAtOrBefore(t)
	}
	k := floorDiv(sc.units(t), sc.n) * sc.n
	c := sc.at(k)
	if c.After(t) {
		if k -= sc.n; k < 0 {
			return time.Time{}, false
		}
		c = sc.at(k)
	}
	return c, true
}

// nextStart returns the start of the earliest occurrence after t.
func (d *Downtime) nextStart(t time.Time, loc *time.Location) (time.Time, bool) {
	sc := d.schedule(loc)
	t = t.In(loc)
	var c time.Time
	switch {
	case sc.typ == Weekly:
		c = sc.weeklyAfter(t)
	case t.Before(sc.first):
		c = sc.first
	case sc.typ == "":
		return time.Time{}, false
	default:
		k := floorDiv(sc.units(t), sc.n) * sc.n
		if c = sc.at(k); !c.After(t) {
			c = sc.at(k + sc.n)
		}
	}
	if sc.until != 0 && c.Unix() >= sc.until {
		return time.Time{}, false
	}
	return c, true
}

// units counts whole recurrence units (hours, days, months or years) from
// first's period to t's, in calendar terms.
func (sc schedule) units(t time.Time) int64 {
	switch sc.typ {
	case Hourly:
		return floorDiv(t.Unix()-sc.first.Unix(), 3600)
	case Daily:
		return dayNumber(t) - dayNumber(sc.first)
	case Monthly:
		return int64(t.Year()-sc.first.Year())*12 + int64(t.Month()-sc.first.Month())
	default: // Yearly
		return int64(t.Year() - sc.first.Year())
	}
}

// at returns the start of the occurrence k units after first.
func (sc schedule) at(k int64) time.Time {
	f := sc.first
	switch sc.typ {
	case Hourly:
		return time.Unix(f.Unix()+k*3600, 0).In(f.Location()) // k hours may overflow a time.Duration
	case Daily:
		return sc.onDay(k)
	case Monthly:
		y, m := f.Year(), int64(f.Month())-1+k
		y, m = y+int(floorDiv(m, 12)), m-floorDiv(m, 12)*12
		return sc.onDate(y, time.Month(m+1))
	default: // Yearly
		return sc.onDate(f.Year()+int(k), f.Month())
	}
}

// onDay returns first's time of day, days after first's date.
func (sc schedule) onDay(days int64) time.Time {
	f := sc.first
	return wallClock(f.Year(), f.Month(), f.Day()+int(days), f)
}

// onDate returns first's day of the month and time of day in year y,
// month m, the day clamped to the month's last.
func (sc schedule) onDate(y int, m time.Month) time.Time {
	f := sc.first
	return wallClock(y, m, min(f.Day(), daysIn(y, m)), f)
}

// wallClock returns the date y-m-d at clock's time of day in clock's
// location. A time of day that the date skips (a DST gap) is read with the
// offset in force before the gap, so it lands after the gap by as much as
// it was into it (02:30 becomes 03:30), as RFC 5545 has it; time.Date
// alone would move it back before the gap.
func wallClock(y int, m time.Month, d int, clock time.Time) time.Time {
	h, mi, s := clock.Clock()
	t := time.Date(y, m, d, h, mi, s, 0, clock.Location())
	if th, tmi, ts := t.Clock(); th == h && tmi == mi && ts == s {
		return t
	}
	_, before := t.Zone() // time.Date used the offset after the gap: t is before it
	return time.Date(y, m, d, h, mi, s, 0, time.UTC).Add(-time.Duration(before) * time.Second).In(clock.Location())
}

// weeklyAtOrBefore is latestStart for weekly recurrences: the latest listed
// day at or before t in the latest due week, else in the due week before.
func (sc schedule) weeklyAtOrBefore(t time.Time) (time.Time, bool) {
	w0 := weekStart(sc.first)
	k := floorDiv((weekStart(t)-w0)/7, sc.n) * sc.n
	// Two due weeks suffice: every listed day of the earlier one is before
	// t, and after first unless it is first's own week.
	for range 2 {
		if k < 0 {
			break
		}
		for i := len(sc.days) - 1; i >= 0; i-- {
			c := sc.onDay(w0 + 7*k + int64(sc.days[i]) - dayNumber(sc.first))
			if !c.After(t) && !c.Before(sc.first) {
				return c, true
			}
		}
		k -= sc.n
	}
	return time.Time{}, false
}

// weeklyAfter is nextStart for weekly recurrences: the first listed day
// after t (and not before first) in t's due week, else in the next one.
func (sc schedule) weeklyAfter(t time.Time) time.Time {
	w0 := weekStart(sc.first)
	k := max(floorDiv((weekStart(t)-w0)/7, sc.n)*sc.n, 0)
	// At most two due weeks: t's (or first's), whose listed days may all
	// be before t or first, then the next, whose days are after both.
	for ; ; k += sc.n {
		for _, off := range sc.days {
			c := sc.onDay(w0 + 7*k + int64(off) - dayNumber(sc.first))
			if c.After(t) && !c.Before(sc.first) {
				return c
			}
		}
	}
}

// dayNumber is the civil day of t's date (in t's location), counted from
// 1970-01-01.
func dayNumber(t time.Time) int64 {
	return floorDiv(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

// weekStart is the dayNumber of the Monday of t's week.
func weekStart(t time.Time) int64 { return dayNumber(t) - int64(mondayOffset(t.Weekday())) }

// mondayOffset counts days from Monday: Monday 0 … Sunday 6.
func mondayOffset(wd time.Weekday) int { return (int(wd) + 6) % 7 }

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// floorDiv divides rounding toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
