package notify

import (
	"encoding/json"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// webhookBody is Mackerel's webhook JSON (docs: howto/alerts/webhook),
// plus deliveryId, which Mackerel has no field for (its docs say items
// may be added). Links (url, imageUrl) are left out: this backend serves
// no web pages or graph images.
type webhookBody struct {
	OrgName    string          `json:"orgName"`
	Event      string          `json:"event"`
	DeliveryID string          `json:"deliveryId"`
	Memo       string          `json:"memo,omitempty"`
	Type       string          `json:"type,omitempty"`
	Message    string          `json:"message,omitempty"`
	Host       *webhookHost    `json:"host,omitempty"`
	Service    *webhookService `json:"service,omitempty"`
	Alert      *webhookAlert   `json:"alert,omitempty"`
	// Non-alert events.
	FromStatus string          `json:"fromStatus,omitempty"`
	Monitor    *webhookMonitor `json:"monitor,omitempty"`
	Action     string          `json:"action,omitempty"`
	AlertGroup *webhookGroup   `json:"alertGroup,omitempty"`
	IsTest     bool            `json:"isTest,omitempty"`
}

type webhookHost struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Status    string        `json:"status"`
	Memo      string        `json:"memo"`
	IsRetired bool          `json:"isRetired"`
	Roles     []webhookRole `json:"roles"`
}

type webhookRole struct {
	Fullname    string `json:"fullname"`
	ServiceName string `json:"serviceName"`
	RoleName    string `json:"roleName"`
}

type webhookService struct {
	Name  string        `json:"name"`
	Memo  string        `json:"memo"`
	Roles []webhookRole `json:"roles"`
}

type webhookGroup struct {
	ID        string   `json:"id"`
	Status    string   `json:"status"`
	IsOpen    bool     `json:"isOpen"`
	Name      string   `json:"name"`
	SettingID string   `json:"alertGroupSettingId"`
	AlertIDs  []string `json:"alertIds"`
	CreatedAt int64    `json:"createdAt"`
}

type webhookMonitor struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// webhookAlert: times in epoch seconds except createdAt (milliseconds),
// status lowercase; trigger "monitor" for monitoring (the docs' word),
// otherwise the alert log's trigger (manual, …).
type webhookAlert struct {
	ID                string   `json:"id"`
	Status            string   `json:"status"`
	IsOpen            bool     `json:"isOpen"`
	Trigger           string   `json:"trigger"`
	OpenedAt          int64    `json:"openedAt"`
	ClosedAt          *int64   `json:"closedAt,omitempty"`
	StatusChangedAt   int64    `json:"statusChangedAt"`
	CreatedAt         int64    `json:"createdAt"`
	MonitorName       string   `json:"monitorName"`
	MetricLabel       string   `json:"metricLabel,omitempty"`
	MetricValue       *float64 `json:"metricValue,omitempty"`
	WarningThreshold  *float64 `json:"warningThreshold,omitempty"`
	CriticalThreshold *float64 `json:"criticalThreshold,omitempty"`
	MonitorOperator   string   `json:"monitorOperator,omitempty"`
	Duration          int64    `json:"duration,omitempty"`
}

// WebhookPayload is the JSON a webhook channel receives for n.
func WebhookPayload(n *Notice) []byte {
	w := webhookBody{OrgName: n.OrgName, Event: kindOf(n.Event), DeliveryID: n.DeliveryID, IsTest: n.Test}
	if n.Host != nil {
		w.Host = webhookHostOf(n.Host)
	}
	if n.Service != nil {
		w.Service = &webhookService{Name: n.Service.Name, Memo: n.Service.Memo, Roles: []webhookRole{}}
		for _, r := range n.Service.Roles {
			w.Service.Roles = append(w.Service.Roles, webhookRole{Fullname: n.Service.Name + ": " + r, ServiceName: n.Service.Name, RoleName: r})
		}
	}
	if a := n.Alert; a != nil {
		w.Type, w.Message = a.Type, n.Message()
		if n.Monitor != nil {
			w.Memo = n.Monitor.Memo
		}
		wa := &webhookAlert{ID: a.ID, Status: strings.ToLower(n.Event.Status), IsOpen: n.Event.Status != "OK",
			Trigger: webhookTrigger(n.Event.Trigger), OpenedAt: a.OpenedAt, StatusChangedAt: n.Event.CreatedAt,
			CreatedAt: n.Event.CreatedAt * 1000, MonitorName: n.MonitorName, MetricLabel: n.metricLabel(), MetricValue: a.Value}
		if n.Event.Status == "OK" && a.ClosedAt != 0 {
			wa.ClosedAt = &a.ClosedAt
		}
		if m := n.Monitor; m != nil && wa.MetricLabel != "" {
			wa.WarningThreshold, wa.CriticalThreshold, wa.MonitorOperator, wa.Duration = m.Warning, m.Critical, m.Operator, m.Duration
		}
		w.Alert = wa
	}
	if n.HostEvent != nil && kindOf(n.Event) == store.EventHostStatus && w.Host != nil {
		w.Host.Status = n.HostEvent.Status
	}
	if me := n.MonitorEvent; me != nil {
		w.Monitor, w.Action = &webhookMonitor{ID: me.MonitorID, Name: me.Name, Type: me.Type}, me.Action
	}
	if g := n.AlertGroupEvent; g != nil {
		w.AlertGroup = &webhookGroup{ID: g.AlertGroupID, Status: strings.ToLower(n.Event.Status), IsOpen: n.Event.Status != "OK",
			Name: g.Name, SettingID: g.SettingID, AlertIDs: g.AlertIDs, CreatedAt: n.Event.CreatedAt * 1000}
		if w.AlertGroup.AlertIDs == nil {
			w.AlertGroup.AlertIDs = []string{}
		}
	}
	b, _ := json.Marshal(w)
	return b
}

func webhookHostOf(h *store.Host) *webhookHost {
	wh := &webhookHost{ID: h.ID, Name: h.Name, Status: h.Status, Memo: h.Memo, IsRetired: h.IsRetired, Roles: []webhookRole{}}
	for _, r := range hostRoles(h) {
		wh.Roles = append(wh.Roles, webhookRole{Fullname: r[0] + ": " + r[1], ServiceName: r[0], RoleName: r[1]})
	}
	return wh
}

func webhookTrigger(t string) string {
	if t == store.TriggerMonitoring || t == "" {
		return "monitor"
	}
	return t
}
