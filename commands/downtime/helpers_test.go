package downtime_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// epoch is cmdtest.Epoch (Monday 2024-05-06 07:08:09 UTC), the clock of
// every run, in epoch seconds.
var epoch = cmdtest.Epoch.Unix()

// stored returns every downtime as the API lists it.
func stored(e *cmdtest.Env) []*client.Downtime {
	e.T.Helper()
	list, err := e.API().FindDowntimes(context.Background())
	if err != nil {
		e.T.Fatalf("FindDowntimes: %v", err)
	}
	return list
}

// seed creates d through the API and names its id {<d.Name>}.
func seed(e *cmdtest.Env, d client.Downtime) string {
	e.T.Helper()
	created, err := e.API().CreateDowntime(context.Background(), &d)
	if err != nil {
		e.T.Fatalf("CreateDowntime: %v", err)
	}
	e.Names[d.Name] = created.ID
	return created.ID
}

func toJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
