package serve_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// bound is how long a test waits for the server to act before it fails
// (instead of hanging): far above every limit the tests configure.
const bound = 30 * time.Second

// slowRequest sends a request's headers (with header, which says how
// long the body is) and the start of its body on a raw connection, then
// stalls like a client on a dead link. The connection's reads are
// bounded, so a server that never answers fails the test.
func slowRequest(t *testing.T, base, key, method, path, header, start string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(bound))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Api-Key: %s\r\nContent-Type: application/json\r\n", method, path, key)
	if header != "" {
		fmt.Fprintf(conn, "%s\r\n", header)
	}
	fmt.Fprintf(conn, "\r\n%s", start)
	return conn
}

// inFlightRequest starts a POST to path whose body stalls after its first
// bytes, and returns once the server is reading that body: the request
// asks "Expect: 100-continue", and the server says "100 Continue" only
// when the handler starts to read. So the request holds its slot for sure
// (a probe sent earlier could otherwise take the slot first).
func inFlightRequest(t *testing.T, base, key, path string) net.Conn {
	t.Helper()
	conn := slowRequest(t, base, key, "POST", path, "Content-Length: 100\r\nExpect: 100-continue", "")
	const cont = "HTTP/1.1 100 Continue\r\n\r\n"
	got := make([]byte, len(cont))
	if n, err := io.ReadFull(conn, got); err != nil || string(got) != cont {
		t.Fatalf("want %q, got %q, %v", cont, got[:n], err)
	}
	fmt.Fprint(conn, `{"name":`)
	return conn
}

// readResponse reads one response from conn: status, a header and body.
func readResponse(t *testing.T, conn net.Conn) (*http.Response, string, error) {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response (the server held the connection): %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, string(body), err
}

// polling is a client without keep-alive, so that it leaves no idle
// connection behind.
var polling = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: bound}

// waitStatus repeats GET path until it is answered with status, and fails
// the test if that does not happen within bound.
func waitStatus(t *testing.T, base, key, path string, status int) *http.Response {
	t.Helper()
	deadline := time.Now().Add(bound)
	for {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("X-Api-Key", key)
		resp, err := polling.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == status {
			return resp
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s: still %d, want %d", path, resp.StatusCode, status)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A client that stops sending its body is answered 408 once
// --body-timeout has passed, instead of holding the connection for ever;
// nothing is stored.
func TestServeSlowBody(t *testing.T) {
	e := cmdtest.New(t)
	key, _ := newKey(e)
	base, stop := runServeCLI(e, cmdtest.RunOpts{}, "--body-timeout", "1s")
	for _, tt := range []struct{ name, header, start string }{
		{"Content-Length", "Content-Length: 100", `{"name":`},
		{"chunked", "Transfer-Encoding: chunked", "8\r\n{\"name\":\r\n"}, // one chunk, and the next never comes
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn := slowRequest(t, base, key, "POST", "/api/v0/hosts", tt.header, tt.start)
			resp, body, _ := readResponse(t, conn)
			if resp.StatusCode != http.StatusRequestTimeout || body != `{"error":{"message":"Timed out reading the request body."}}` {
				t.Errorf("got %d %s", resp.StatusCode, body)
			}
		})
	}
	e.Check(e.Run("hosts", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})
	if r := stop(); r.Code != 0 {
		t.Errorf("mkr serve: %s", r)
	}
}

// One client IP may have --max-client-requests requests in flight; more
// are answered 503 with Retry-After at once (a refused body is not
// waited for), other traffic goes on, and the slots come back when the
// slow requests end.
func TestServeClientRequestLimit(t *testing.T) {
	e := cmdtest.New(t)
	key, _ := newKey(e)
	e.Names["db"] = e.DBPath()
	base, stop := runServeCLI(e, cmdtest.RunOpts{}, "--max-client-requests", "2")
	e.Names["base"] = base
	c := cmdtest.New(t)
	c.Check(c.RunRemote(base, key, cmdtest.RunOpts{}, "hosts", "--jq", "length"), cmdtest.Want{Stdout: "0\n"})

	slow := []net.Conn{inFlightRequest(t, base, key, "/api/v0/hosts"), inFlightRequest(t, base, key, "/api/v0/services")}
	resp := waitStatus(t, base, key, "/api/v0/hosts", http.StatusServiceUnavailable)
	if got := resp.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After = %q, want 1", got)
	}
	// A third slow body is refused without waiting for it.
	over := slowRequest(t, base, key, "POST", "/api/v0/hosts", "Content-Length: 100", `{"na`)
	resp, body, _ := readResponse(t, over)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "1" ||
		body != `{"error":{"message":"Too many requests in flight from this client (limit 2); retry later."}}` {
		t.Errorf("over the limit: %d %v %s", resp.StatusCode, resp.Header, body)
	}
	// mkr retries a 503 (honouring Retry-After) and then reports it.
	c.Check(c.RunRemote(base, key, cmdtest.RunOpts{}, "hosts"), cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error",
		"API request failed: Too many requests in flight from this client (limit 2); retry later.")})

	for _, conn := range slow {
		conn.Close()
	}
	waitStatus(t, base, key, "/api/v0/hosts", http.StatusOK)
	r := c.RunRemote(base, key, cmdtest.RunOpts{}, "create", "web")
	c.Names["web"] = strings.TrimSuffix(r.Stdout, "\n")
	c.Check(r, cmdtest.Want{Stdout: "{web}\n", Stderr: cmdtest.LogLine(false, "created", "{web}")})
	e.Check(stop(), cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "serving {db} on {base}") +
		cmdtest.LogLine(false, "warning", "client 127.0.0.1 has 2 requests in flight: answering 503 to more (--max-client-requests)") +
		cmdtest.LogLine(false, "info", "stopped")})
}

// SIGTERM while a slow client holds a request: the graceful shutdown gives
// up after --shutdown-timeout, cuts the connection, says so, and mkr
// exits 0 — a stop that had to cut a client is still a clean stop.
func TestServeSIGTERMWithSlowClient(t *testing.T) {
	e := cmdtest.New(t)
	key, _ := newKey(e)
	e.Names["db"] = e.DBPath()
	cmd, out, errOut := e.Command("serve", "--listen", "127.0.0.1:0", "--shutdown-timeout", "1s")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	listening := regexp.MustCompile(` on (http://127\.0\.0\.1:\d+)\n`)
	var base string
	for deadline := time.Now().Add(bound); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := listening.FindStringSubmatch(errOut.String()); m != nil {
			base = m[1]
		} else if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("mkr serve did not listen: %s", errOut.String())
		}
	}
	e.Names["base"] = base
	inFlightRequest(t, base, key, "/api/v0/hosts")

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	e.Check(cmdtest.Finish(t, cmd, out, errOut, bound), cmdtest.Want{Stderr: cmdtest.LogLine(false, "info", "serving {db} on {base}") +
		cmdtest.LogLine(false, "warning", "requests still in flight after 1s (--shutdown-timeout): cut 1 connection") +
		cmdtest.LogLine(false, "info", "stopped")})
}

// Negative limits are usage errors.
func TestServeLimitFlags(t *testing.T) {
	e := cmdtest.New(t)
	for _, flag := range []string{"--body-timeout", "--write-timeout", "--idle-timeout", "--shutdown-timeout", "--max-client-requests"} {
		value := "-1s"
		if flag == "--max-client-requests" {
			value = "-1"
		}
		e.CheckT(t, e.Run("serve", "--listen", "127.0.0.1:0", flag, value), cmdtest.Want{
			Code: 1, Stderr: cmdtest.UsageError(false, flag+" must not be negative", "serve"),
		})
	}
}
