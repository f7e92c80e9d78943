package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

// hostListBody is a {"hosts":[…]} answer of n hosts with pad bytes of meta
// each (in a key the client does not keep).
func hostListBody(n, pad int) string {
	var b strings.Builder
	b.WriteString(`{"hosts":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":"h%d","name":"host-%d","status":"working","memo":"","roles":{"svc":["r"]},"isRetired":false,"createdAt":%d,`+
			`"meta":{"agent-version":"0.87.0","pad":%q},"interfaces":[{"name":"eth0","ipAddress":"10.0.0.%d"}]}`,
			i, i, 1700000000+i, strings.Repeat("p", pad), i%256)
	}
	b.WriteString(`]}`)
	return b.String()
}

// A listing far larger than MaxResponseBytes is decoded host by host:
// the cap bounds each host, not the whole answer.
func TestFindHostsDecodesAListLargerThanTheCap(t *testing.T) {
	body := hostListBody(300, 2000)
	srv := newFakeServer(t, jsonAnswer(200, body))
	c, _ := newTestClient(t, srv.URL, func(o *client.Options) { o.MaxResponseBytes = 16 << 10 })
	hosts, err := c.FindHosts(context.Background(), client.FindHostsParam{})
	if err != nil {
		t.Fatalf("FindHosts over a %d-byte listing with a 16 KiB cap: %v", len(body), err)
	}
	if len(hosts) != 300 {
		t.Fatalf("listed %d hosts, want 300", len(hosts))
	}
	for i, h := range hosts {
		if h.ID != fmt.Sprintf("h%d", i) || h.Meta.AgentVersion != "0.87.0" || h.Roles["svc"][0] != "r" ||
			h.Interfaces[0].IPAddress != fmt.Sprintf("10.0.0.%d", i%256) || h.CreatedAt != int64(1700000000+i) {
			t.Fatalf("host %d = %+v", i, h)
		}
	}
}

// One host over the cap fails the listing, once, with an error naming the
// cap and the host.
func TestFindHostsHostOverTheCapIsNotRetried(t *testing.T) {
	big := strings.Replace(hostListBody(3, 100), `"pad":"`, `"pad":"`+strings.Repeat("x", 40<<10), 1)
	srv := newFakeServer(t, jsonAnswer(200, big))
	c, rec := newTestClient(t, srv.URL, func(o *client.Options) { o.MaxResponseBytes = 32 << 10 })
	_, err := c.FindHosts(context.Background(), client.FindHostsParam{})
	var tooLarge *client.ResponseTooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Item != "host" ||
		err.Error() != "GET /api/v0/hosts: a host in the response is larger than the client's limit of 32 KiB (MaxResponseBytes); not retried" {
		t.Fatalf("FindHosts with a 40 KiB host and a 32 KiB cap: %v", err)
	}
	if n := len(srv.requests()); n != 1 || len(rec.recorded()) != 0 {
		t.Errorf("the oversize listing was attempted %d times (waits %v), want once", n, rec.recorded())
	}
}

// The streamed decoder gives what json.Unmarshal gave before it, and an
// answer it cannot decode is reported once, not retried.
func TestFindHostsDecoding(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		ids        []string
		err        string
	}{
		{"empty", `{"hosts":[]}`, []string{}, ""},
		{"null list", `{"hosts":null}`, []string{}, ""},
		{"no list", `{}`, []string{}, ""},
		{"other keys skipped", `{"next":{"a":[1,2]},"hosts":[{"id":"a"}],"x":"y"}`, []string{"a"}, ""},
		{"key case", `{"Hosts":[{"id":"a"},{"id":"b"}]}`, []string{"a", "b"}, ""},
		{"whitespace", " {\n \"hosts\" : [ {\"id\":\"a\"} ] }\n", []string{"a"}, ""},
		{"truncated", `{"hosts":[{"id":"a"},{"id":"b"`, nil, "decoding GET /api/v0/hosts response: unexpected EOF"},
		{"unterminated list", `{"hosts":[{"id":"a"},`, nil, "decoding GET /api/v0/hosts response: "},
		{"not a list", `{"hosts":{"id":"a"}}`, nil, "decoding GET /api/v0/hosts response: hosts is {, not a list"},
		{"trailing data", `{"hosts":[]} {}`, nil, "decoding GET /api/v0/hosts response: unexpected data after the top-level object"},
		{"bad field type", `{"hosts":[{"id":1}]}`, nil, "decoding GET /api/v0/hosts response: json: cannot unmarshal"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := newFakeServer(t, jsonAnswer(200, tt.body))
			c, _ := newTestClient(t, srv.URL, nil)
			hosts, err := c.FindHosts(context.Background(), client.FindHostsParam{})
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("FindHosts = %d hosts, %v; want an error starting %q", len(hosts), err, tt.err)
				}
				if n := len(srv.requests()); n != 1 {
					t.Errorf("an undecodable answer was attempted %d times, want once", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			ids := []string{}
			for _, h := range hosts {
				ids = append(ids, h.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.ids) || hosts == nil {
				t.Errorf("FindHosts = %v (nil: %v), want %v", ids, hosts == nil, tt.ids)
			}
		})
	}
}

// A connection that breaks in the middle of a listing is retried like any
// failed GET, and the retry's hosts replace the partial ones.
func TestFindHostsRetriesABrokenListing(t *testing.T) {
	body := hostListBody(200, 500)
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, attempt int) {
		if attempt == 1 {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, body[:len(body)/2])
			http.NewResponseController(w).Flush()
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				panic(err)
			}
			conn.Close()
			return
		}
		jsonAnswer(200, body)(w, r, attempt)
	})
	c, rec := newTestClient(t, srv.URL, nil)
	hosts, err := c.FindHosts(context.Background(), client.FindHostsParam{})
	if err != nil {
		t.Fatalf("FindHosts after a broken listing: %v", err)
	}
	if len(hosts) != 200 || hosts[199].ID != "h199" {
		t.Fatalf("listed %d hosts, want the 200 of the second attempt", len(hosts))
	}
	if n := len(srv.requests()); n != 2 || len(rec.recorded()) != 1 {
		t.Errorf("attempts = %d, waits = %v; want 2 and 1", n, rec.recorded())
	}
}

// Error answers of the listing follow the usual rules: 5xx retried, with
// the API's message in the final error.
func TestFindHostsErrorAnswers(t *testing.T) {
	srv := newFakeServer(t, func(w http.ResponseWriter, r *http.Request, attempt int) {
		if attempt == 1 {
			jsonAnswer(503, `{"error":{"message":"busy"}}`)(w, r, attempt)
			return
		}
		jsonAnswer(400, `{"error":{"message":"Invalid status: bogus"}}`)(w, r, attempt)
	})
	c, _ := newTestClient(t, srv.URL, nil)
	_, err := c.FindHosts(context.Background(), client.FindHostsParam{Statuses: []string{"bogus"}})
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Message != "Invalid status: bogus" {
		t.Fatalf("FindHosts = %v, want the 400 after a retried 503", err)
	}
	if n := len(srv.requests()); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

// A debug dump of a streamed listing shows its start and its size, like a
// dump of any other answer.
func TestFindHostsDebugDump(t *testing.T) {
	body := hostListBody(50, 200)
	srv := newFakeServer(t, jsonAnswer(200, body))
	var dump bytes.Buffer
	c, _ := newTestClient(t, srv.URL, func(o *client.Options) { o.Debug = &dump })
	if _, err := c.FindHosts(context.Background(), client.FindHostsParam{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(dump.String(), "< 200 OK\n< Content-Type: application/json\n") ||
		!strings.Contains(dump.String(), "<\n"+body[:4096]+fmt.Sprintf("… (%d bytes)\n", len(body))) {
		t.Errorf("dump = %.600s…", dump.String())
	}
	if strings.Contains(dump.String(), testKey) {
		t.Error("the dump shows the API key")
	}
}
