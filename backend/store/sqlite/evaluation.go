package sqlite

import (
	"context"

	"github.com/mkr-dev/mkr/backend/store"
)

func (s *Store) MonitorStates(ctx context.Context, monitorID string) ([]*store.MonitorState, error) {
	return nil, errTODO
}
func (s *Store) RecentPoints(ctx context.Context, kind string, owners, names []string, since int64, n int) (map[string]map[string][]store.Point, error) {
	return nil, errTODO
}
func (s *Store) LastMetricPosts(ctx context.Context) (map[string]int64, error) { return nil, errTODO }
func (s *Store) AlertEvents(ctx context.Context, after int64, limit int) ([]*store.AlertEvent, error) {
	return nil, errTODO
}
func (t *txn) OpenMonitorAlerts(ctx context.Context, monitorID string) ([]*store.Alert, error) {
	return nil, errTODO
}
func (t *txn) MonitorState(ctx context.Context, monitorID, target string) (*store.MonitorState, error) {
	return nil, errTODO
}
func (t *txn) PutMonitorState(ctx context.Context, s store.MonitorState) error { return errTODO }
func (t *txn) DeleteMonitorState(ctx context.Context, monitorID, target string) error {
	return errTODO
}
func (t *txn) EvaluationCursor(ctx context.Context, monitorID string) (int64, error) {
	return 0, errTODO
}
func (t *txn) SetEvaluationCursor(ctx context.Context, monitorID string, at int64) error {
	return errTODO
}
func (t *txn) AddAlertEvent(ctx context.Context, e *store.AlertEvent) error { return errTODO }
