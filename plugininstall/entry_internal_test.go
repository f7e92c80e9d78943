package plugininstall

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

// TestCapReaderStopsAtTheRealSize covers the streaming cap that backs up declared
// entry sizes, which archive headers can misstate.
func TestCapReaderStopsAtTheRealSize(t *testing.T) {
	t.Parallel()
	over := errors.New("over")
	left := int64(64)
	r := &capReader{r: strings.NewReader(strings.Repeat("z", 100)), left: &left, err: over}
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, over) {
		t.Fatalf("err = %v", err)
	}
	if n > 65 {
		t.Errorf("read %d bytes past a 64-byte limit", n)
	}
	exactLeft := int64(64)
	exact := &capReader{r: strings.NewReader(strings.Repeat("z", 64)), left: &exactLeft, err: over}
	if n, err := io.Copy(io.Discard, exact); n != 64 || err != nil {
		t.Errorf("exactly the limit: n=%d err=%v", n, err)
	}
}

// TestArchiveTotalCountsWhatIsRead gives the walker entries that declare 1 byte and
// deliver 600: the total limit must be enforced on the bytes read, not on the headers.
func TestArchiveTotalCountsWhatIsRead(t *testing.T) {
	t.Parallel()
	rules := archiveRules{goos: "linux", maxEntry: 1 << 20, maxTotal: 1000, maxEntries: 100}
	var written int64
	w := &walker{ctx: context.Background(), rules: rules, archive: "liar.zip", seen: map[string]bool{}, left: rules.maxTotal,
		fn: func(_ pluginEntry, r io.Reader) error {
			n, err := io.Copy(io.Discard, r)
			written += n
			return err
		}}
	open := func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(strings.Repeat("z", 600))), nil }
	var err error
	for _, name := range []string{"check-a", "check-b"} {
		if err = w.entry(name, kindFile, 0o755, 1, open); err != nil {
			break
		}
	}
	if !errors.Is(err, ErrTooLarge) || err.Error() != "size limit exceeded: archive liar.zip extracts to more than 1000 bytes (the limit for one archive)" {
		t.Fatalf("err = %v", err)
	}
	if written > 1001 {
		t.Errorf("%d bytes extracted past a 1000-byte total", written)
	}
}
