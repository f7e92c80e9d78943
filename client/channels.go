package client

import (
	"context"
	"encoding/json"
)

// Channel is a notification channel (GET /api/v0/channels) of any type.
//
// It keeps the JSON object itself (notification_groups_wire.go): fields
// this client does not know are kept, and channel types it cannot create
// (chatwork, pagerduty, …) are listed with everything the API says about
// them. It prints as mackerel-client-go v0.46.0's Channel struct does, the
// way upstream mkr prints channels: id, name, type, suspendedAt, emails,
// userIds, mentions (always, even as {}), enabledGraphImage, url, events,
// addToDefaultNotificationGroup; then unknown fields.
type Channel struct {
	wireObject
}

var channelSchema = []wireField{
	{name: "id", kind: wString},
	{name: "name", kind: wStringAlways},
	{name: "type", kind: wStringAlways},
	{name: "suspendedAt", kind: wInt64Ptr},
	{name: "emails", kind: wStringsPtr},
	{name: "userIds", kind: wStringsPtr},
	{name: "mentions", kind: wObject, sub: []wireField{
		{name: "ok", kind: wString}, {name: "warning", kind: wString}, {name: "critical", kind: wString},
	}},
	{name: "enabledGraphImage", kind: wBoolPtr},
	{name: "url", kind: wString},
	{name: "events", kind: wStringsPtr},
	{name: "addToDefaultNotificationGroup", kind: wBoolPtr},
}

// ChannelTypesEditable are the channel types the API creates and updates.
var ChannelTypesEditable = []string{"email", "slack", "webhook"}

// ChannelEvents are the events a channel can subscribe to.
var ChannelEvents = []string{"alert", "alertGroup", "hostStatus", "hostRegister", "hostRetire", "monitor"}

// NewChannel returns a channel of type t named name.
func NewChannel(t, name string) *Channel {
	ch := &Channel{}
	_ = ch.Set("name", name)
	_ = ch.Set("type", t)
	return ch
}

// ID is the channel's id ("" before it is created).
func (ch *Channel) ID() string { return ch.String("id") }

// Name is the channel's name.
func (ch *Channel) Name() string { return ch.String("name") }

// Type is the channel's type (email, slack, webhook, or another).
func (ch *Channel) Type() string { return ch.String("type") }

// SuspendedAt is when delivery gave up on the channel (epoch seconds), or
// nil when it is not suspended.
func (ch *Channel) SuspendedAt() *int64 {
	var at *int64
	if v, ok := ch.raw("suspendedAt"); ok {
		_ = json.Unmarshal(v, &at)
	}
	return at
}

// Mention is the Slack mention for status ("ok", "warning" or "critical").
func (ch *Channel) Mention(status string) string {
	var m map[string]string
	if v, ok := ch.raw("mentions"); ok {
		_ = json.Unmarshal(v, &m)
	}
	return m[status]
}

// Set sets the field key to v, checked against the type the API gives it
// (a wrong type is an error).
func (ch *Channel) Set(key string, v any) error {
	return ch.setWith(channelSchema, "channel", key, v)
}

// Clone returns a copy of ch that can be changed on its own.
func (ch *Channel) Clone() *Channel {
	return &Channel{ch.without()}
}

// UnmarshalJSON reads a channel, keeping every field in order; known
// fields must have the type the API gives them.
func (ch *Channel) UnmarshalJSON(data []byte) error {
	o, err := decodeWire(channelSchema, "channel", data)
	if err != nil {
		return err
	}
	ch.wireObject = o
	return nil
}

// MarshalJSON writes the channel as mackerel-client-go does, then the
// fields it does not know.
func (ch Channel) MarshalJSON() ([]byte, error) {
	return encodeWire(channelSchema, ch.wireObject), nil
}

// FindChannels calls GET /api/v0/channels.
func (c *Client) FindChannels(ctx context.Context) ([]*Channel, error) {
	var data struct {
		Channels []*Channel `json:"channels"`
	}
	if err := c.get(ctx, "/api/v0/channels", nil, &data); err != nil {
		return nil, err
	}
	if data.Channels == nil {
		data.Channels = []*Channel{}
	}
	return data.Channels, nil
}

// CreateChannel calls POST /api/v0/channels (email, slack and webhook
// channels; "addToDefaultNotificationGroup" only here).
func (c *Client) CreateChannel(ctx context.Context, ch *Channel) (*Channel, error) {
	var out Channel
	if err := c.post(ctx, "/api/v0/channels", ch, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateChannel calls PUT /api/v0/channels/<id> with the whole definition
// ch (the type cannot change). An update clears a suspension.
func (c *Client) UpdateChannel(ctx context.Context, id string, ch *Channel) (*Channel, error) {
	var out Channel
	if err := c.put(ctx, pathf("/api/v0/channels/%s", id), ch, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteChannel calls DELETE /api/v0/channels/<id> and returns the channel
// as it was.
func (c *Client) DeleteChannel(ctx context.Context, id string) (*Channel, error) {
	var out Channel
	if err := c.delete(ctx, pathf("/api/v0/channels/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
