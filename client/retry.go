package client

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy controls retries of idempotent requests (GET, HEAD, PUT,
// DELETE, and POSTs marked idempotent by the caller). Network errors, 5xx and
// 429 are retried; other 4xx never are.
type RetryPolicy struct {
	// MaxRetries after the first attempt; default 3. Negative disables.
	MaxRetries int
	// MinWait is the first backoff (default 500ms); it doubles per attempt.
	MinWait time.Duration
	// MaxWait caps a single wait, including a server's Retry-After (default 30s).
	MaxWait time.Duration
	// Sleep waits between attempts; tests replace it. It returns early with
	// false when the request's context ends.
	Sleep func(done <-chan struct{}, d time.Duration) bool
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxRetries == 0 {
		p.MaxRetries = 3
	}
	if p.MaxRetries < 0 {
		p.MaxRetries = 0
	}
	if p.MinWait <= 0 {
		p.MinWait = 500 * time.Millisecond
	}
	if p.MaxWait <= 0 {
		p.MaxWait = 30 * time.Second
	}
	if p.Sleep == nil {
		p.Sleep = sleepCtx
	}
	return p
}

func sleepCtx(done <-chan struct{}, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-done:
		return false
	}
}

// retryable reports whether a response status deserves another attempt.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// backoff returns the wait before retry number attempt (1-based): a capped
// exponential with full jitter in its upper half, or the server's
// Retry-After when it sent one.
func (p RetryPolicy) backoff(attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return min(d, p.MaxWait)
		}
	}
	d := p.MinWait << (attempt - 1)
	if d <= 0 || d > p.MaxWait {
		d = p.MaxWait
	}
	half := d / 2
	return half + rand.N(half+1)
}

// parseRetryAfter understands both forms of the header: delay seconds and
// an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
