package wrap

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// The capture must equal the head and tail of the whole stream, whatever
// the sizes of the writes.
func TestCaptureKeepsHeadAndTail(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	source := make([]byte, 4*DefaultOutputCapacity)
	for i := range source {
		source[i] = byte('a' + rng.IntN(26))
	}
	for _, capacity := range []int{MinOutputCapacity, 10000, DefaultOutputCapacity} {
		for trial := range 20 {
			c := newCapture(capacity)
			var all bytes.Buffer
			for range rng.IntN(50) {
				// Mostly small writes, sometimes one larger than the tail.
				n := rng.IntN(capacity / 8)
				if rng.IntN(10) == 0 {
					n = rng.IntN(2 * capacity)
				}
				off := rng.IntN(len(source) - n)
				p := source[off : off+n]
				c.Write(p)
				all.Write(p)
			}
			got, omitted := c.Bytes()
			want := all.Bytes()
			if all.Len() > capacity {
				head, tail := capacity/4, capacity-capacity/4
				want = append(bytes.Clone(want[:head]), want[len(want)-tail:]...)
			}
			if !bytes.Equal(got, want) || omitted != int64(all.Len()-len(want)) {
				t.Fatalf("capacity %d trial %d: %d bytes written, got %d (omitted %d), want %d",
					capacity, trial, all.Len(), len(got), omitted, len(want))
			}
		}
	}
}

// However much a job prints, the message built from the bounded capture is
// the one upstream builds from the whole output.
func TestMessageFromBoundedCaptureIsExact(t *testing.T) {
	t.Parallel()
	opts := jobOptions("lines", "20000")
	opts.OutputCapacity = MinOutputCapacity
	res, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.OutputOmitted == 0 {
		t.Fatal("output was not bounded")
	}
	var full strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&full, "line %d\n", i)
	}
	want := Truncate(res.Message+"\n% "+strings.Join(res.Args, " ")+"\n"+full.String(), MessageLimit)
	if got := Message(res, "", true); got != want {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}
