// Package channel is the model of a notification channel
// (/api/v0/channels): its Go form, its wire JSON and its validation. It
// holds no storage and no delivery: package store keeps a channel as the
// canonical JSON Encode produces, with its suspension apart, and package
// notify delivers to it.
package channel

import "slices"

// Channel types. Only Email, Slack and Webhook can be created or changed
// through the API; the others are listed as they are.
const (
	TypeEmail   = "email"
	TypeSlack   = "slack"
	TypeWebhook = "webhook"
)

// Writable lists the types the API creates and updates.
var Writable = []string{TypeEmail, TypeSlack, TypeWebhook}

// Events a channel of a writable type may subscribe to.
const (
	EventAlert        = "alert"
	EventAlertGroup   = "alertGroup"
	EventHostStatus   = "hostStatus"
	EventHostRegister = "hostRegister"
	EventHostRetire   = "hostRetire"
	EventMonitor      = "monitor"
)

// Events lists every event, in the API's order.
var Events = []string{EventAlert, EventAlertGroup, EventHostStatus, EventHostRegister, EventHostRetire, EventMonitor}

// DefaultEvents is what a channel created without "events" subscribes to:
// alerts, the one thing every channel is for. (The API documents events
// as an input without saying what leaving it out means; this is this
// backend's choice.)
var DefaultEvents = []string{EventAlert}

// Mentions are a Slack channel's texts per alert status.
type Mentions struct {
	OK       string `json:"ok,omitempty"`
	Warning  string `json:"warning,omitempty"`
	Critical string `json:"critical,omitempty"`
}

// Channel is one notification channel of any type. Fields a type does not
// use are zero once normalized.
type Channel struct {
	ID   string
	Name string
	Type string

	Emails  []string // email
	UserIDs []string // email

	Mentions          Mentions // slack
	EnabledGraphImage bool     // slack, webhook
	URL               string   // slack, webhook
	Events            []string // email, slack, webhook

	// AddToDefaultNotificationGroup is a create request's wish that the
	// new channel join the default notification group. It is never stored
	// nor answered; an update ignores it.
	AddToDefaultNotificationGroup bool
}

// IsWritable reports whether the API creates and updates channels of
// type t.
func IsWritable(t string) bool { return slices.Contains(Writable, t) }

// Subscribes reports whether c is to be told about event.
func (c *Channel) Subscribes(event string) bool { return slices.Contains(c.Events, event) }

// Normalize keeps only the fields of c's type (a body may carry others,
// which the API ignores), drops repeated emails, user ids and events, and
// fills in the default events. A channel of another type keeps only its
// id, name and type; Validate refuses to write one.
func (c *Channel) Normalize() {
	n := Channel{ID: c.ID, Name: c.Name, Type: c.Type,
		AddToDefaultNotificationGroup: c.AddToDefaultNotificationGroup}
	switch c.Type {
	case TypeEmail:
		n.Emails, n.UserIDs = unique(c.Emails), unique(c.UserIDs)
	case TypeSlack:
		n.Mentions, n.EnabledGraphImage, n.URL = c.Mentions, c.EnabledGraphImage, c.URL
	case TypeWebhook:
		n.EnabledGraphImage, n.URL = c.EnabledGraphImage, c.URL
	}
	if IsWritable(c.Type) {
		n.Events = unique(c.Events)
		if c.Events == nil {
			n.Events = slices.Clone(DefaultEvents)
		}
	}
	*c = n
}

// unique returns s without repeats, in first-seen order, never nil.
func unique(s []string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
