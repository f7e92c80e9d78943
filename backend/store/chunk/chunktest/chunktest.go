// Package chunktest generates deterministic time series of realistic
// shapes, for tests and benchmarks of the time-series store (its sealed
// blocks, reads and rollups).
//
// Series i has the shape ShapeOf(i); the mix over every 20 consecutive
// series follows what a host's mackerel-agent posts plus a few service
// metrics:
//
//	2  Constant      memory.total, filesystem size: one integer all year
//	3  MemoryBytes   memory used/cached: bytes in whole KiB, a random walk on a daily cycle
//	4  CPUPercent    cpu.*.percentage: busy/total jiffies × 100, full-precision floats
//	3  LoadAverage   loadavg1/5/15: two decimals, as /proc/loadavg prints them
//	2  Counter       a running total (requests served): integers, never decreasing
//	3  PerMinute     interface/disk bytes per minute: integers, noisy, daily cycle
//	1  Sparse        errors per minute: mostly 0, now and then a few
//	1  Percent       filesystem use: one decimal, creeping up
//	1  ResponseTime  a service's latency in ms: two decimals, noisy
//
// Every series posts once a minute at its own second of the minute, and
// on some days the agent misbehaves as real ones do: 4% of days lose a
// stretch of 5 minutes to 3 hours, 2% of days have an hour of sub-minute
// points (every 10 seconds), and one post in 200 arrives a second late.
//
// Everything is a pure function of (series, day), so any day can be made
// alone (Day) and a sample of days stands for the year.
package chunktest

import (
	"math"
	"math/rand/v2"

	"github.com/mkr-dev/mkr/backend/store"
)

// Shape is the kind of metric a series is.
type Shape int

const (
	Constant Shape = iota
	MemoryBytes
	CPUPercent
	LoadAverage
	Counter
	PerMinute
	Sparse
	Percent
	ResponseTime
)

var shapeNames = [...]string{"constant", "memory-bytes", "cpu-percent", "load-average", "counter", "per-minute", "sparse", "percent", "response-time"}

func (s Shape) String() string { return shapeNames[s] }

// Shapes lists every shape, for per-shape reports.
var Shapes = []Shape{Constant, MemoryBytes, CPUPercent, LoadAverage, Counter, PerMinute, Sparse, Percent, ResponseTime}

var mix = [20]Shape{
	Constant, Constant,
	MemoryBytes, MemoryBytes, MemoryBytes,
	CPUPercent, CPUPercent, CPUPercent, CPUPercent,
	LoadAverage, LoadAverage, LoadAverage,
	Counter, Counter,
	PerMinute, PerMinute, PerMinute,
	Sparse, Percent, ResponseTime,
}

// ShapeOf returns the shape of series i.
func ShapeOf(series int) Shape { return mix[series%len(mix)] }

// DaysPerYear is how many days Year generates.
const DaysPerYear = 365

// Year returns a year (DaysPerYear days) of series' points from start
// (epoch seconds; a UTC midnight gives one sealed block per Day).
func Year(series int, start int64) []store.Point {
	points := make([]store.Point, 0, DaysPerYear*1440)
	for day := range DaysPerYear {
		points = append(points, Day(series, day, start)...)
	}
	return points
}

// Day returns the series' points of day day, the ones with
// start + day×86400 <= time < start + (day+1)×86400, oldest first.
func Day(series, day int, start int64) []store.Point {
	r := rand.New(rand.NewPCG(uint64(series), uint64(day)))
	next := newValues(ShapeOf(series), series, day, r)

	gapFrom, gapTo := -1, -1
	if r.IntN(100) < 4 {
		length := 5 + r.IntN(176)
		gapFrom = r.IntN(1440 - length)
		gapTo = gapFrom + length
	}
	burstFrom := -1
	if r.IntN(100) < 2 {
		burstFrom = r.IntN(1440 - 60)
	}
	second := int64(series * 7 % 59) // the agent's own second; +1 for a late post stays in the minute
	dayStart := start + int64(day)*86400

	points := make([]store.Point, 0, 1440)
	for minute := range 1440 {
		if minute >= gapFrom && minute < gapTo {
			continue
		}
		t := dayStart + int64(minute)*60 + second
		at := float64(minute) / 1440
		if burstFrom >= 0 && minute >= burstFrom && minute < burstFrom+60 {
			for k := range int64(6) {
				points = append(points, store.Point{Time: t + 10*k, Value: next(at, 1.0/6)})
			}
			continue
		}
		if r.IntN(200) == 0 {
			t++
		}
		points = append(points, store.Point{Time: t, Value: next(at, 1)})
	}
	return points
}

// values returns a series' next value at a time of day (0 to 1) after
// step minutes.
type values func(at, step float64) float64

func newValues(shape Shape, series, day int, r *rand.Rand) values {
	// season is a slow drift over the year, different per series.
	season := math.Sin(2*math.Pi*float64(day)/365 + float64(series))
	daily := func(at float64) float64 { return math.Sin(2 * math.Pi * (at - 0.3)) }
	cpus := float64(int(1) << (series % 4))
	switch shape {
	case Constant:
		return func(float64, float64) float64 { return float64((series%16 + 1) << 31) }
	case MemoryBytes:
		base := float64((series%8 + 1) << 20) // KiB
		level := base * (0.5 + 0.1*season)
		walk := 0.0
		return func(at, step float64) float64 {
			walk += float64(r.IntN(4097)-2048) * step
			return float64(int64(level+0.1*base*daily(at)+walk)) * 1024
		}
	case CPUPercent:
		return func(at, step float64) float64 {
			total := math.Round(6000*cpus*step) + float64(r.IntN(5)-2)
			busy := math.Round(total * min(1, max(0, 0.2+0.1*season+0.12*daily(at)+0.03*r.NormFloat64())))
			return busy * 100 / total
		}
	case LoadAverage:
		keep := [3]float64{0.37, 0.82, 0.94}[series%3] // loadavg1, 5, 15 per minute
		load := cpus * (0.3 + 0.1*season)
		return func(at, step float64) float64 {
			running := cpus * max(0, 0.3+0.2*daily(at)+0.15*r.NormFloat64())
			k := math.Pow(keep, step)
			load = load*k + running*(1-k)
			return math.Round(load*100) / 100
		}
	case Counter:
		rate := float64(int(50) << (series % 6)) // per minute
		// A day adds at most 1.8 × rate × 1440, so each day starts above
		// where the previous one can end.
		total := float64(series)*1e6 + float64(day)*3*rate*1440
		return func(at, step float64) float64 {
			total += math.Floor(rate * step * (1 + 0.5*daily(at)) * (0.8 + 0.4*r.Float64()))
			return total
		}
	case PerMinute:
		mean := math.Pow(10, float64(4+series%4)) * (1 + 0.2*season)
		return func(at, step float64) float64 {
			return math.Round(mean * step * (1 + 0.6*daily(at)) * math.Exp(0.3*r.NormFloat64()))
		}
	case Sparse:
		return func(float64, float64) float64 {
			if r.IntN(50) == 0 {
				return float64(1 + r.IntN(20))
			}
			return 0
		}
	case Percent:
		tenths := float64(200 + series%500 + day/2)
		return func(float64, float64) float64 {
			if r.IntN(100) == 0 {
				tenths++
			}
			return tenths / 10
		}
	default: // ResponseTime
		return func(at, step float64) float64 {
			ms := (80 + 30*daily(at)) * math.Exp(0.25*r.NormFloat64())
			return math.Round(ms*100) / 100
		}
	}
}
