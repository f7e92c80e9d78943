package backend

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/backend/notify"
)

// Local mode has no daemon: commands that run the engine also send the
// deliveries that are due, within these bounds, so that a dead or slow
// receiver never stalls a command for long.
const (
	localDeliveryBudget = 5 * time.Second
	localSendTimeout    = 2 * time.Second
)

// notifier holds the backend's notification dispatcher: serve's (with its
// SMTP relay) once StartMonitoringWith ran, else a local-mode one built on
// first use, which has no relay (email deliveries wait for mkr serve).
type notifier struct {
	mu   sync.Mutex
	d    *notify.Dispatcher
	smtp *notify.SMTPConfig // ConfigureSMTP's
}

// ConfigureSMTP sets the relay serve's dispatcher sends email through
// (mkr serve --smtp-url; see notify.ParseSMTPURL) and returns it without
// its password. Call it before StartMonitoring.
func (b *Backend) ConfigureSMTP(rawURL string) (shown string, err error) {
	cfg, err := notify.ParseSMTPURL(rawURL)
	if err != nil {
		return "", err
	}
	n := &b.eval.notify
	n.mu.Lock()
	n.smtp = cfg
	n.mu.Unlock()
	return cfg.String(), nil
}

// dispatcher returns the backend's dispatcher.
func (b *Backend) dispatcher() *notify.Dispatcher {
	n := &b.eval.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.d == nil {
		n.d = notify.New(b.store, notify.Options{Timeout: localSendTimeout})
	}
	return n.d
}

// startNotifications builds serve's dispatcher; the caller runs it.
func (b *Backend) startNotifications(opts MonitoringOptions) *notify.Dispatcher {
	n := &b.eval.notify
	n.mu.Lock()
	defer n.mu.Unlock()
	smtp := opts.SMTP
	if smtp == nil {
		smtp = n.smtp
	}
	n.d = notify.New(b.store, notify.Options{SMTP: smtp, Version: opts.Version, Transport: opts.NotifyTransport})
	return n.d
}

// deliverPending routes new outbox events and sends what is due, in
// local mode, bounded in time; under serve it wakes the dispatcher's loop.
// Failing never fails the request.
func (b *Backend) deliverPending(ctx context.Context) {
	if b.eval.background.Load() {
		b.dispatcher().Kick() // serve's loop: look at the outbox now
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), localDeliveryBudget)
	defer cancel()
	if err := b.dispatcher().RunOnce(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		slog.Warn("delivering notifications", "error", err)
	}
}
