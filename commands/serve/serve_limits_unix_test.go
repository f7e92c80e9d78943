//go:build unix

package serve_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// A client that never reads a large answer is cut once it has not taken
// the next 64 KiB for --write-timeout, and its request slot is freed; a
// client that reads gets the whole answer, however large.
func TestServeClientThatNeverReads(t *testing.T) {
	e := cmdtest.New(t)
	key, _ := newKey(e)
	const hosts, metaSize = 6, 2 << 20 // GET /hosts answers 12 MiB, more than the kernel buffers (Linux: 4 MiB to send)
	for i := range hosts {
		e.SeedHost(client.CreateHostParam{Name: fmt.Sprintf("big%02d", i), Meta: client.HostMeta{AgentName: strings.Repeat("x", metaSize)}})
	}
	base, stop := runServeCLI(e, cmdtest.RunOpts{}, "--write-timeout", "1s", "--max-client-requests", "1")

	// A reader gets everything.
	req, _ := http.NewRequest("GET", base+"/api/v0/hosts", nil)
	req.Header.Set("X-Api-Key", key)
	resp, err := polling.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || err != nil || n < hosts*metaSize {
		t.Fatalf("GET /hosts by a reader: %d, %d bytes, %v", resp.StatusCode, n, err)
	}

	// A client that does not read, with a small receive buffer from the
	// start, so that the server's writes block soon (whatever the
	// system's TCP buffers) and what is in flight when it is cut is
	// little.
	conn := dialSmallBuffer(t, base)
	fmt.Fprintf(conn, "GET /api/v0/hosts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: %s\r\n\r\n", key)
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil) // the answer has begun
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /hosts: %v %v", resp, err)
	}
	waitStatus(t, base, key, "/api/v0/org", http.StatusServiceUnavailable) // it is in flight
	waitStatus(t, base, key, "/api/v0/org", http.StatusOK)                 // and then cut
	if n, err := io.Copy(io.Discard, resp.Body); err == nil {
		t.Errorf("the answer to the client that did not read was complete (%d bytes); want it cut short", n)
	}
	if r := stop(); r.Code != 0 {
		t.Errorf("mkr serve: %s", r)
	}
}

// dialSmallBuffer connects to base with a 4 KiB receive buffer set before
// the handshake, so the window the client offers stays small.
func dialSmallBuffer(t *testing.T, base string) net.Conn {
	t.Helper()
	d := net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		var err error
		if cerr := c.Control(func(fd uintptr) {
			err = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		}); cerr != nil {
			return cerr
		}
		return err
	}}
	conn, err := d.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(bound))
	return conn
}
