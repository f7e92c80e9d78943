package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// CheckSource names the host a report is about.
type CheckSource struct {
	Type   string `json:"type"` // always "host"
	HostID string `json:"hostId"`
}

// HostCheckSource returns the source for a host.
func HostCheckSource(hostID string) CheckSource { return CheckSource{Type: "host", HostID: hostID} }

// CheckReport is one check monitoring result.
type CheckReport struct {
	Source               CheckSource `json:"source"`
	Name                 string      `json:"name"`
	Status               string      `json:"status"`
	Message              string      `json:"message"`
	OccurredAt           int64       `json:"occurredAt"`
	NotificationInterval uint        `json:"notificationInterval,omitempty"`
	MaxCheckAttempts     uint        `json:"maxCheckAttempts,omitempty"`
}

// PostCheckReports calls POST /api/v0/monitoring/checks/report (≤100 reports).
// The server ignores a report it already has (same host, name and time), so
// the call is safe to retry.
func (c *Client) PostCheckReports(ctx context.Context, reports []CheckReport) error {
	return c.call(ctx, &request{
		method: http.MethodPost, path: "/api/v0/monitoring/checks/report",
		body: map[string][]CheckReport{"reports": reports}, idempotent: true,
	}, nil)
}

// CheckMonitor is a check monitor as listed by the API.
type CheckMonitor struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// FindCheckMonitors calls GET /api/v0/monitoring/checks, following pages.
func (c *Client) FindCheckMonitors(ctx context.Context) ([]CheckMonitor, error) {
	out := []CheckMonitor{}
	next := ""
	for {
		q := url.Values{}
		if next != "" {
			q.Set("nextId", next)
		}
		var data struct {
			Checks []CheckMonitor `json:"checks"`
			NextID string         `json:"nextId"`
		}
		if err := c.get(ctx, "/api/v0/monitoring/checks", q, &data); err != nil {
			return nil, err
		}
		out = append(out, data.Checks...)
		if data.NextID == "" {
			return out, nil
		}
		next = data.NextID
	}
}

// FindCheckMonitor calls GET /api/v0/monitoring/checks/<id>.
func (c *Client) FindCheckMonitor(ctx context.Context, id string) (*CheckMonitor, error) {
	var data struct {
		Check CheckMonitor `json:"check"`
	}
	if err := c.get(ctx, pathf("/api/v0/monitoring/checks/%s", id), nil, &data); err != nil {
		return nil, err
	}
	return &data.Check, nil
}

// Alert is an open or closed alert. Field order and omitempty follow
// mackerel-client-go, so printed JSON matches upstream mkr.
type Alert struct {
	ID        string  `json:"id,omitempty"`
	Status    string  `json:"status,omitempty"`
	MonitorID string  `json:"monitorId,omitempty"`
	Type      string  `json:"type,omitempty"`
	HostID    string  `json:"hostId,omitempty"`
	Value     float64 `json:"value,omitempty"`
	Message   string  `json:"message,omitempty"`
	Reason    string  `json:"reason,omitempty"`
	OpenedAt  int64   `json:"openedAt,omitempty"`
	ClosedAt  int64   `json:"closedAt,omitempty"`
	Memo      string  `json:"memo,omitempty"`
}

// AlertsPage is one page of GET /api/v0/alerts.
type AlertsPage struct {
	Alerts []*Alert `json:"alerts"`
	NextID string   `json:"nextId,omitempty"`
}

// FindAlerts calls GET /api/v0/alerts for one page. limit 0 means the
// server's default (100).
func (c *Client) FindAlerts(ctx context.Context, withClosed bool, nextID string, limit int) (*AlertsPage, error) {
	q := url.Values{}
	if withClosed {
		q.Set("withClosed", "true")
	}
	if nextID != "" {
		q.Set("nextId", nextID)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var page AlertsPage
	if err := c.get(ctx, "/api/v0/alerts", q, &page); err != nil {
		return nil, err
	}
	if page.Alerts == nil {
		page.Alerts = []*Alert{}
	}
	return &page, nil
}

// GetAlert calls GET /api/v0/alerts/<id>.
func (c *Client) GetAlert(ctx context.Context, id string) (*Alert, error) {
	var a Alert
	if err := c.get(ctx, pathf("/api/v0/alerts/%s", id), nil, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// CloseAlert calls POST /api/v0/alerts/<id>/close with a reason.
func (c *Client) CloseAlert(ctx context.Context, id, reason string) (*Alert, error) {
	var a Alert
	if err := c.post(ctx, pathf("/api/v0/alerts/%s/close", id), map[string]string{"reason": reason}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// UpdateAlertMemo calls PUT /api/v0/alerts/<id> with {"memo": memo}.
func (c *Client) UpdateAlertMemo(ctx context.Context, id, memo string) error {
	return c.put(ctx, pathf("/api/v0/alerts/%s", id), map[string]string{"memo": memo}, nil)
}

// AlertLog is one state change of an alert.
type AlertLog struct {
	ID           string              `json:"id"`
	CreatedAt    int64               `json:"createdAt"`
	Status       string              `json:"status"`
	Trigger      string              `json:"trigger"`
	MonitorID    *string             `json:"monitorId"`
	TargetValue  *float64            `json:"targetValue"`
	StatusDetail *AlertLogStatusInfo `json:"statusDetail,omitempty"`
}

// AlertLogStatusInfo is present for check monitors.
type AlertLogStatusInfo struct {
	Type   string `json:"type"`
	Detail struct {
		Message string `json:"message"`
		Memo    string `json:"memo"`
	} `json:"detail"`
}

// AlertLogsPage is one page of GET /api/v0/alerts/<id>/logs.
type AlertLogsPage struct {
	Logs   []*AlertLog `json:"logs"`
	NextID string      `json:"nextId,omitempty"`
}

// FindAlertLogs calls GET /api/v0/alerts/<id>/logs for one page.
func (c *Client) FindAlertLogs(ctx context.Context, id, nextID string, limit int) (*AlertLogsPage, error) {
	q := url.Values{}
	if nextID != "" {
		q.Set("nextId", nextID)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var page AlertLogsPage
	if err := c.get(ctx, pathf("/api/v0/alerts/%s/logs", id), q, &page); err != nil {
		return nil, err
	}
	if page.Logs == nil {
		page.Logs = []*AlertLog{}
	}
	return &page, nil
}
