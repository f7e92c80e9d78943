package channel_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// receiver is a webhook endpoint on loopback that answers with status and
// body and records what it was sent.
type receiver struct {
	mu     sync.Mutex
	bodies []string
}

func startReceiver(t *testing.T, status int, body string) (*httptest.Server, *receiver) {
	t.Helper()
	rec := &receiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.bodies = append(rec.bodies, string(b))
		rec.mu.Unlock()
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

func (r *receiver) received() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.bodies...)
}

func TestChannelsTest(t *testing.T) {
	e := cmdtest.New(t)
	ok, okRec := startReceiver(t, http.StatusOK, "thanks")
	bad, badRec := startReceiver(t, http.StatusInternalServerError, "boom")
	seed(e, `{"name":"good","type":"webhook","url":"`+ok.URL+`/hook"}`)
	seed(e, `{"name":"bad","type":"webhook","url":"`+bad.URL+`/hook"}`)

	for _, tty := range []bool{false, true} {
		e.Check(e.RunWith(cmdtest.RunOpts{TTY: tty}, "channels", "test", "{good}"), cmdtest.Want{
			Stdout: "{\n    \"success\": true,\n    \"status\": 200,\n    \"response\": \"thanks\"\n}\n",
			Stderr: cmdtest.LogLine(tty, "info", "The test notification reached channel {good}."),
		})
	}
	e.Check(e.Run("channels", "test", "{good}", "--jq", ".status"), cmdtest.Want{Stdout: "200\n",
		Stderr: cmdtest.LogLine(false, "info", "The test notification reached channel {good}.")})
	got := okRec.received()
	if len(got) != 3 {
		t.Fatalf("the receiver got %d notifications, want 3", len(got))
	}
	var payload map[string]any
	if err := json.Unmarshal([]byte(got[0]), &payload); err != nil {
		t.Errorf("the test notification is not JSON: %v\n%s", err, got[0])
	}

	e.Check(e.Run("channels", "test", "{bad}"), cmdtest.Want{Code: 1,
		Stdout: "{\n    \"success\": false,\n    \"status\": 500,\n    \"response\": \"boom\",\n    \"error\": \"the receiver answered 500 Internal Server Error\"\n}\n",
		Stderr: cmdtest.LogLine(false, "error", "the test notification to channel {bad} failed: the receiver answered 500 Internal Server Error")})
	if n := len(badRec.received()); n != 1 {
		t.Errorf("the failing receiver got %d notifications, want 1", n)
	}
	// Nothing listening: no status, and the reason.
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	seed(e, `{"name":"gone","type":"webhook","url":"`+gone.URL+`/hook"}`)
	r := e.Run("channels", "test", "{gone}", "--jq", "[.success, .status]")
	if r.Code != 1 || r.Stdout != "[false,0]\n" || !strings.HasPrefix(r.Stderr, e.Expand(strings.TrimSuffix(cmdtest.LogLine(false, "error", "the test notification to channel {gone} failed: "), "\n"))) {
		t.Errorf("an unreachable receiver:\n%s", r)
	}
	// An email channel without an SMTP relay cannot be sent to here.
	seed(e, `{"name":"mail","type":"email","emails":["ops@example.com"]}`)
	e.Check(e.Run("channels", "test", "{mail}"), cmdtest.Want{Code: 1,
		Stderr: cmdtest.LogLine(false, "error", "API request failed: No SMTP relay is configured: email is sent by mkr serve --smtp-url.")})
	e.Check(e.Run("channels", "test", "nosuch"), cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error", "API request failed: Channel not found.")})
	e.Check(e.Run("channels", "test"), cmdtest.Want{Code: 1,
		Stderr: cmdtest.UsageError(false, "test takes exactly one channel id", "channels", "test")})
}
