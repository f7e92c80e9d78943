package notify

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"

	"github.com/mkr-dev/mkr/internal/redact"
)

// STARTTLS policies of an smtp:// relay.
const (
	StartTLSAuto    = "auto"    // upgrade when the server offers it (default)
	StartTLSRequire = "require" // refuse to send unless the server offers it
)

// SMTPConfig is the relay email channels are sent through.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// ImplicitTLS: smtps://, TLS from the first byte.
	ImplicitTLS bool
	// StartTLS is the policy of smtp:// (StartTLSAuto or StartTLSRequire).
	StartTLS string
	// TLSConfig, when set, replaces the default TLS settings (tests trust
	// their own certificate with it).
	TLSConfig *tls.Config
}

// ParseSMTPURL reads smtp[s]://[user[:password]@]host[:port]?from=ADDR
// [&starttls=auto|require]. smtps uses TLS from the start (port 465 by
// default); smtp (port 25 by default) upgrades with STARTTLS when the
// server offers it, or refuses to send without it with starttls=require.
// Errors never show the password.
func ParseSMTPURL(raw string) (*SMTPConfig, error) {
	shown := redact.URL(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL %s: not a URL", shown)
	}
	c := &SMTPConfig{Host: u.Hostname(), StartTLS: StartTLSAuto}
	switch u.Scheme {
	case "smtp":
		c.Port = 25
	case "smtps":
		c.Port, c.ImplicitTLS = 465, true
	default:
		return nil, fmt.Errorf("SMTP URL %s: the scheme must be smtp or smtps", shown)
	}
	if c.Host == "" {
		return nil, fmt.Errorf("SMTP URL %s: no host", shown)
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return nil, fmt.Errorf("SMTP URL %s: bad port %q", shown, p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	c.From = q.Get("from")
	if c.From == "" {
		return nil, fmt.Errorf("SMTP URL %s: from=ADDRESS is required (the sender of notifications)", shown)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return nil, fmt.Errorf("SMTP URL %s: from=%q is not an email address", shown, c.From)
	}
	switch s := q.Get("starttls"); s {
	case "", StartTLSAuto:
	case StartTLSRequire:
		c.StartTLS = StartTLSRequire
	default:
		return nil, fmt.Errorf("SMTP URL %s: starttls must be auto or require, not %q", shown, s)
	}
	return c, nil
}

// String shows the relay without its password.
func (c *SMTPConfig) String() string {
	scheme := "smtp"
	if c.ImplicitTLS {
		scheme = "smtps"
	}
	user := ""
	if c.Username != "" {
		user = url.User(c.Username).String() + "@"
	}
	return fmt.Sprintf("%s://%s%s?from=%s", scheme, user, net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), url.QueryEscape(c.From))
}
