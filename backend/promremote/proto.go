// Package promremote is Prometheus remote write 1.0 and remote read
// (samples) for the backend: the protobuf messages, read and written with
// protowire (the prompb package would bring the whole Prometheus module
// along), the snappy bodies, and the rules that map a Prometheus series
// to a Mackerel host or service metric (mapping.go).
package promremote

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// Label is one label of a series; __name__ carries the metric name.
type Label struct {
	Name, Value string
}

// Sample is one value at a time in milliseconds since the epoch.
type Sample struct {
	Value     float64
	Timestamp int64
}

// TimeSeries is a series with its samples, as remote write sends it.
type TimeSeries struct {
	Labels  []Label
	Samples []Sample
	// Histograms counts the native histogram samples the series carried;
	// they have no Mackerel equivalent and are not decoded.
	Histograms int
}

// staleNaN is the bit pattern Prometheus writes as a sample's value to
// mark a series as gone (a staleness marker). It is a NaN, but not the
// NaN a computation yields, so it is compared by bits.
const staleNaN uint64 = 0x7ff0000000000002

// IsStale reports whether v is Prometheus' staleness marker.
func IsStale(v float64) bool { return math.Float64bits(v) == staleNaN }

// StaleNaN returns the staleness marker (for tests and senders).
func StaleNaN() float64 { return math.Float64frombits(staleNaN) }

// Field numbers of prometheus/prompb's types.proto and remote.proto.
const (
	fieldWriteTimeseries = 1 // WriteRequest.timeseries
	fieldSeriesLabels    = 1 // TimeSeries.labels
	fieldSeriesSamples   = 2 // TimeSeries.samples
	fieldSeriesHisto     = 4 // TimeSeries.histograms
	fieldLabelName       = 1
	fieldLabelValue      = 2
	fieldSampleValue     = 1
	fieldSampleTime      = 2
)

// fieldIter walks the fields of one protobuf message.
type fieldIter struct {
	b   []byte
	num protowire.Number
	typ protowire.Type
	err error
}

// next advances to the next field; false at the end or on an error (err).
func (it *fieldIter) next() bool {
	if len(it.b) == 0 || it.err != nil {
		return false
	}
	num, typ, n := protowire.ConsumeTag(it.b)
	if n < 0 {
		it.err = protowire.ParseError(n)
		return false
	}
	it.num, it.typ, it.b = num, typ, it.b[n:]
	return true
}

// bytes consumes a length-delimited field's payload.
func (it *fieldIter) bytes() []byte {
	if it.typ != protowire.BytesType {
		it.err = fmt.Errorf("field %d: wire type %d, want length-delimited", it.num, it.typ)
		return nil
	}
	v, n := protowire.ConsumeBytes(it.b)
	if n < 0 {
		it.err = protowire.ParseError(n)
		return nil
	}
	it.b = it.b[n:]
	return v
}

// varint consumes a varint field.
func (it *fieldIter) varint() uint64 {
	if it.typ != protowire.VarintType {
		it.err = fmt.Errorf("field %d: wire type %d, want varint", it.num, it.typ)
		return 0
	}
	v, n := protowire.ConsumeVarint(it.b)
	if n < 0 {
		it.err = protowire.ParseError(n)
		return 0
	}
	it.b = it.b[n:]
	return v
}

// double consumes a 64-bit field.
func (it *fieldIter) double() float64 {
	if it.typ != protowire.Fixed64Type {
		it.err = fmt.Errorf("field %d: wire type %d, want fixed64", it.num, it.typ)
		return 0
	}
	v, n := protowire.ConsumeFixed64(it.b)
	if n < 0 {
		it.err = protowire.ParseError(n)
		return 0
	}
	it.b = it.b[n:]
	return math.Float64frombits(v)
}

// skip consumes a field this package does not read (metadata, exemplars,
// fields added by later versions), as protobuf readers must.
func (it *fieldIter) skip() {
	n := protowire.ConsumeFieldValue(it.num, it.typ, it.b)
	if n < 0 {
		it.err = protowire.ParseError(n)
		return
	}
	it.b = it.b[n:]
}

// UnmarshalWriteRequest decodes a WriteRequest's series. Strings are
// copied out of b, so b may be reused.
func UnmarshalWriteRequest(b []byte) ([]TimeSeries, error) {
	var out []TimeSeries
	it := fieldIter{b: b}
	for it.next() {
		if it.num != fieldWriteTimeseries {
			it.skip()
			continue
		}
		msg := it.bytes()
		if it.err != nil {
			break
		}
		ts, err := unmarshalSeries(msg)
		if err != nil {
			return nil, fmt.Errorf("series %d: %w", len(out), err)
		}
		out = append(out, ts)
	}
	if it.err != nil {
		return nil, it.err
	}
	return out, nil
}

func unmarshalSeries(b []byte) (TimeSeries, error) {
	var ts TimeSeries
	it := fieldIter{b: b}
	for it.next() {
		switch it.num {
		case fieldSeriesLabels:
			l, err := unmarshalLabel(it.bytes())
			if err != nil {
				return ts, err
			}
			ts.Labels = append(ts.Labels, l)
		case fieldSeriesSamples:
			s, err := unmarshalSample(it.bytes())
			if err != nil {
				return ts, err
			}
			ts.Samples = append(ts.Samples, s)
		case fieldSeriesHisto:
			it.bytes()
			ts.Histograms++
		default:
			it.skip()
		}
	}
	return ts, it.err
}

func unmarshalLabel(b []byte) (Label, error) {
	var l Label
	it := fieldIter{b: b}
	for it.next() {
		switch it.num {
		case fieldLabelName:
			l.Name = string(it.bytes())
		case fieldLabelValue:
			l.Value = string(it.bytes())
		default:
			it.skip()
		}
	}
	return l, it.err
}

func unmarshalSample(b []byte) (Sample, error) {
	var s Sample
	it := fieldIter{b: b}
	for it.next() {
		switch it.num {
		case fieldSampleValue:
			s.Value = it.double()
		case fieldSampleTime:
			s.Timestamp = int64(it.varint())
		default:
			it.skip()
		}
	}
	return s, it.err
}

// AppendWriteRequest appends the WriteRequest of series to b: what a
// Prometheus server sends, before snappy.
func AppendWriteRequest(b []byte, series []TimeSeries) []byte {
	for _, ts := range series {
		b = protowire.AppendTag(b, fieldWriteTimeseries, protowire.BytesType)
		b = protowire.AppendBytes(b, appendSeries(nil, ts))
	}
	return b
}

func appendSeries(b []byte, ts TimeSeries) []byte {
	for _, l := range ts.Labels {
		var lb []byte
		lb = protowire.AppendTag(lb, fieldLabelName, protowire.BytesType)
		lb = protowire.AppendString(lb, l.Name)
		lb = protowire.AppendTag(lb, fieldLabelValue, protowire.BytesType)
		lb = protowire.AppendString(lb, l.Value)
		b = protowire.AppendTag(b, fieldSeriesLabels, protowire.BytesType)
		b = protowire.AppendBytes(b, lb)
	}
	for _, s := range ts.Samples {
		var sb []byte
		sb = protowire.AppendTag(sb, fieldSampleValue, protowire.Fixed64Type)
		sb = protowire.AppendFixed64(sb, math.Float64bits(s.Value))
		sb = protowire.AppendTag(sb, fieldSampleTime, protowire.VarintType)
		sb = protowire.AppendVarint(sb, uint64(s.Timestamp))
		b = protowire.AppendTag(b, fieldSeriesSamples, protowire.BytesType)
		b = protowire.AppendBytes(b, sb)
	}
	return b
}
