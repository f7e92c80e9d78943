package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mkr-dev/mkr/backend/channel"
	"github.com/wneessen/go-mail"
)

// DeliveryIDHeader carries a webhook or Slack delivery's id: the same on
// every retry of one delivery, so a receiver can drop repeats.
const DeliveryIDHeader = "X-Mkr-Delivery-Id"

// Result is what a receiver answered a notification.
type Result struct {
	// Status is the HTTP status code, or the SMTP server's final reply
	// code (250) for email.
	Status int
	// Response is the start of the receiver's answer (HTTP body).
	Response string
}

// ErrNoSMTP is the error of an email channel when no SMTP relay is
// configured: its deliveries wait until one is.
var ErrNoSMTP = errors.New("no SMTP relay configured (mkr serve --smtp-url)")

// sender sends one notification to one channel.
type sender struct {
	http      *http.Client
	smtp      *SMTPConfig
	userAgent string
}

// maxResponse bounds how much of a receiver's answer is kept.
const maxResponse = 4 << 10

// send delivers n to c within ctx's deadline. An error means the
// delivery did not happen (a retry may succeed).
func (s *sender) send(ctx context.Context, c *channel.Channel, n *Notice) (Result, error) {
	switch c.Type {
	case channel.TypeWebhook:
		return s.post(ctx, c.URL, n.DeliveryID, WebhookPayload(n))
	case channel.TypeSlack:
		return s.post(ctx, c.URL, n.DeliveryID, SlackPayload(n, c))
	case channel.TypeEmail:
		return s.email(ctx, c, n)
	}
	return Result{}, fmt.Errorf("channels of type %s are not delivered by this backend", c.Type)
}

// post sends a JSON body; any 2xx is a success.
func (s *sender) post(ctx context.Context, url, deliveryID string, body []byte) (Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Result{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", s.userAgent)
	req.Header.Set(DeliveryIDHeader, deliveryID)
	resp, err := s.http.Do(req)
	if err != nil {
		return Result{}, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20)) // let the connection be reused
	r := Result{Status: resp.StatusCode, Response: string(b)}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return r, fmt.Errorf("the receiver answered %s", resp.Status)
	}
	return r, nil
}

// email sends a plain-text message to the channel's addresses through
// the relay; its Message-ID carries the delivery id.
func (s *sender) email(ctx context.Context, c *channel.Channel, n *Notice) (Result, error) {
	if s.smtp == nil {
		return Result{}, ErrNoSMTP
	}
	if len(c.Emails) == 0 {
		return Result{}, errors.New("the channel has no email addresses (user ids cannot be resolved here)")
	}
	m := mail.NewMsg()
	if err := m.From(s.smtp.From); err != nil {
		return Result{}, err
	}
	if err := m.To(c.Emails...); err != nil {
		return Result{}, err
	}
	m.Subject(n.Subject())
	m.SetMessageIDWithValue(n.DeliveryID + "@mkr.notify")
	m.SetDate()
	m.SetGenHeader(mail.Header(DeliveryIDHeader), n.DeliveryID)
	m.SetBodyString(mail.TypeTextPlain, n.Summary())

	opts := []mail.Option{mail.WithPort(s.smtp.Port), mail.WithTimeout(timeoutOf(ctx))}
	switch {
	case s.smtp.ImplicitTLS:
		opts = append(opts, mail.WithSSL())
	case s.smtp.StartTLS == StartTLSRequire:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	default:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.smtp.TLSConfig != nil {
		opts = append(opts, mail.WithTLSConfig(s.smtp.TLSConfig))
	}
	if s.smtp.Username != "" {
		// Auto-discovery picks the strongest mechanism the server offers,
		// and never a clear-text one (PLAIN, LOGIN) without TLS.
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.smtp.Username), mail.WithPassword(s.smtp.Password))
	}
	client, err := mail.NewClient(s.smtp.Host, opts...)
	if err != nil {
		return Result{}, err
	}
	if err := client.DialAndSendWithContext(ctx, m); err != nil {
		msg := err.Error()
		if s.smtp.Password != "" {
			msg = strings.ReplaceAll(msg, s.smtp.Password, "[REDACTED]")
		}
		return Result{}, errors.New(msg)
	}
	return Result{Status: 250, Response: "accepted by " + s.smtp.Host}, nil
}

// timeoutOf is what is left of ctx's deadline (10 s without one).
func timeoutOf(ctx context.Context) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		if d := time.Until(dl); d > 0 {
			return d
		}
		return time.Millisecond
	}
	return DefaultTimeout
}
