package notify

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/channel"
	"github.com/mkr-dev/mkr/backend/store"
)

// SendTest sends a test notification to c now, whatever its suspension
// and events, and returns the receiver's answer. Nothing is stored.
func (d *Dispatcher) SendTest(ctx context.Context, c *channel.Channel) (Result, error) {
	now := d.st.Now().Unix()
	n := &Notice{
		DeliveryID:  "test-" + store.NewID(),
		Test:        true,
		Event:       &store.AlertEvent{Kind: store.EventAlert, Status: "OK", Trigger: "test", CreatedAt: now},
		Alert:       &store.Alert{ID: "test", Status: "OK", Type: "test", Message: "This is a test notification from mkr.", OpenedAt: now},
		MonitorName: "test notification",
	}
	if org, err := d.st.GetOrg(ctx); err == nil {
		n.OrgName = org.Name
	}
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	r, err := d.send.send(ctx, c, n)
	if errors.Is(err, ErrNoSMTP) {
		return r, err
	}
	if err != nil {
		return r, &SendError{Result: r, Message: describe(err)}
	}
	return r, nil
}

// SendError is a failed send with what the receiver answered, if it did.
type SendError struct {
	Result
	Message string
}

func (e *SendError) Error() string { return e.Message }
