// Package notify delivers the outbox (store.AlertEvent) to notification
// channels: routing through notification groups, the payload of each
// channel type (webhook, Slack, email), and a dispatcher that sends with
// retries, backoff and channel suspension, at least once, with a stable
// delivery id per (event, channel) for receivers to de-duplicate on.
package notify

import (
	"slices"

	"github.com/mkr-dev/mkr/backend/channel"
	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// Target is what routing needs to know of an outbox event.
type Target struct {
	Kind      string // store.EventAlert, …
	MonitorID string // the alert's or the monitor event's monitor
	// Services are those of the event's host (its roles) and of its
	// monitor (service and external monitors).
	Services   []string
	Status     string // alerts: the status after the change
	PrevStatus string // alerts: "" when opened, == Status for a repeat
}

// Dest is a channel as routing sees it.
type Dest struct {
	Channel   *channel.Channel
	Suspended bool
}

// Deliverable reports whether this backend can send to channels of type
// t: other types are stored and listed but never delivered to.
func Deliverable(t string) bool {
	return t == channel.TypeEmail || t == channel.TypeSlack || t == channel.TypeWebhook
}

// Route returns the ids of the channels an event goes to, each once, in
// the order found (groups in list order, then their channels and child
// groups). The groups that match are the default group — unless a group
// lists the monitor with skipDefault — and every group listing the
// monitor or one of the services; each passes the event on to its
// channels and child groups (recursively, each group once however many
// paths lead to it) if its notificationLevel lets the event through, so
// a critical-only group stops WARNING for everything under it. Suspended
// channels, channels of types never delivered, unknown channel ids and
// channels not subscribed to the event's kind are left out.
func Route(t Target, groups []*notifygroup.Group, dests map[string]*Dest) []string {
	byID := make(map[string]*notifygroup.Group, len(groups))
	skipDefault := false
	for _, g := range groups {
		byID[g.ID] = g
		for _, m := range g.Monitors {
			if t.MonitorID != "" && m.ID == t.MonitorID && m.SkipDefault {
				skipDefault = true
			}
		}
	}
	var out []string
	visited := map[string]bool{}
	var visit func(g *notifygroup.Group)
	visit = func(g *notifygroup.Group) {
		if visited[g.ID] || !levelPasses(g.NotificationLevel, t) {
			return
		}
		visited[g.ID] = true
		for _, id := range g.ChildChannelIDs {
			d := dests[id]
			if d == nil || d.Suspended || !Deliverable(d.Channel.Type) || !d.Channel.Subscribes(t.Kind) || slices.Contains(out, id) {
				continue
			}
			out = append(out, id)
		}
		for _, id := range g.ChildGroupIDs {
			if child := byID[id]; child != nil {
				visit(child)
			}
		}
	}
	for _, g := range groups {
		if matches(g, t, skipDefault) {
			visit(g)
		}
	}
	return out
}

// matches reports whether a group takes an event directly (not as a
// child).
func matches(g *notifygroup.Group, t Target, skipDefault bool) bool {
	if g.IsDefault {
		return !skipDefault
	}
	if t.MonitorID != "" && slices.ContainsFunc(g.Monitors, func(m notifygroup.MonitorRule) bool { return m.ID == t.MonitorID }) {
		return true
	}
	return slices.ContainsFunc(g.Services, func(s notifygroup.ServiceRule) bool { return slices.Contains(t.Services, s.Name) })
}

// levelPasses applies a group's notificationLevel: "critical" passes
// only CRITICAL and UNKNOWN alerts (repeats included) and their recovery
// (OK right after CRITICAL or UNKNOWN). Events without a status (host
// and monitor events) are not alerts and always pass.
func levelPasses(level string, t Target) bool {
	if level != notifygroup.LevelCritical || t.Status == "" {
		return true
	}
	severe := func(s string) bool { return s == "CRITICAL" || s == "UNKNOWN" }
	if t.Status == "OK" {
		return severe(t.PrevStatus)
	}
	return severe(t.Status)
}

// kindOf is an event's kind ("" is an alert, as in old outbox rows).
func kindOf(e *store.AlertEvent) string {
	if e.Kind == "" {
		return store.EventAlert
	}
	return e.Kind
}
