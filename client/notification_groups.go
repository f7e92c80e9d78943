package client

import (
	"context"
	"encoding/json"
)

// NotificationGroup is a notification group (GET
// /api/v0/notification-groups): who hears about which alerts. It keeps the
// JSON object (notification_groups_wire.go) and prints as
// mackerel-client-go v0.46.0's struct does: id, type, name,
// notificationLevel, childNotificationGroupIds and childChannelIds (null
// when absent), monitors ({id, skipDefault}) and services ({name}) when
// not empty; then fields this client does not know.
type NotificationGroup struct {
	wireObject
}

var notificationGroupSchema = []wireField{
	{name: "id", kind: wString},
	{name: "type", kind: wString},
	{name: "name", kind: wStringAlways},
	{name: "notificationLevel", kind: wStringAlways},
	{name: "childNotificationGroupIds", kind: wStringsNull},
	{name: "childChannelIds", kind: wStringsNull},
	{name: "monitors", kind: wObjects, sub: []wireField{
		{name: "id", kind: wStringAlways}, {name: "skipDefault", kind: wBoolAlways},
	}},
	{name: "services", kind: wObjects, sub: []wireField{
		{name: "name", kind: wStringAlways},
	}},
}

// Notification group types: the one default group, and the others.
const (
	NotificationGroupTypeDefault = "group-default"
	NotificationGroupTypeGroup   = "group"
)

// ID is the group's id ("" before it is created).
func (g *NotificationGroup) ID() string { return g.String("id") }

// Name is the group's name.
func (g *NotificationGroup) Name() string { return g.String("name") }

// Type is "group-default" for the default group, "group" for the others
// (the API sets it; a file may leave it out).
func (g *NotificationGroup) Type() string { return g.String("type") }

// IsDefault reports whether g is the default group.
func (g *NotificationGroup) IsDefault() bool { return g.Type() == NotificationGroupTypeDefault }

// MonitorIDs are the ids of the group's monitors.
func (g *NotificationGroup) MonitorIDs() []string {
	var ms []struct {
		ID string `json:"id"`
	}
	if v, ok := g.raw("monitors"); ok {
		_ = json.Unmarshal(v, &ms)
	}
	ids := make([]string, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.ID)
	}
	return ids
}

// ServiceNames are the names of the group's services.
func (g *NotificationGroup) ServiceNames() []string {
	var ss []struct {
		Name string `json:"name"`
	}
	if v, ok := g.raw("services"); ok {
		_ = json.Unmarshal(v, &ss)
	}
	names := make([]string, 0, len(ss))
	for _, s := range ss {
		names = append(names, s.Name)
	}
	return names
}

// Without returns a copy of g without the fields keys.
func (g *NotificationGroup) Without(keys ...string) *NotificationGroup {
	return &NotificationGroup{g.without(keys...)}
}

// Set sets the field key to v, checked against the type the API gives it.
func (g *NotificationGroup) Set(key string, v any) error {
	return g.setWith(notificationGroupSchema, "notification group", key, v)
}

// UnmarshalJSON reads a group, keeping every field in order; known fields
// must have the type the API gives them.
func (g *NotificationGroup) UnmarshalJSON(data []byte) error {
	o, err := decodeWire(notificationGroupSchema, "notification group", data)
	if err != nil {
		return err
	}
	g.wireObject = o
	return nil
}

// MarshalJSON writes the group as mackerel-client-go does, then the fields
// it does not know.
func (g NotificationGroup) MarshalJSON() ([]byte, error) {
	return encodeWire(notificationGroupSchema, g.wireObject), nil
}

// FindNotificationGroups calls GET /api/v0/notification-groups.
func (c *Client) FindNotificationGroups(ctx context.Context) ([]*NotificationGroup, error) {
	var data struct {
		NotificationGroups []*NotificationGroup `json:"notificationGroups"`
	}
	if err := c.get(ctx, "/api/v0/notification-groups", nil, &data); err != nil {
		return nil, err
	}
	if data.NotificationGroups == nil {
		data.NotificationGroups = []*NotificationGroup{}
	}
	return data.NotificationGroups, nil
}

// CreateNotificationGroup calls POST /api/v0/notification-groups.
func (c *Client) CreateNotificationGroup(ctx context.Context, g *NotificationGroup) (*NotificationGroup, error) {
	var out NotificationGroup
	if err := c.post(ctx, "/api/v0/notification-groups", g, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateNotificationGroup calls PUT /api/v0/notification-groups/<id> with
// the whole definition g.
func (c *Client) UpdateNotificationGroup(ctx context.Context, id string, g *NotificationGroup) (*NotificationGroup, error) {
	var out NotificationGroup
	if err := c.put(ctx, pathf("/api/v0/notification-groups/%s", id), g, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteNotificationGroup calls DELETE /api/v0/notification-groups/<id>
// and returns the group as it was (the default group cannot be deleted).
func (c *Client) DeleteNotificationGroup(ctx context.Context, id string) (*NotificationGroup, error) {
	var out NotificationGroup
	if err := c.delete(ctx, pathf("/api/v0/notification-groups/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
