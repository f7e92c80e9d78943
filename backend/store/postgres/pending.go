package postgres

// Every store method not yet ported to PostgreSQL, so that the package
// compiles (and store.Store is implemented) while the port proceeds:
// each returns errNotYetOnPostgres. Whoever ports a method deletes its
// stub here.

import (
	"context"
	"errors"

	"github.com/mkr-dev/mkr/backend/store"
)

// errNotYetOnPostgres is what a method not yet ported returns: a clear
// failure instead of a silent no-op.
var errNotYetOnPostgres = errors.New("postgres: this store method is not yet implemented on PostgreSQL (issue #15); use SQLite")

func (*Store) AlertEvents(_ context.Context, _ int64, _ int) ([]*store.AlertEvent, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) AlertLogs(_ context.Context, _ string, _ string, _ int) ([]*store.AlertLog, string, error) {
	return nil, "", errNotYetOnPostgres
}

func (*Store) CheckNotificationInterval(_ context.Context, _ string, _ string) (int, error) {
	return 0, errNotYetOnPostgres
}

func (*Store) ClaimDeliveries(_ context.Context, _ string, _ int64, _ int64, _ []string, _ int) ([]*store.Delivery, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) Compact(_ context.Context, _ store.CompactOptions) (store.CompactResult, error) {
	return store.CompactResult{}, errNotYetOnPostgres
}

func (*Store) CreateAlertGroupSetting(_ context.Context, _ *store.AlertGroupSetting) error {
	return errNotYetOnPostgres
}

func (*Store) CreateChannel(_ context.Context, _ *store.Channel, _ bool) error {
	return errNotYetOnPostgres
}

func (*Store) CreateDowntime(_ context.Context, _ *store.Downtime) error { return errNotYetOnPostgres }

func (*Store) CreateMonitor(_ context.Context, _ *store.Monitor) error { return errNotYetOnPostgres }

func (*Store) CreateNotificationGroup(_ context.Context, _ *store.NotificationGroup) error {
	return errNotYetOnPostgres
}

func (*Store) DeleteAlertGroupSetting(_ context.Context, _ string) (*store.AlertGroupSetting, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) DeleteChannel(_ context.Context, _ string) (*store.Channel, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) DeleteDowntime(_ context.Context, _ string) (*store.Downtime, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) DeleteNotificationGroup(_ context.Context, _ string) (*store.NotificationGroup, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) FinishDelivery(_ context.Context, _ string, _ string, _ string, _ int64, _ int64, _ string) error {
	return errNotYetOnPostgres
}

func (*Store) GetAlert(_ context.Context, _ string) (*store.Alert, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) GetAlertGroupSetting(_ context.Context, _ string) (*store.AlertGroupSetting, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) GetChannel(_ context.Context, _ string) (*store.Channel, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) GetCheckMonitor(_ context.Context, _ string) (*store.CheckMonitor, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) GetDowntime(_ context.Context, _ string) (*store.Downtime, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) GetMonitor(_ context.Context, _ string) (*store.Monitor, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) GetNotificationGroup(_ context.Context, _ string) (*store.NotificationGroup, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) LastMetricPosts(_ context.Context) (map[string]int64, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) ListAlertGroupSettings(_ context.Context) ([]*store.AlertGroupSetting, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) ListAlerts(_ context.Context, _ bool, _ string, _ int) ([]*store.Alert, string, error) {
	return nil, "", errNotYetOnPostgres
}

func (*Store) ListChannels(_ context.Context) ([]*store.Channel, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) ListCheckMonitors(_ context.Context, _ string, _ int) ([]store.CheckMonitor, string, error) {
	return nil, "", errNotYetOnPostgres
}

func (*Store) ListDeliveries(_ context.Context, _ int) ([]*store.Delivery, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) ListDowntimes(_ context.Context) ([]*store.Downtime, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) ListMonitors(_ context.Context) ([]*store.Monitor, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) ListNotificationGroups(_ context.Context) ([]*store.NotificationGroup, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) MonitorStates(_ context.Context, _ string) ([]*store.MonitorState, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) MonitoredStatuses(_ context.Context, _ string) ([]store.MonitoredStatus, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) NextDeliveryAt(_ context.Context, _ []string) (int64, bool, error) {
	return 0, false, errNotYetOnPostgres
}

func (*Store) OpenAlerts(_ context.Context) ([]*store.Alert, error) { return nil, errNotYetOnPostgres }

func (*Store) RecentPoints(_ context.Context, _ string, _ []string, _ []string, _ int64, _ int) (map[string]map[string][]store.Point, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) Rollups(_ context.Context, _ store.SeriesKey, _ int64, _ int64, _ int64) ([]store.Rollup, error) {
	return nil, errNotYetOnPostgres
}

func (*Store) RouteEvents(_ context.Context, _ int64, _ int64, _ []*store.Delivery) error {
	return errNotYetOnPostgres
}

func (*Store) RoutingCursor(_ context.Context) (int64, error) { return 0, errNotYetOnPostgres }

func (*Store) SuspendChannel(_ context.Context, _ string, _ int64) error { return errNotYetOnPostgres }

func (*Store) UpdateAlertGroupSetting(_ context.Context, _ *store.AlertGroupSetting) error {
	return errNotYetOnPostgres
}

func (*Store) UpdateAlertMemo(_ context.Context, _ string, _ string) error {
	return errNotYetOnPostgres
}

func (*Store) UpdateChannel(_ context.Context, _ *store.Channel) error { return errNotYetOnPostgres }

func (*Store) UpdateDowntime(_ context.Context, _ *store.Downtime) error { return errNotYetOnPostgres }

func (*Store) UpdateMonitor(_ context.Context, _ *store.Monitor) error { return errNotYetOnPostgres }

func (*Store) UpdateNotificationGroup(_ context.Context, _ *store.NotificationGroup) error {
	return errNotYetOnPostgres
}

// store.Tx

func (*txn) AddAlertEvent(_ context.Context, _ *store.AlertEvent) error { return errNotYetOnPostgres }

func (*txn) AddAlertLog(_ context.Context, _ string, _ store.AlertLog) error {
	return errNotYetOnPostgres
}

func (*txn) CheckState(_ context.Context, _ string, _ string) (*store.CheckState, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) CreateAlert(_ context.Context, _ *store.Alert) error { return errNotYetOnPostgres }

func (*txn) CreateAlertGroup(_ context.Context, _ *store.AlertGroup) error {
	return errNotYetOnPostgres
}

func (*txn) DeleteMonitor(_ context.Context, _ string) (*store.Monitor, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) DeleteMonitorState(_ context.Context, _ string, _ string) error {
	return errNotYetOnPostgres
}

func (*txn) EnsureCheckMonitor(_ context.Context, _ string) (string, error) {
	return "", errNotYetOnPostgres
}

func (*txn) EvaluationCursor(_ context.Context, _ string) (int64, error) {
	return 0, errNotYetOnPostgres
}

func (*txn) GetAlert(_ context.Context, _ string) (*store.Alert, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) HostChecks(_ context.Context, _ string) (*store.HostChecks, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) MonitorState(_ context.Context, _ string, _ string) (*store.MonitorState, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) OpenAlertGroup(_ context.Context, _ string) (*store.AlertGroup, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) OpenHostAlerts(_ context.Context, _ []string) ([]*store.Alert, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) OpenMonitorAlert(_ context.Context, _ string, _ string) (*store.Alert, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) OpenMonitorAlerts(_ context.Context, _ string) ([]*store.Alert, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) PruneCheckReports(_ context.Context, _ string, _ string, _ int64) error {
	return errNotYetOnPostgres
}

func (*txn) PutCheckState(_ context.Context, _ store.CheckState) error { return errNotYetOnPostgres }

func (*txn) PutMonitorState(_ context.Context, _ store.MonitorState) error {
	return errNotYetOnPostgres
}

func (*txn) RecordCheckReport(_ context.Context, _ store.CheckReport) (bool, error) {
	return false, errNotYetOnPostgres
}

func (*txn) ServiceMonitorIDs(_ context.Context, _ string) ([]string, error) {
	return nil, errNotYetOnPostgres
}

func (*txn) SetEvaluationCursor(_ context.Context, _ string, _ int64) error {
	return errNotYetOnPostgres
}

func (*txn) UpdateAlert(_ context.Context, _ *store.Alert) error { return errNotYetOnPostgres }

func (*txn) UpdateAlertGroup(_ context.Context, _ *store.AlertGroup) error {
	return errNotYetOnPostgres
}
