package chunk

import (
	"encoding/binary"
	"flag"
	"fmt"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/chunk/chunktest"
)

// The benchmarks measure the sealed tier over chunktest's mix of shapes.
// By default BenchmarkBytesPerPoint samples 5 days a series (days
// (37×series + 73×k) mod 365 for k = 0..4: every series, days spread
// over the year and differing between series); -chunk.fullyear codes all
// 365 days of the 1,000 series (about a minute).
var fullYear = flag.Bool("chunk.fullyear", false, "BenchmarkBytesPerPoint codes every day of the year, not a sample")

const (
	benchSeries = 1000
	benchStart  = 1704067200 // 2024-01-01T00:00:00Z
)

type encoder struct {
	name   string
	encode func([]store.Point) []byte
}

var encoders = []encoder{
	{"compressed", func(ps []store.Point) []byte { b, _ := Encode(ps); return b }},
	{"xor-only", encodeXOROnly},
	{"plain", encodePlain},
}

// encodeXOROnly is the compressed block with every value XOR-coded:
// what Gorilla's coding alone would give, to show the decimal coding's part.
func encodeXOROnly(ps []store.Point) []byte {
	b := binary.AppendUvarint([]byte{versionCompact}, uint64(len(ps)))
	if len(ps) == 0 {
		return b
	}
	return appendXOR(append(appendTimes(b, ps), codecXOR), ps)
}

func sampleDays(series int) []int {
	if *fullYear {
		days := make([]int, chunktest.DaysPerYear)
		for d := range days {
			days[d] = d
		}
		return days
	}
	days := make([]int, 5)
	for k := range days {
		days[k] = (37*series + 73*k) % chunktest.DaysPerYear
	}
	return days
}

// BenchmarkBytesPerPoint reports the bytes per point of a year of one-minute
// data of 1,000 series, one block per series and day. Its ns/op is mostly
// generating the data, not a speed figure.
func BenchmarkBytesPerPoint(b *testing.B) {
	for _, e := range encoders {
		b.Run(e.name, func(b *testing.B) {
			var bytes, points int
			for b.Loop() {
				bytes, points = 0, 0
				for series := range benchSeries {
					for _, day := range sampleDays(series) {
						ps := chunktest.Day(series, day, benchStart)
						bytes += len(e.encode(ps))
						points += len(ps)
					}
				}
			}
			b.ReportMetric(float64(bytes)/float64(points), "bytes/point")
		})
	}
}

// BenchmarkBytesPerPointByShape is the same per shape (the series of that
// shape among the first 100, 5 sampled days each).
func BenchmarkBytesPerPointByShape(b *testing.B) {
	for _, shape := range chunktest.Shapes {
		for _, e := range encoders[:2] {
			b.Run(fmt.Sprintf("%v/%s", shape, e.name), func(b *testing.B) {
				var bytes, points int
				for b.Loop() {
					bytes, points = 0, 0
					for series := range 100 {
						if chunktest.ShapeOf(series) != shape {
							continue
						}
						for _, day := range sampleDays(series)[:5] {
							ps := chunktest.Day(series, day, benchStart)
							bytes += len(e.encode(ps))
							points += len(ps)
						}
					}
				}
				b.ReportMetric(float64(bytes)/float64(points), "bytes/point")
			})
		}
	}
}

// reportPerPoint reports the wall and CPU nanoseconds per point of the
// loop that started when the process had used cpu.
func reportPerPoint(b *testing.B, cpu time.Duration, points int) {
	n := float64(b.N * points)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/point")
	if now := cpuTime(); now > 0 {
		b.ReportMetric(float64(now-cpu)/n, "cpu-ns/point")
	}
}

// speedBlocks is one day of each of the mix's 20 positions, 5 days each.
func speedBlocks() (blocks [][]store.Point, points int) {
	for series := range 20 {
		for day := range 5 {
			ps := chunktest.Day(series, day*71, benchStart)
			blocks = append(blocks, ps)
			points += len(ps)
		}
	}
	return blocks, points
}

func BenchmarkEncode(b *testing.B) {
	blocks, points := speedBlocks()
	for _, e := range encoders {
		b.Run(e.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				for _, ps := range blocks {
					e.encode(ps)
				}
			}
			reportPerPoint(b, cpu, points)
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	blocks, points := speedBlocks()
	for _, e := range encoders {
		encoded := make([][]byte, len(blocks))
		for i, ps := range blocks {
			encoded[i] = e.encode(ps)
		}
		b.Run(e.name, func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				for _, blk := range encoded {
					if _, err := Decode(blk); err != nil {
						b.Fatal(err)
					}
				}
			}
			reportPerPoint(b, cpu, points)
		})
	}
}

// BenchmarkDecode460Days decodes the 460 day-blocks of one series into one
// slice (DecodeAppend), as a read of the whole retention does: a decimal series (load
// average) and an XOR one (CPU percentage). ns/op is the whole range.
func BenchmarkDecode460Days(b *testing.B) {
	for _, series := range []int{9, 5} {
		for _, e := range encoders {
			var encoded [][]byte
			points := 0
			for day := range 460 {
				ps := chunktest.Day(series, day, benchStart)
				encoded = append(encoded, e.encode(ps))
				points += len(ps)
			}
			b.Run(fmt.Sprintf("%v/%s", chunktest.ShapeOf(series), e.name), func(b *testing.B) {
				all := make([]store.Point, 0, points)
				cpu := cpuTime()
				for b.Loop() {
					all = all[:0]
					for _, blk := range encoded {
						var err error
						if all, err = DecodeAppend(all, blk); err != nil {
							b.Fatal(err)
						}
					}
				}
				reportPerPoint(b, cpu, points)
			})
		}
	}
}
