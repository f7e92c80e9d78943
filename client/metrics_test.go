package client_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/client"
)

// TestPostRawMetricsResult: against mkr's backend the answer carries the
// counts of stored and refused points; against a server that answers as
// the hosted API does ({"success":true}, or a body that is not an object)
// the result says it does not know, and PostRawMetrics still succeeds.
func TestPostRawMetricsResult(t *testing.T) {
	c, st := newBackendClient(t)
	ctx := context.Background()
	if _, err := st.CreateService(ctx, "blog", ""); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	body := fmt.Sprintf(`[{"name":"a","time":%d,"value":1},{"name":"a","time":%d,"value":2},{"name":"b","time":%d,"value":3}]`,
		now, now-2*86400, now-60)
	res, err := c.PostRawMetricsResult(ctx, "blog", []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Reported() || *res.Stored != 2 || *res.Refused != (client.RefusedMetrics{TooOld: 1}) || !res.Success {
		t.Errorf("result = %+v (refused %+v), want 2 stored, 1 too old", res, res.Refused)
	}
	if n, _ := st.CountPoints(ctx); n != 2 {
		t.Errorf("%d points stored, want 2", n)
	}
	if pts, _ := st.Points(ctx, store.ServiceSeries("blog", "b"), 0, now); len(pts) != 1 {
		t.Errorf("b = %v", pts)
	}

	for _, answer := range []string{`{"success":true}`, `"OK"`, ``} {
		srv := newFakeServer(t, jsonAnswer(200, answer))
		hc, _ := newTestClient(t, srv.URL, nil)
		res, err := hc.PostRawMetricsResult(ctx, "", []byte(`[]`))
		if err != nil || res.Reported() || !res.Success || res.Refused != nil {
			t.Errorf("answer %q: %+v, %v; want success without counts", answer, res, err)
		}
		if err := hc.PostRawMetrics(ctx, "", []byte(`[]`)); err != nil {
			t.Errorf("answer %q: PostRawMetrics: %v", answer, err)
		}
	}
	var nilResult *client.PostMetricsResult
	if nilResult.Reported() {
		t.Error("a nil result reports counts")
	}
}
