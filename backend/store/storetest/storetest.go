// Package storetest is the contract every store.Store implementation must
// pass: Run opens fresh stores through the implementation's opener and
// checks each resource's behaviour, the alert rules of package engine on
// top of the store, and transaction rollback. Tests that depend on how an
// implementation keeps its data (files, locks, migrations, row dumps)
// belong to the implementation's own package.
package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
)

// Opener opens an empty store whose clock is now; the store must be
// released when t ends.
type Opener func(t *testing.T, now func() time.Time) store.Store

// Run runs the contract, one parallel subtest per behaviour.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		run  func(*testing.T, Opener)
	}{
		{"Hosts", testHosts},
		{"HostFilters", testHostFilters},
		{"CustomIdentifierUniqueness", testCustomIdentifierUniqueness},
		{"BulkHostCalls", testBulkHostCalls},
		{"InjectedClock", testInjectedClock},
		{"DeleteRoleCascades", testDeleteRoleCascades},
		{"Services", testServices},
		{"Metadata", testMetadata},
		{"PointsRoundTrip", testPointsRoundTrip},
		{"InsertPointsAllOrNothing", testInsertPointsAllOrNothing},
		{"PointsBackfill", testPointsBackfill},
		{"InsertPointStream", testInsertPointStream},
		{"ConcurrentInsertsIsolated", testConcurrentInsertsIsolated},
		{"AnnotationWindows", testAnnotationWindows},
		{"GraphDefs", testGraphDefs},
		{"CheckTransitions", testCheckTransitions},
		{"AlertPaging", testAlertPaging},
		{"RetireClosesAlerts", testRetireClosesAlerts},
		{"APIKeys", testAPIKeys},
		{"TxRollback", testTxRollback},
		{"RecordCheckReport", testRecordCheckReport},
		{"Monitors", testMonitors},
		{"Downtimes", testDowntimes},
		{"Evaluation", testEvaluation},
		{"RecentPointsMany", testRecentPointsMany},
		{"Channels", testChannels},
		{"NotificationGroups", testNotificationGroups},
		{"Deliveries", testDeliveries},
		{"Dashboards", testDashboards},
		{"Users", testUsers},
		{"Invitations", testInvitations},
		{"SetOrg", testSetOrg},
		{"AWSIntegrations", testAWSIntegrations},
		{"TierSealKeepsReads", testTierSealKeepsReads},
		{"TierRepostOverwritesHot", testTierRepostOverwritesHot},
		{"TierLatePointMerges", testTierLatePointMerges},
		{"TierRetention", testTierRetention},
		{"TierRollups", testTierRollups},
		{"TierSubMinute", testTierSubMinute},
		{"TierInterruptedSeal", testTierInterruptedSeal},
		{"TierBoundedRuns", testTierBoundedRuns},
		{"AnomalyModels", testAnomalyModels},
		{"Leases", testLeases},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, open)
		})
	}
}

// Epoch is where Run's clocks start: a whole second, so epoch-second
// timestamps compare exactly.
var Epoch = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// Clock is a settable clock for store.Options.Now. It is safe for
// concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's current time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward when d is negative).
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// openAt opens a store on a clock stopped at Epoch.
func openAt(t *testing.T, open Opener) (store.Store, *Clock) {
	t.Helper()
	c := NewClock(Epoch)
	return open(t, c.Now), c
}

func mustHost(t *testing.T, st store.Store, name string, roles ...store.RoleRef) string {
	t.Helper()
	id, err := st.CreateHost(context.Background(), store.NewHost{Name: name, Status: "working", Roles: roles})
	if err != nil {
		t.Fatalf("CreateHost %s: %v", name, err)
	}
	return id
}

func mustService(t *testing.T, st store.Store, name string, roles ...string) {
	t.Helper()
	ctx := context.Background()
	if _, err := st.CreateService(ctx, name, ""); err != nil {
		t.Fatalf("CreateService: %v", err)
	}
	for _, r := range roles {
		if _, err := st.CreateRole(ctx, name, r, ""); err != nil {
			t.Fatalf("CreateRole: %v", err)
		}
	}
}

func mustCount(t *testing.T, st store.Store) int64 {
	t.Helper()
	n, err := st.CountPoints(context.Background())
	if err != nil {
		t.Fatalf("CountPoints: %v", err)
	}
	return n
}

func sp(k store.SeriesKey, t int64, v float64) store.SeriesPoint {
	return store.SeriesPoint{Key: k, Point: store.Point{Time: t, Value: v}}
}
