package pace

import (
	"context"
	"testing"
	"time"
)

func TestPacerRestsInProportion(t *testing.T) {
	p := New(0.5)
	p.since = time.Now().Add(-40 * time.Millisecond) // 40 ms of work
	began := time.Now()
	if err := p.Rest(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Half the time working: rest about as long as the work (the timer
	// may fire late on a busy machine, never early).
	if rested := time.Since(began); rested < 40*time.Millisecond {
		t.Errorf("rested %s after 40 ms of work at share 0.5, want at least 40 ms", rested)
	}
}

func TestPacerWithoutShareNeverWaits(t *testing.T) {
	for _, share := range []float64{0, 1, -1} {
		p := New(share)
		p.since = time.Now().Add(-time.Hour)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := p.Rest(ctx)
		cancel()
		if err != nil {
			t.Errorf("share %v: Rest waited (%v)", share, err)
		}
	}
}

func TestPacerStopsWithContext(t *testing.T) {
	p := New(0.01)
	p.since = time.Now().Add(-time.Hour) // would rest for days
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Rest(ctx); err != context.Canceled {
		t.Errorf("Rest = %v, want context.Canceled", err)
	}
}
