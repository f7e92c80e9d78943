package promremote

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

func TestWriteRequestRoundTrip(t *testing.T) {
	in := []TimeSeries{
		{
			Labels:  []Label{{"__name__", "up"}, {"instance", "localhost:9090"}, {"job", "prometheus"}},
			Samples: []Sample{{1, 1_700_000_000_123}, {0, 1_700_000_015_123}, {-2.5e300, 1}},
		},
		{Labels: []Label{{"__name__", "empty"}}}, // a series without samples
		{Labels: []Label{{"__name__", "stale"}}, Samples: []Sample{{StaleNaN(), 1_700_000_000_000}}},
	}
	out, err := UnmarshalWriteRequest(AppendWriteRequest(nil, in))
	if err != nil {
		t.Fatal(err)
	}
	if !IsStale(out[2].Samples[0].Value) {
		t.Errorf("the staleness marker lost its bits: %x", math.Float64bits(out[2].Samples[0].Value))
	}
	out[2].Samples[0].Value, in[2].Samples[0].Value = 0, 0 // NaN != NaN
	if !reflect.DeepEqual(out, in) {
		t.Errorf("round trip:\n got %+v\nwant %+v", out, in)
	}
	if IsStale(math.NaN()) {
		t.Error("an ordinary NaN taken for a staleness marker")
	}
}

// TestWriteRequestSkipsUnknownFields: metadata, exemplars and fields of
// later versions are skipped as protobuf requires; native histograms are
// counted, not decoded.
func TestWriteRequestSkipsUnknownFields(t *testing.T) {
	series := AppendWriteRequest(nil, []TimeSeries{{Labels: []Label{{"__name__", "a"}}, Samples: []Sample{{7, 2000}}}})
	// Inside the series: an exemplar (3), a histogram (4) and a varint of
	// an unknown field 9.
	_, _, n := protowire.ConsumeTag(series)
	inner, _ := protowire.ConsumeBytes(series[n:])
	inner = protowire.AppendTag(inner, 3, protowire.BytesType)
	inner = protowire.AppendBytes(inner, []byte{0x09, 0, 0, 0, 0, 0, 0, 0, 0})
	inner = protowire.AppendTag(inner, 4, protowire.BytesType)
	inner = protowire.AppendBytes(inner, []byte{0x08, 0x01})
	inner = protowire.AppendTag(inner, 9, protowire.VarintType)
	inner = protowire.AppendVarint(inner, 300)
	var b []byte
	b = protowire.AppendTag(b, 3, protowire.BytesType) // WriteRequest.metadata
	b = protowire.AppendBytes(b, []byte{0x08, 0x01})
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, inner)
	b = protowire.AppendTag(b, 5, protowire.Fixed32Type)
	b = protowire.AppendFixed32(b, 1)
	out, err := UnmarshalWriteRequest(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []TimeSeries{{Labels: []Label{{"__name__", "a"}}, Samples: []Sample{{7, 2000}}, Histograms: 1}}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("got %+v, want %+v", out, want)
	}
}

func TestWriteRequestRefusesBrokenInput(t *testing.T) {
	good := AppendWriteRequest(nil, []TimeSeries{{Labels: []Label{{"__name__", "a"}}, Samples: []Sample{{7, 2000}}}})
	wrongType := protowire.AppendTag(nil, 1, protowire.VarintType) // a series must be a message
	wrongType = protowire.AppendVarint(wrongType, 5)
	var badSample []byte // a sample whose value is a varint
	badSample = protowire.AppendTag(badSample, 2, protowire.BytesType)
	badSample = protowire.AppendBytes(badSample, protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), 1))
	badSample = protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), badSample)
	for _, tt := range []struct {
		name string
		in   []byte
		want string
	}{
		{"cut short", good[:len(good)-3], "unexpected EOF"},
		{"not protobuf", []byte("hello, world"), ""},
		{"series as a varint", wrongType, "field 1: wire type 0, want length-delimited"},
		{"value as a varint", badSample, "series 0: field 1: wire type 0, want fixed64"},
		{"a bad tag", []byte{0x00}, "invalid field number"},
	} {
		_, err := UnmarshalWriteRequest(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}
