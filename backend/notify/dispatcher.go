package notify

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/mkr-dev/mkr/backend/channel"
	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// Defaults of Options.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultBackoff     = 30 * time.Second
	DefaultMaxBackoff  = 30 * time.Minute
	DefaultMaxAttempts = 8
	DefaultBatchSize   = 64
	DefaultPoll        = 250 * time.Millisecond
	// DefaultIdle is how often Run looks for due retries when nothing
	// wakes it.
	DefaultIdle = 2 * time.Second
)

// Options tune a Dispatcher.
type Options struct {
	// SMTP is the relay of email channels; nil leaves their deliveries
	// pending (they are sent once a dispatcher with a relay runs).
	SMTP *SMTPConfig
	// Timeout bounds each send (default DefaultTimeout).
	Timeout time.Duration
	// Backoff is the wait after a first failure, doubled after each next
	// one up to MaxBackoff; after MaxAttempts failures the delivery fails
	// for good and its channel is suspended.
	Backoff     time.Duration
	MaxBackoff  time.Duration
	MaxAttempts int
	// BatchSize bounds the deliveries claimed at once.
	BatchSize int
	// Poll is how often Run reads the outbox for new events.
	Poll time.Duration
	// Version names mkr in the User-Agent.
	Version string
	// Transport, when set, carries webhook and Slack requests.
	Transport http.RoundTripper
}

// Dispatcher turns outbox events into deliveries and sends them. Several
// dispatchers may run on one database (mkr serve and local commands):
// routing moves a shared cursor compare-and-set and deliveries are
// claimed before they are sent, so each is sent by one of them.
type Dispatcher struct {
	st    store.Store
	opts  Options
	owner string // this dispatcher's claims
	send  *sender
	kick  chan struct{}
	mu    sync.Mutex // one pass at a time in this process
}

// New returns a dispatcher over st.
func New(st store.Store, opts Options) *Dispatcher {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Backoff <= 0 {
		opts.Backoff = DefaultBackoff
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = DefaultMaxBackoff
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	ua := "mkr"
	if opts.Version != "" {
		ua += "/" + opts.Version
	}
	transport := opts.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	return &Dispatcher{st: st, opts: opts, owner: store.NewID(), kick: make(chan struct{}, 1),
		send: &sender{http: &http.Client{Transport: transport}, smtp: opts.SMTP, userAgent: ua}}
}

// Kick wakes Run soon (new events were written).
func (d *Dispatcher) Kick() {
	select {
	case d.kick <- struct{}{}:
	default:
	}
}

// Run routes and delivers until ctx ends: after Kick, every Poll for new
// events, and when a retry falls due. Errors are logged.
func (d *Dispatcher) Run(ctx context.Context) {
	for {
		began := time.Now()
		if err := d.RunOnce(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("delivering notifications", "error", err)
		}
		t := time.NewTimer(d.opts.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-d.kick:
			t.Stop()
			// Kicks that come faster than kickGap share a pass: a fleet's
			// check reports are hundreds of writes a second.
			if wait := kickGap - time.Since(began); wait > 0 {
				t = time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return
				case <-t.C:
				}
			}
		case <-t.C:
		}
	}
}

// kickGap is the least time between the starts of two passes that Kick
// asks for.
const kickGap = 50 * time.Millisecond

// RunOnce routes every new event and sends every delivery due now, batch
// after batch, until none is left or ctx ends.
func (d *Dispatcher) RunOnce(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.route(ctx); err != nil {
		return err
	}
	for ctx.Err() == nil {
		more, err := d.deliver(ctx)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// route turns the events after the routing cursor into deliveries.
func (d *Dispatcher) route(ctx context.Context) error {
	cursor, err := d.st.RoutingCursor(ctx)
	if err != nil {
		return err
	}
	for {
		events, err := d.st.AlertEvents(ctx, cursor, 256)
		if err != nil || len(events) == 0 {
			return err
		}
		groups, dests, err := d.config(ctx)
		if err != nil {
			return err
		}
		res := newResolver(d.st)
		now := d.st.Now().Unix()
		var ds []*store.Delivery
		settled := false
		resumed := make(map[string]*Dest, len(dests))
		for id, dest := range dests {
			resumed[id] = &Dest{Channel: dest.Channel}
		}
		for _, e := range events {
			if !e.Notify {
				continue
			}
			if len(dests) == 0 {
				continue // no channel: nothing to resolve
			}
			n, err := res.notice(ctx, e)
			if errors.Is(err, store.ErrNotFound) {
				slog.Warn("not notifying an event whose subject is gone", "seq", e.Seq, "error", err)
				continue
			}
			if err != nil {
				return err
			}
			ids := Route(n.target(), groups, dests)
			for _, id := range ids {
				ds = append(ds, &store.Delivery{EventSeq: e.Seq, ChannelID: id, NextAt: now})
			}
			if len(ids) == 0 && len(Route(n.target(), groups, resumed)) > 0 {
				settled = true // skipped for a suspension: never to be sent later
			}
		}
		last := events[len(events)-1]
		if len(ds) == 0 && !settled && now-last.CreatedAt < settleSeconds {
			// Nothing to send: leave the stored cursor for now rather than
			// write on a read (the next pass reads these few events again).
			return nil
		}
		through := last.Seq
		err = d.st.RouteEvents(ctx, cursor, through, ds)
		if errors.Is(err, store.ErrConflict) { // another dispatcher routed them
			if cursor, err = d.st.RoutingCursor(ctx); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		cursor = through
	}
}

// settleSeconds: events that no channel wants (suspended channels count as
// wanting) move the stored routing cursor only once they are this old, or
// with later events that are written, so that merely reading the outbox —
// as every local command does — writes nothing. A channel created within
// that time may still receive them.
const settleSeconds = 60

// config reads the notification groups and channels routing uses.
// Groups or channels that do not decode are skipped with a warning.
func (d *Dispatcher) config(ctx context.Context) ([]*notifygroup.Group, map[string]*Dest, error) {
	stored, err := d.st.ListNotificationGroups(ctx)
	if err != nil {
		return nil, nil, err
	}
	groups := make([]*notifygroup.Group, 0, len(stored))
	for _, sg := range stored {
		g, err := notifygroup.DecodeGroup(sg.Body)
		if err != nil {
			slog.Warn("skipping a notification group that does not decode", "id", sg.ID, "error", err)
			continue
		}
		g.ID, g.IsDefault = sg.ID, sg.IsDefault
		groups = append(groups, g)
	}
	dests, err := d.channels(ctx)
	return groups, dests, err
}

func (d *Dispatcher) channels(ctx context.Context) (map[string]*Dest, error) {
	list, err := d.st.ListChannels(ctx)
	if err != nil {
		return nil, err
	}
	dests := make(map[string]*Dest, len(list))
	for _, sc := range list {
		c, err := channel.Decode(sc.Body)
		if err != nil {
			slog.Warn("skipping a channel that does not decode", "id", sc.ID, "error", err)
			continue
		}
		c.ID, c.Type = sc.ID, sc.Type
		dests[sc.ID] = &Dest{Channel: c, Suspended: sc.SuspendedAt != 0}
	}
	return dests, nil
}

// deliver claims one batch of due deliveries and sends it; more reports
// a full batch (there may be more due).
func (d *Dispatcher) deliver(ctx context.Context) (more bool, err error) {
	dests, err := d.channels(ctx)
	if err != nil {
		return false, err
	}
	var skip []string
	for id, dest := range dests {
		if dest.Suspended || (dest.Channel.Type == channel.TypeEmail && d.send.smtp == nil) {
			skip = append(skip, id)
		}
	}
	now := d.st.Now().Unix()
	if at, ok, err := d.st.NextDeliveryAt(ctx, skip); err != nil || !ok || at > now {
		return false, err // nothing due: no write lock taken
	}
	// The claim covers the whole batch sent one after another to one
	// channel; a dispatcher that dies mid-batch leaves it to be taken
	// over when it expires.
	lease := now + int64((d.opts.Timeout * time.Duration(d.opts.BatchSize+1)).Seconds())
	claimed, err := d.st.ClaimDeliveries(ctx, d.owner, now, lease, skip, d.opts.BatchSize)
	if err != nil || len(claimed) == 0 {
		return false, err
	}
	// Resolve first (the resolver is not concurrent), then send each
	// channel's deliveries in order, channels side by side.
	res := newResolver(d.st)
	byChannel := map[string][]*store.Delivery{}
	var order []string
	notices := map[string]*Notice{}
	for _, dl := range claimed {
		n, err := res.notice(ctx, dl.Event)
		if err != nil {
			d.finish(ctx, dl, store.DeliveryFailed, 0, "cannot build the notification: "+err.Error())
			continue
		}
		n.DeliveryID = dl.ID
		notices[dl.ID] = n
		if _, ok := byChannel[dl.ChannelID]; !ok {
			order = append(order, dl.ChannelID)
		}
		byChannel[dl.ChannelID] = append(byChannel[dl.ChannelID], dl)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for _, id := range order {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			d.sendAll(ctx, dests[id], byChannel[id], notices)
		})
	}
	wg.Wait()
	return len(claimed) == d.opts.BatchSize, nil
}

// sendAll sends one channel's claimed deliveries in order. After a
// failure the rest wait for the same retry time without counting an
// attempt: a receiver that is down is not hammered.
func (d *Dispatcher) sendAll(ctx context.Context, dest *Dest, ds []*store.Delivery, notices map[string]*Notice) {
	var retryAt int64
	for _, dl := range ds {
		switch {
		case dest == nil:
			d.finish(ctx, dl, store.DeliveryFailed, 0, "the channel was deleted")
			continue
		case retryAt != 0 || ctx.Err() != nil:
			if retryAt == 0 {
				retryAt = d.st.Now().Unix()
			}
			d.finish(ctx, dl, store.DeliveryPending, retryAt, "")
			continue
		}
		sctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
		_, err := d.send.send(sctx, dest.Channel, notices[dl.ID])
		cancel()
		if err == nil {
			d.finish(ctx, dl, store.DeliverySent, 0, "")
			continue
		}
		msg := describe(err)
		if ctx.Err() != nil { // stopped, not the receiver's fault
			retryAt = d.st.Now().Unix()
			d.finish(ctx, dl, store.DeliveryPending, retryAt, "")
			continue
		}
		attempts := dl.Attempts + 1
		slog.Warn("notification not delivered", "channel", dl.ChannelID, "delivery", dl.ID, "attempt", attempts, "error", msg)
		if attempts >= d.opts.MaxAttempts {
			d.finish(ctx, dl, store.DeliveryFailed, 0, msg)
			now := d.st.Now().Unix()
			if err := d.st.SuspendChannel(ctx, dl.ChannelID, now); err != nil {
				slog.Warn("suspending a channel", "channel", dl.ChannelID, "error", err)
			} else {
				slog.Warn("channel suspended after repeated delivery failures; updating it resumes delivery", "channel", dl.ChannelID)
			}
			retryAt = now // its other deliveries wait for the suspension to end
			continue
		}
		retryAt = d.st.Now().Add(d.backoff(attempts)).Unix()
		d.finish(ctx, dl, store.DeliveryPending, retryAt, msg)
	}
}

// backoff is the wait after the nth failure: Backoff doubled n-1 times,
// at most MaxBackoff.
func (d *Dispatcher) backoff(n int) time.Duration {
	b := d.opts.Backoff
	for i := 1; i < n && b < d.opts.MaxBackoff; i++ {
		b *= 2
	}
	return min(b, d.opts.MaxBackoff)
}

// finish records an outcome; a lost claim (another dispatcher took the
// delivery after ours expired) records nothing.
func (d *Dispatcher) finish(ctx context.Context, dl *store.Delivery, status string, nextAt int64, errMsg string) {
	ctx = context.WithoutCancel(ctx) // record what happened even when stopping
	err := d.st.FinishDelivery(ctx, dl.ID, d.owner, status, d.st.Now().Unix(), nextAt, errMsg)
	if err != nil && !errors.Is(err, store.ErrConflict) {
		slog.Warn("recording a notification delivery", "delivery", dl.ID, "error", err)
	}
}

// describe is an error without the request URL (Slack's and many
// webhooks' URLs are secrets).
func describe(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out"
	}
	return err.Error()
}
