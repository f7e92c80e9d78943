package chunktest

import (
	"math"
	"slices"
	"testing"
)

const start = 1704067200 // 2024-01-01T00:00:00Z

func TestDayIsDeterministicAndInsideItsDay(t *testing.T) {
	for series := range 40 {
		for _, day := range []int{0, 1, 200, 459} {
			a, b := Day(series, day, start), Day(series, day, start)
			if !slices.Equal(a, b) {
				t.Fatalf("series %d day %d: two calls differ", series, day)
			}
			if len(a) < 1440-180 || len(a) > 1440+300 {
				t.Errorf("series %d day %d: %d points", series, day, len(a))
			}
			lo, hi := int64(start+day*86400), int64(start+(day+1)*86400)
			for i, p := range a {
				if p.Time < lo || p.Time >= hi || i > 0 && p.Time <= a[i-1].Time {
					t.Fatalf("series %d day %d: point %d at %d, outside [%d, %d) or not after the previous", series, day, i, p.Time, lo, hi)
				}
				if math.IsNaN(p.Value) || math.IsInf(p.Value, 0) || p.Value < 0 {
					t.Fatalf("series %d day %d: point %d is %v", series, day, i, p.Value)
				}
			}
		}
	}
}

func TestCounterNeverDecreasesOverAYear(t *testing.T) {
	for series := range 20 {
		if ShapeOf(series) != Counter {
			continue
		}
		ps := Year(series, start)
		for i := 1; i < len(ps); i++ {
			if ps[i].Value < ps[i-1].Value {
				t.Fatalf("series %d: %v after %v at %d", series, ps[i].Value, ps[i-1].Value, ps[i].Time)
			}
		}
	}
}

func TestMixHasEveryShapeAndIrregularDays(t *testing.T) {
	count := map[Shape]int{}
	for series := range 20 {
		count[ShapeOf(series)]++
	}
	for _, s := range Shapes {
		if count[s] == 0 {
			t.Errorf("no series of shape %v", s)
		}
	}
	var gaps, bursts, late int
	for day := range 365 {
		ps := Day(3, day, start)
		for i := 1; i < len(ps); i++ {
			switch d := ps[i].Time - ps[i-1].Time; {
			case d > 61:
				gaps++
			case d == 10:
				bursts++
			case d == 61:
				late++
			}
		}
	}
	if gaps == 0 || bursts == 0 || late == 0 {
		t.Errorf("a year of series 3 has %d gaps, %d burst steps, %d late posts; want some of each", gaps, bursts, late)
	}
}

// The irregular days are as rare as the package doc says: 4% with a gap,
// 2% with a burst (over 20 series × 365 days, within a factor of two).
func TestIrregularDaysAreRare(t *testing.T) {
	var days, gapDays, burstDays int
	for series := range 20 {
		for day := range 365 {
			ps := Day(series, day, start)
			days++
			var gap, burst bool
			for i := 1; i < len(ps); i++ {
				d := ps[i].Time - ps[i-1].Time
				gap = gap || d > 61
				burst = burst || d < 59
			}
			if gap {
				gapDays++
			}
			if burst {
				burstDays++
			}
		}
	}
	if p := 100 * float64(gapDays) / float64(days); p < 2 || p > 8 {
		t.Errorf("%.1f%% of days have a gap, want about 4%%", p)
	}
	if p := 100 * float64(burstDays) / float64(days); p < 1 || p > 4 {
		t.Errorf("%.1f%% of days have sub-minute points, want about 2%%", p)
	}
}
