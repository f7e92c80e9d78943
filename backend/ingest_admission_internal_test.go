package backend

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestIngestGate: turns are handed out up to the limit, then waiters get
// them in arrival order, and past the waiting places a post is refused at
// once; a waiter that goes away gives its place up.
func TestIngestGate(t *testing.T) {
	g := newIngestGate(1, 2)
	ctx := context.Background()
	leave1, err := g.enter(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan int, 2)
	waiter := func(n int, ctx context.Context) {
		leave, err := g.enter(ctx)
		if err != nil {
			got <- -n
			return
		}
		got <- n
		<-time.After(10 * time.Millisecond)
		leave()
	}
	go waiter(2, ctx)
	waitFor(t, func() bool { return g.waitingLen() == 1 })
	cctx, cancel := context.WithCancel(ctx)
	go waiter(3, cctx)
	waitFor(t, func() bool { return g.waitingLen() == 2 })
	if _, err := g.enter(ctx); !errors.Is(err, errIngestBusy) {
		t.Fatalf("third waiter: err = %v, want errIngestBusy", err)
	}
	cancel()
	if n := <-got; n != -3 {
		t.Fatalf("cancelled waiter: got %d, want -3", n)
	}
	if g.waitingLen() != 1 {
		t.Fatalf("waiting = %d after a waiter left, want 1", g.waitingLen())
	}
	leave1()
	if n := <-got; n != 2 {
		t.Fatalf("first waiter: got %d, want 2", n)
	}
	waitFor(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.active == 0 })
}

func (g *ingestGate) waitingLen() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.waiting)
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10 s")
		}
	}
}
