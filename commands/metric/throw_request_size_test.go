package metric_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// longNameLines returns n lines over 10 service series whose names are
// 240 characters long: ~280 bytes a point once encoded.
func longNameLines(n int) string {
	var in strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&in, "s.%s%d\t%d\t%d\n", strings.Repeat("x", 237), i%10, i, hourAgo+int64(i/10))
	}
	return in.String()
}

// TestThrowHugeBatchOfLongNames: a --batch-size whose points would pass
// the server's 8 MiB body cap (32,000 points of ~280 bytes: ~9 MB) is
// posted in several requests under 1 MiB, not as one request answered 413
// that stores nothing.
func TestThrowHugeBatchOfLongNames(t *testing.T) {
	const n = 32000 // ~9 MB
	e := cmdtest.New(t)
	e.SeedService("blog")
	r := e.RunWith(cmdtest.RunOpts{Stdin: longNameLines(n)}, "throw", "-s", "blog", "--batch-size", "100000")
	e.Check(r, cmdtest.Want{Stderr: fmt.Sprintf("    thrown %d values to blog\n", n)})
	if got := countPoints(e); got != n {
		t.Fatalf("%d points stored, want %d", got, n)
	}
}

// TestThrowRequestBytesRemote: against a remote API, every request body
// stays within 1 MiB and is filled close to it, and together they carry
// every point once.
func TestThrowRequestBytesRemote(t *testing.T) {
	const n = 10000 // ~2.8 MB: three requests
	e := cmdtest.New(t)
	e.SeedService("blog")
	api := e.StartAPI()
	r := e.RunRemote(api.URL, "key", cmdtest.RunOpts{Stdin: longNameLines(n)}, "throw", "-s", "blog", "--batch-size", "100000")
	e.Check(r, cmdtest.Want{Stderr: fmt.Sprintf("    thrown %d values to blog\n", n)})
	var posts []cmdtest.APIRequest
	for _, req := range api.Requests() {
		if req.Method == "POST" {
			posts = append(posts, req)
		}
	}
	if len(posts) != 3 {
		t.Fatalf("%d POST requests, want 3", len(posts))
	}
	// Requests run concurrently, so the last batch (the only one not
	// full) may arrive first.
	total, short := 0, 0
	for i, p := range posts {
		if len(p.Body) > 1<<20 {
			t.Errorf("request %d: %d bytes, over 1 MiB", i, len(p.Body))
		}
		if len(p.Body) < 1<<20-300 {
			short++
		}
		total += strings.Count(p.Body, `"name":`)
	}
	if short > 1 {
		t.Errorf("%d requests well under 1 MiB: batches flushed before they were full", short)
	}
	if total != n {
		t.Errorf("%d points posted, want %d", total, n)
	}
	if got := countPoints(e); got != n {
		t.Fatalf("%d points stored, want %d", got, n)
	}
}
