package notify_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/notify"
	"github.com/mkr-dev/mkr/backend/store"
)

// Slack gets the status's mention and colour.
func TestSlackMessage(t *testing.T) {
	env := backendtest.New(t)
	rcv := newReceiver(t)
	createChannel(t, env, `{"type":"slack","name":"ops","url":"`+rcv.URL+`","mentions":{"critical":"<!here> wake up","ok":"all good"},"addToDefaultNotificationGroup":true}`)
	host := env.MustCreateHost(t, store.NewHost{Name: "db<1>"})
	d := notify.New(env.Store, notify.Options{})
	report(t, env, host, "mysql", "CRITICAL", "down")
	report(t, env, host, "mysql", "WARNING", "slow")
	report(t, env, host, "mysql", "OK", "up")
	mustRunOnce(t, d.RunOnce)
	got := rcv.received()
	if len(got) != 3 {
		t.Fatalf("%d Slack posts, want 3", len(got))
	}
	want := []struct{ text, color string }{
		{"<!here> wake up [local] mysql is CRITICAL on db&lt;1&gt;", "danger"},
		{"[local] mysql is WARNING on db&lt;1&gt;", "warning"},
		{"all good [local] mysql is OK on db&lt;1&gt;", "good"},
	}
	for i, w := range want {
		body := got[i].Body
		att, _ := body["attachments"].([]any)
		if body["text"] != w.text || len(att) != 1 || field(att[0], "color") != w.color || field(att[0], "text") != []string{"down", "slow", "up"}[i] {
			t.Errorf("post %d = %s", i, got[i].Raw)
		}
		if got[i].Header.Get(notify.DeliveryIDHeader) == "" {
			t.Errorf("post %d has no delivery id", i)
		}
	}
}

// smtpSink is a real SMTP server on loopback that keeps what it accepts.
type smtpSink struct {
	addr string
	mu   sync.Mutex
	msgs []sunk
}

type sunk struct {
	from string
	to   []string
	data string
}

func newSMTPSink(t *testing.T) *smtpSink {
	sink := &smtpSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: sink}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sink
}

func (s *smtpSink) received() []sunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sunk(nil), s.msgs...)
}

type sinkSession struct {
	sink *smtpSink
	cur  sunk
}

func (s *sinkSession) Reset()        { s.cur = sunk{} }
func (s *sinkSession) Logout() error { return nil }
func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	s.cur.from = from
	return nil
}
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = string(b)
	s.sink.mu.Lock()
	s.sink.msgs = append(s.sink.msgs, s.cur)
	s.sink.mu.Unlock()
	return nil
}

// Email goes through a real SMTP server: the message names the host, the
// monitor, the status and the message, and its Message-ID carries the
// delivery id. Without a relay the delivery waits.
func TestEmailThroughSMTP(t *testing.T) {
	env := backendtest.New(t)
	sink := newSMTPSink(t)
	createChannel(t, env, `{"type":"email","name":"mail","emails":["ops@example.com","dba@example.com"],"addToDefaultNotificationGroup":true}`)
	host := env.MustCreateHost(t, store.NewHost{Name: "db01"})
	report(t, env, host, "mysql", "CRITICAL", "mysql is down")

	// No relay: routed, pending, not attempted.
	mustRunOnce(t, notify.New(env.Store, notify.Options{}).RunOnce)
	if ds := deliveries(t, env.Store); len(ds) != 1 || ds[0].Status != store.DeliveryPending || ds[0].Attempts != 0 {
		t.Fatalf("without a relay: %+v", ds)
	}

	cfg, err := notify.ParseSMTPURL("smtp://" + sink.addr + "?from=mkr@example.com")
	if err != nil {
		t.Fatal(err)
	}
	mustRunOnce(t, notify.New(env.Store, notify.Options{SMTP: cfg}).RunOnce)
	msgs := sink.received()
	if len(msgs) != 1 {
		t.Fatalf("the SMTP server got %d messages", len(msgs))
	}
	m := msgs[0]
	if m.from != "mkr@example.com" || strings.Join(m.to, ",") != "ops@example.com,dba@example.com" {
		t.Errorf("envelope from %q to %q", m.from, m.to)
	}
	msg, err := mail.ReadMessage(strings.NewReader(m.data))
	if err != nil {
		t.Fatal(err)
	}
	dl := deliveries(t, env.Store)[0]
	if dl.Status != store.DeliverySent {
		t.Errorf("delivery %+v", dl)
	}
	if got := msg.Header.Get("Subject"); got != "[local] mysql is CRITICAL on db01" {
		t.Errorf("Subject = %q", got)
	}
	if got := msg.Header.Get("Message-Id"); got != "<"+dl.ID+"@mkr.notify>" {
		t.Errorf("Message-ID = %q, want the delivery id %s", got, dl.ID)
	}
	body, _ := io.ReadAll(msg.Body)
	for _, want := range []string{"Status:    CRITICAL", "Monitor:   mysql", "Host:      db01 (" + host + ")", "Message:   mysql is down", "Delivery:  " + dl.ID} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(string(body), "http") {
		t.Errorf("the summary has a link:\n%s", body)
	}
}

// starttls=require refuses a relay that does not offer STARTTLS: nothing
// is sent in clear.
func TestEmailRequireTLS(t *testing.T) {
	env := backendtest.New(t)
	sink := newSMTPSink(t)
	createChannel(t, env, `{"type":"email","name":"mail","emails":["ops@example.com"],"addToDefaultNotificationGroup":true}`)
	report(t, env, env.MustCreateHost(t, store.NewHost{Name: "db01"}), "mysql", "CRITICAL", "down")
	cfg, err := notify.ParseSMTPURL("smtp://" + sink.addr + "?from=mkr@example.com&starttls=require")
	if err != nil {
		t.Fatal(err)
	}
	mustRunOnce(t, notify.New(env.Store, notify.Options{SMTP: cfg}).RunOnce)
	if n := len(sink.received()); n != 0 {
		t.Fatalf("sent %d messages without TLS", n)
	}
	if ds := deliveries(t, env.Store); ds[0].Attempts != 1 || ds[0].Status != store.DeliveryPending {
		t.Fatalf("delivery %+v, want a failed attempt", ds[0])
	}
}

func TestParseSMTPURL(t *testing.T) {
	cfg, err := notify.ParseSMTPURL("smtps://alice:s3cret@mail.example.com?from=mkr%40example.com")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "mail.example.com" || cfg.Port != 465 || !cfg.ImplicitTLS || cfg.Username != "alice" || cfg.Password != "s3cret" || cfg.From != "mkr@example.com" {
		t.Errorf("parsed %+v", cfg)
	}
	if s := cfg.String(); strings.Contains(s, "s3cret") || s != "smtps://alice@mail.example.com:465?from=mkr%40example.com" {
		t.Errorf("String() = %q", s)
	}
	for _, bad := range []string{
		"http://alice:s3cret@h?from=a@b",
		"smtp://alice:s3cret@h",
		"smtp://alice:s3cret@h:99999?from=a@b",
		"smtp://alice:s3cret@h?from=nope",
		"smtp://alice:s3cret@h?from=a@b&starttls=maybe",
	} {
		_, err := notify.ParseSMTPURL(bad)
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("ParseSMTPURL(%q) = %v, want an error without the password", bad, err)
		}
	}
	if _, err := notify.ParseSMTPURL("smtp://h:2525?from=a@b"); err != nil {
		t.Error(err)
	}
	_ = errors.New
	_ = context.Background
}
