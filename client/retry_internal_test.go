package client

import (
	"net/http"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"120", 120 * time.Second, true},
		{"-1", 0, false},
		{"1.5", 0, false},
		{" 5", 0, false},
		{"soon", 0, false},
		{"Wed, 04 Mar 2026 05:06:37 GMT", 30 * time.Second, true},     // IMF-fixdate
		{"Wednesday, 04-Mar-26 05:07:07 GMT", 60 * time.Second, true}, // RFC 850
		{"Wed Mar  4 05:06:17 2026", 10 * time.Second, true},          // asctime
		{"Wed, 04 Mar 2026 05:00:00 GMT", 0, true},                    // past: no wait
		{"Wed, 04 Mar 2026 05:06:37 +0900", 0, false},                 // not an HTTP-date
		{now.Add(90 * time.Minute).Format(http.TimeFormat), 90 * time.Minute, true},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSleepCtx(t *testing.T) {
	start := time.Now()
	if !sleepCtx(make(chan struct{}), 20*time.Millisecond) {
		t.Error("sleepCtx returned false without cancellation")
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("sleepCtx(20ms) returned after %v", d)
	}
	done := make(chan struct{})
	close(done)
	start = time.Now()
	if sleepCtx(done, time.Hour) {
		t.Error("sleepCtx returned true on a closed done channel")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("sleepCtx ignored done for %v", d)
	}
}

func TestRetryPolicyDefaults(t *testing.T) {
	p := RetryPolicy{}.withDefaults()
	if p.MaxRetries != 3 || p.MinWait != 500*time.Millisecond || p.MaxWait != 30*time.Second || p.Sleep == nil {
		t.Errorf("defaults = %+v", p)
	}
	if p := (RetryPolicy{MaxRetries: -1}).withDefaults(); p.MaxRetries != 0 {
		t.Errorf("MaxRetries -1 → %d, want 0", p.MaxRetries)
	}
	// Without a Retry-After, the wait never exceeds MaxWait even for huge
	// attempt numbers (the shift overflows).
	p = RetryPolicy{MinWait: time.Second, MaxWait: 4 * time.Second}.withDefaults()
	for _, attempt := range []int{1, 2, 3, 10, 40, 63, 64, 100} {
		d := p.backoff(attempt, nil)
		if d < 0 || d > 4*time.Second {
			t.Errorf("backoff(%d) = %v outside [0, 4s]", attempt, d)
		}
	}
}
