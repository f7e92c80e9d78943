package notify

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/backend/monitor"
	"github.com/mkr-dev/mkr/backend/store"
)

// Notice is an outbox event with what its notifications show, read from
// the store when it is routed or sent (current names, as the hosted
// service shows them).
type Notice struct {
	// DeliveryID identifies one delivery (event × channel), stable
	// across retries.
	DeliveryID string
	Event      *store.AlertEvent
	OrgName    string
	// Test marks the notification `channels test` sends.
	Test bool

	Alert       *store.Alert     // alert events
	Monitor     *monitor.Monitor // nil for a deleted or check monitor
	MonitorName string
	Host        *store.Host // alerts on a host, host events
	// Service is the service of a service or external monitor.
	Service *store.Service

	HostEvent       *hostPayload       // hostRegister, hostStatus, hostRetire
	MonitorEvent    *monitorPayload    // monitor
	AlertGroupEvent *alertGroupPayload // alertGroup
}

// hostPayload and monitorPayload read the JSON payloads package engine
// writes for non-alert events.
type hostPayload struct {
	HostID string `json:"hostId"`
	Status string `json:"status,omitempty"`
}

type alertGroupPayload struct {
	AlertGroupID string   `json:"alertGroupId"`
	SettingID    string   `json:"alertGroupSettingId"`
	Name         string   `json:"name"`
	AlertIDs     []string `json:"alertIds"`
}

type monitorPayload struct {
	MonitorID string `json:"monitorId"`
	Action    string `json:"action"`
	Name      string `json:"name"`
	Type      string `json:"type"`
}

// resolver reads what notices need, caching within one pass.
type resolver struct {
	st       store.Store
	org      string
	hosts    map[string]*store.Host
	monitors map[string]*monitor.Monitor
	services map[string]*store.Service
}

func newResolver(st store.Store) *resolver {
	return &resolver{st: st, hosts: map[string]*store.Host{}, monitors: map[string]*monitor.Monitor{}, services: map[string]*store.Service{}}
}

// notice resolves an event. What no longer exists (a deleted monitor or
// service) is left out rather than failing the notification.
func (r *resolver) notice(ctx context.Context, e *store.AlertEvent) (*Notice, error) {
	n := &Notice{Event: e}
	if r.org == "" {
		if org, err := r.st.GetOrg(ctx); err == nil {
			r.org = org.Name
		}
	}
	n.OrgName = r.org
	var hostID, monitorID string
	switch kindOf(e) {
	case store.EventAlert:
		a, err := r.st.GetAlert(ctx, e.AlertID)
		if err != nil {
			return nil, err
		}
		if err := r.asOfEvent(ctx, a, e); err != nil {
			return nil, err
		}
		n.Alert = a
		hostID, monitorID = a.HostID, a.MonitorID
	case store.EventHostRegister, store.EventHostStatus, store.EventHostRetire:
		var p hostPayload
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return nil, err
		}
		n.HostEvent, hostID = &p, p.HostID
	case store.EventMonitor:
		var p monitorPayload
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return nil, err
		}
		n.MonitorEvent, monitorID, n.MonitorName = &p, p.MonitorID, p.Name
	case store.EventAlertGroup:
		var p alertGroupPayload
		if err := json.Unmarshal(e.Payload, &p); err != nil {
			return nil, err
		}
		n.AlertGroupEvent = &p
	}
	if hostID != "" {
		h, err := r.host(ctx, hostID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		n.Host = h
	}
	if monitorID != "" {
		if err := r.resolveMonitor(ctx, n, monitorID); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// asOfEvent sets the alert's value and message to what they were at the
// change the event records, not what they are now (a delivery may be sent
// after later changes): from the alert log entry of the change, or for a
// repeat the entry of its status before it.
func (r *resolver) asOfEvent(ctx context.Context, a *store.Alert, e *store.AlertEvent) error {
	logs, _, err := r.st.AlertLogs(ctx, a.ID, "", 100)
	if err != nil {
		return err
	}
	for _, l := range logs { // newest first
		if l.CreatedAt > e.CreatedAt || l.Status != e.Status {
			continue
		}
		if l.TargetValue != nil || a.Type == "check" || l.Status == "OK" {
			a.Value = l.TargetValue
		}
		if l.Message != "" {
			a.Message = l.Message
		}
		return nil
	}
	return nil
}

func (r *resolver) resolveMonitor(ctx context.Context, n *Notice, id string) error {
	m, err := r.monitor(ctx, id)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if m != nil {
		n.Monitor, n.MonitorName = m, m.Name
		if m.Service != "" {
			svc, err := r.service(ctx, m.Service)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
			n.Service = svc
		}
		return nil
	}
	if n.Alert != nil && n.Alert.Type == "check" {
		if cm, err := r.st.GetCheckMonitor(ctx, id); err == nil {
			n.MonitorName = cm.Name
		}
	}
	return nil
}

func (r *resolver) host(ctx context.Context, id string) (*store.Host, error) {
	if h, ok := r.hosts[id]; ok {
		return h, nil
	}
	h, err := r.st.GetHost(ctx, id)
	if err != nil {
		return nil, err
	}
	r.hosts[id] = h
	return h, nil
}

func (r *resolver) monitor(ctx context.Context, id string) (*monitor.Monitor, error) {
	if m, ok := r.monitors[id]; ok {
		return m, nil
	}
	sm, err := r.st.GetMonitor(ctx, id)
	if err != nil {
		return nil, err
	}
	m, err := monitor.Decode(sm.Body)
	if err != nil {
		return nil, err
	}
	m.ID = sm.ID
	r.monitors[id] = m
	return m, nil
}

func (r *resolver) service(ctx context.Context, name string) (*store.Service, error) {
	if s, ok := r.services[name]; ok {
		return s, nil
	}
	s, err := r.st.GetService(ctx, name)
	if err != nil {
		return nil, err
	}
	r.services[name] = s
	return s, nil
}

// target is what routing needs of a notice.
func (n *Notice) target() Target {
	t := Target{Kind: kindOf(n.Event)}
	switch t.Kind {
	case store.EventAlert:
		t.Status, t.PrevStatus = n.Event.Status, n.Event.PrevStatus
		t.MonitorID = n.Event.MonitorID
	case store.EventAlertGroup:
		t.Status, t.PrevStatus = n.Event.Status, n.Event.PrevStatus
	}
	if n.MonitorEvent != nil {
		t.MonitorID = n.MonitorEvent.MonitorID
	}
	if n.Host != nil {
		for svc := range n.Host.Roles {
			t.Services = append(t.Services, svc)
		}
	}
	if n.Monitor != nil && n.Monitor.Service != "" {
		t.Services = append(t.Services, n.Monitor.Service)
	}
	slices.Sort(t.Services)
	t.Services = slices.Compact(t.Services)
	return t
}

// hostRoles lists a host's roles as "service: role", sorted.
func hostRoles(h *store.Host) [][2]string {
	var out [][2]string
	for svc, roles := range h.Roles {
		for _, role := range roles {
			out = append(out, [2]string{svc, role})
		}
	}
	slices.SortFunc(out, func(a, b [2]string) int {
		return strings.Compare(a[0]+": "+a[1], b[0]+": "+b[1])
	})
	return out
}
