package channel

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// The wire form of each type, keys in the order of mackerel-client-go
// v0.46.0's Channel struct (id, name, type, suspendedAt, emails, userIds,
// mentions, enabledGraphImage, url, events). Every key of the type is
// always present, as the API documents the "detailed information" of each
// writable type: emails, userIds and events of an email channel; url,
// mentions (only the statuses given), enabledGraphImage and events of a
// Slack channel; url, enabledGraphImage and events of a webhook channel.
// A channel of another type is its id, name and type only.
//
// suspendedAt is not part of the stored form (the store keeps it apart:
// delivery sets it, an update clears it). The list and the deletion answer
// it, null when the channel is not suspended, as the API documents
// <channel>; create and update answer the documented form without it.

type emailJSON struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Type        string          `json:"type"`
	SuspendedAt json.RawMessage `json:"suspendedAt,omitempty"`
	Emails      []string        `json:"emails"`
	UserIDs     []string        `json:"userIds"`
	Events      []string        `json:"events"`
}

type slackJSON struct {
	ID                string          `json:"id"`
	Name              string          `json:"name"`
	Type              string          `json:"type"`
	SuspendedAt       json.RawMessage `json:"suspendedAt,omitempty"`
	Mentions          Mentions        `json:"mentions"`
	EnabledGraphImage bool            `json:"enabledGraphImage"`
	URL               string          `json:"url"`
	Events            []string        `json:"events"`
}

type webhookJSON struct {
	ID                string          `json:"id"`
	Name              string          `json:"name"`
	Type              string          `json:"type"`
	SuspendedAt       json.RawMessage `json:"suspendedAt,omitempty"`
	EnabledGraphImage bool            `json:"enabledGraphImage"`
	URL               string          `json:"url"`
	Events            []string        `json:"events"`
}

type otherJSON struct {
	ID          string          `json:"id"`
	Name        string          `json:"name"`
	Type        string          `json:"type"`
	SuspendedAt json.RawMessage `json:"suspendedAt,omitempty"`
}

// Encode returns the canonical wire JSON of c without suspendedAt: what
// the store keeps and what create and update answer. c should be
// normalized and valid. < > & are not escaped (the hosted API sends
// them as they are).
func Encode(c *Channel) []byte { return encode(wire(c, nil)) }

// EncodeListed returns c's wire JSON with suspendedAt (epoch seconds; 0
// means not suspended and gives null): an item of the list and the answer
// of a deletion.
func EncodeListed(c *Channel, suspendedAt int64) []byte {
	s := json.RawMessage("null")
	if suspendedAt != 0 {
		s = strconv.AppendInt(nil, suspendedAt, 10)
	}
	return encode(wire(c, s))
}

func encode(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Strings, booleans and a number: encoding cannot fail.
		panic("channel: encoding: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func wire(c *Channel, suspendedAt json.RawMessage) any {
	switch c.Type {
	case TypeEmail:
		return emailJSON{ID: c.ID, Name: c.Name, Type: c.Type, SuspendedAt: suspendedAt,
			Emails: nonNil(c.Emails), UserIDs: nonNil(c.UserIDs), Events: nonNil(c.Events)}
	case TypeSlack:
		return slackJSON{ID: c.ID, Name: c.Name, Type: c.Type, SuspendedAt: suspendedAt,
			Mentions: c.Mentions, EnabledGraphImage: c.EnabledGraphImage, URL: c.URL, Events: nonNil(c.Events)}
	case TypeWebhook:
		return webhookJSON{ID: c.ID, Name: c.Name, Type: c.Type, SuspendedAt: suspendedAt,
			EnabledGraphImage: c.EnabledGraphImage, URL: c.URL, Events: nonNil(c.Events)}
	}
	return otherJSON{ID: c.ID, Name: c.Name, Type: c.Type, SuspendedAt: suspendedAt}
}
