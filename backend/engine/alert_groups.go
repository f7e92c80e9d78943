package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// AlertGroupEvent is the payload of alertGroup outbox events.
type AlertGroupEvent struct {
	AlertGroupID string   `json:"alertGroupId"`
	SettingID    string   `json:"alertGroupSettingId"`
	Name         string   `json:"name"`
	AlertIDs     []string `json:"alertIds"` // the open alerts of the group, oldest first
}

// updateAlertGroups brings each alert group setting's group in line with
// the open alerts: a setting groups the open alerts that any of its scopes
// matches (a service: the alert's monitor's, or one of its host's; a role
// of its host; its monitor). The group opens with its first alert, takes
// the worst status of its alerts and closes when none is left; each of
// these changes, and a repeat every notificationInterval minutes, is an
// alertGroup outbox event. Groups follow alerts at the next Advance.
func (e *Engine) updateAlertGroups(ctx context.Context, snap *snapshot) error {
	settings, err := e.st.ListAlertGroupSettings(ctx)
	if err != nil || len(settings) == 0 {
		return err
	}
	open, err := e.st.OpenAlerts(ctx)
	if err != nil {
		return err
	}
	hosts, err := snap.hostsByID(ctx, alertHosts(open))
	if err != nil {
		return err
	}
	services := map[string]string{} // monitor id → its service, for service and external alerts
	for _, a := range open {
		if _, ok := services[a.MonitorID]; ok || (a.Type != "service" && a.Type != "external") {
			continue
		}
		if sm, err := e.st.GetMonitor(ctx, a.MonitorID); err == nil {
			if m, err := e.decoded(sm); err == nil {
				services[a.MonitorID] = m.Service
			}
		}
	}
	var errs []error
	for _, ss := range settings {
		set, err := notifygroup.DecodeSetting(ss.Body)
		if err != nil {
			errs = append(errs, fmt.Errorf("alert group setting %s: %w", ss.ID, err))
			continue
		}
		set.ID = ss.ID
		var members []*store.Alert
		for _, a := range open {
			if settingMatches(set, a, hosts[a.HostID], services[a.MonitorID]) {
				members = append(members, a)
			}
		}
		if err := e.applyAlertGroup(ctx, set, members, snap.now.Unix()); err != nil {
			errs = append(errs, fmt.Errorf("alert group setting %s: %w", ss.ID, err))
		}
	}
	return joinErrors(errs)
}

// settingMatches reports whether any scope of the setting matches the alert.
func settingMatches(s *notifygroup.AlertGroupSetting, a *store.Alert, h *store.Host, monitorService string) bool {
	if slices.Contains(s.MonitorScopes, a.MonitorID) {
		return true
	}
	if monitorService != "" && slices.Contains(s.ServiceScopes, monitorService) {
		return true
	}
	if h == nil {
		return false
	}
	for svc := range h.Roles {
		if slices.Contains(s.ServiceScopes, svc) {
			return true
		}
	}
	return slices.ContainsFunc(s.RoleScopes, func(scope string) bool { return strings.Contains(scope, ":") && matchesScope(h, scope) })
}

// applyAlertGroup moves one setting's group to the state its members
// give, in one transaction.
func (e *Engine) applyAlertGroup(ctx context.Context, set *notifygroup.AlertGroupSetting, members []*store.Alert, now int64) error {
	status := statusOK
	ids := make([]string, len(members))
	for i, a := range members {
		ids[i] = a.ID
		if worse(a.Status, status) {
			status = a.Status
		}
	}
	return e.st.InTx(ctx, func(tx store.Tx) error {
		g, err := tx.OpenAlertGroup(ctx, set.ID)
		if err != nil {
			return err
		}
		event := func(g *store.AlertGroup, prev string) error {
			g.NotifiedAt = now
			if err := tx.UpdateAlertGroup(ctx, g); err != nil {
				return err
			}
			return addGroupEvent(ctx, tx, set, g, prev, ids, now)
		}
		switch {
		case g == nil && status == statusOK:
			return nil
		case g == nil:
			g = &store.AlertGroup{SettingID: set.ID, Status: status, OpenedAt: now, NotifiedAt: now}
			if err := tx.CreateAlertGroup(ctx, g); err != nil {
				return err
			}
			return addGroupEvent(ctx, tx, set, g, "", ids, now)
		case status == statusOK:
			prev := g.Status
			g.Status, g.ClosedAt = statusOK, now
			return event(g, prev)
		case status != g.Status:
			prev := g.Status
			g.Status = status
			return event(g, prev)
		case set.NotificationInterval > 0 && now-g.NotifiedAt >= set.NotificationInterval*60:
			return event(g, g.Status) // a repeat
		}
		return nil
	})
}

func addGroupEvent(ctx context.Context, tx store.Tx, set *notifygroup.AlertGroupSetting, g *store.AlertGroup, prev string, ids []string, now int64) error {
	ev := &store.AlertEvent{Kind: store.EventAlertGroup, Status: g.Status, PrevStatus: prev,
		Trigger: store.TriggerMonitoring, CreatedAt: now, Notify: true}
	body, err := jsonPayload(AlertGroupEvent{AlertGroupID: g.ID, SettingID: set.ID, Name: set.Name, AlertIDs: ids})
	if err != nil {
		return err
	}
	ev.Payload = body
	return tx.AddAlertEvent(ctx, ev)
}
