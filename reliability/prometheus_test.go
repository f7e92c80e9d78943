package reliability_test

import (
	"github.com/mkr-dev/mkr/backend/promremote"
)

// promWriteBody is a remote write request as Prometheus sends it (snappy,
// protobuf) of one sample of the fixture's service "web" at the fixture's
// clock: the successful request of POST /api/v1/write. Binary, so it
// holds no placeholder and is built here rather than written in the table.
func promWriteBody() string {
	return string(promremote.Encode(promremote.AppendWriteRequest(nil, []promremote.TimeSeries{{
		Labels:  []promremote.Label{{Name: "__name__", Value: "req_total"}, {Name: "mackerel_service", Value: "web"}},
		Samples: []promremote.Sample{{Value: 1, Timestamp: epoch * 1000}},
	}})))
}
