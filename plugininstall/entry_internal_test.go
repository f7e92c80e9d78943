package plugininstall

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// TestCapReaderStopsAtTheRealSize covers the streaming cap that backs up declared
// entry sizes, which archive headers can misstate.
func TestCapReaderStopsAtTheRealSize(t *testing.T) {
	t.Parallel()
	r := &capReader{r: strings.NewReader(strings.Repeat("z", 100)), left: 64, limit: 64, name: "check-big"}
	n, err := io.Copy(io.Discard, r)
	if !errors.Is(err, ErrTooLarge) || err.Error() != `size limit exceeded: archive entry "check-big" is over the limit of 64 bytes` {
		t.Fatalf("err = %v", err)
	}
	if n > 65 {
		t.Errorf("read %d bytes past a 64-byte limit", n)
	}
	exact := &capReader{r: strings.NewReader(strings.Repeat("z", 64)), left: 64, limit: 64, name: "ok"}
	if n, err := io.Copy(io.Discard, exact); n != 64 || err != nil {
		t.Errorf("exactly the limit: n=%d err=%v", n, err)
	}
}
