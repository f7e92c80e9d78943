package client

import (
	"context"
)

// Downtime is a period during which matching alerts are not raised. Field
// order and omitempty follow mackerel-client-go, so printed JSON matches
// what other Mackerel tools print. Start and Until are epoch seconds,
// Duration is in minutes, role scopes read "service: role".
type Downtime struct {
	ID                   string              `json:"id,omitempty"`
	Name                 string              `json:"name"`
	Memo                 string              `json:"memo,omitempty"`
	Start                int64               `json:"start"`
	Duration             int64               `json:"duration"`
	Recurrence           *DowntimeRecurrence `json:"recurrence,omitempty"`
	ServiceScopes        []string            `json:"serviceScopes,omitempty"`
	ServiceExcludeScopes []string            `json:"serviceExcludeScopes,omitempty"`
	RoleScopes           []string            `json:"roleScopes,omitempty"`
	RoleExcludeScopes    []string            `json:"roleExcludeScopes,omitempty"`
	MonitorScopes        []string            `json:"monitorScopes,omitempty"`
	MonitorExcludeScopes []string            `json:"monitorExcludeScopes,omitempty"`
}

// DowntimeRecurrence repeats a downtime every Interval hours, days, weeks,
// months or years (Type: hourly, daily, weekly, monthly, yearly); Weekdays
// (Sunday … Saturday) only for weekly; Until ends it (0: never).
type DowntimeRecurrence struct {
	Type     string   `json:"type"`
	Interval int64    `json:"interval"`
	Weekdays []string `json:"weekdays,omitempty"`
	Until    int64    `json:"until,omitempty"`
}

// DowntimeRecurrenceTypes are the recurrence types the API accepts.
var DowntimeRecurrenceTypes = []string{"hourly", "daily", "weekly", "monthly", "yearly"}

// FindDowntimes calls GET /api/v0/downtimes.
func (c *Client) FindDowntimes(ctx context.Context) ([]*Downtime, error) {
	var data struct {
		Downtimes []*Downtime `json:"downtimes"`
	}
	if err := c.get(ctx, "/api/v0/downtimes", nil, &data); err != nil {
		return nil, err
	}
	if data.Downtimes == nil {
		data.Downtimes = []*Downtime{}
	}
	return data.Downtimes, nil
}

// CreateDowntime calls POST /api/v0/downtimes.
func (c *Client) CreateDowntime(ctx context.Context, d *Downtime) (*Downtime, error) {
	var out Downtime
	if err := c.post(ctx, "/api/v0/downtimes", d, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateDowntime calls PUT /api/v0/downtimes/<id>, which replaces the whole
// definition.
func (c *Client) UpdateDowntime(ctx context.Context, id string, d *Downtime) (*Downtime, error) {
	var out Downtime
	if err := c.put(ctx, pathf("/api/v0/downtimes/%s", id), d, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteDowntime calls DELETE /api/v0/downtimes/<id> and returns the
// downtime as it was.
func (c *Client) DeleteDowntime(ctx context.Context, id string) (*Downtime, error) {
	var out Downtime
	if err := c.delete(ctx, pathf("/api/v0/downtimes/%s", id), nil, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
