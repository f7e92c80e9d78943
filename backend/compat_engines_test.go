package backend_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

// compatSuite is every test of the compat_*_test.go files: the wire and
// mackerel-client-go compatibility suite, which runs on SQLite as plain
// top-level tests and once more, unchanged, on PostgreSQL through
// TestCompatOnPostgres. TestCompatSuiteIsComplete keeps the list whole.
var compatSuite = []struct {
	name string
	run  func(*testing.T)
}{
	{"TestCompatAlertGroupSettings", TestCompatAlertGroupSettings},
	{"TestCompatAWSIntegrations", TestCompatAWSIntegrations},
	{"TestBadAWSIntegrations", TestBadAWSIntegrations},
	{"TestCompatChannels", TestCompatChannels},
	{"TestCompatChannelsOtherTypes", TestCompatChannelsOtherTypes},
	{"TestWCompatCheckReportsAndAlerts", TestWCompatCheckReportsAndAlerts},
	{"TestWCompatAlertPaging", TestWCompatAlertPaging},
	{"TestClientMethods", TestClientMethods},
	{"TestCompatDashboards", TestCompatDashboards},
	{"TestDashboardStaleReferences", TestDashboardStaleReferences},
	{"TestDashboardKeepsValueRange", TestDashboardKeepsValueRange},
	{"TestCompatDowntimes", TestCompatDowntimes},
	{"TestDowntimeWireBodies", TestDowntimeWireBodies},
	{"TestBadDowntimes", TestBadDowntimes},
	{"TestCompatServiceGraphDefWildcard", TestCompatServiceGraphDefWildcard},
	{"TestListGraphDefs", TestListGraphDefs},
	{"TestCompatFindHosts", TestCompatFindHosts},
	{"TestCompatFindHostByCustomIdentifier", TestCompatFindHostByCustomIdentifier},
	{"TestCompatHostMetricNamesAndMonitoredStatuses", TestCompatHostMetricNamesAndMonitoredStatuses},
	{"TestCompatHostCreateAndGet", TestCompatHostCreateAndGet},
	{"TestCompatHostUpdate", TestCompatHostUpdate},
	{"TestCompatHostStatusAndRoles", TestCompatHostStatusAndRoles},
	{"TestCompatHostRetire", TestCompatHostRetire},
	{"TestDefaultHostStatusOption", TestDefaultHostStatusOption},
	{"TestCompatMetadata", TestCompatMetadata},
	{"TestCompatMetadataUnknownOwner", TestCompatMetadataUnknownOwner},
	{"TestTSCompatHostMetrics", TestTSCompatHostMetrics},
	{"TestTSCompatServiceMetrics", TestTSCompatServiceMetrics},
	{"TestTSCompatGraphDefs", TestTSCompatGraphDefs},
	{"TestTSCompatGraphAnnotations", TestTSCompatGraphAnnotations},
	{"TestTSCompatPostAnswerCounts", TestTSCompatPostAnswerCounts},
	{"TestCompatMonitorsAllTypes", TestCompatMonitorsAllTypes},
	{"TestCompatMonitorsListOrder", TestCompatMonitorsListOrder},
	{"TestCompatMonitorsUpdate", TestCompatMonitorsUpdate},
	{"TestCompatMonitorsCheckMonitorID", TestCompatMonitorsCheckMonitorID},
	{"TestCompatMonitorsDeleteClosesAlerts", TestCompatMonitorsDeleteClosesAlerts},
	{"TestCompatNotificationGroups", TestCompatNotificationGroups},
	{"TestNotificationGroupsForgetDeleted", TestNotificationGroupsForgetDeleted},
	{"TestCompatTraces", TestCompatTraces},
	{"TestCompatUsers", TestCompatUsers},
	{"TestCompatInvitations", TestCompatInvitations},
	{"TestBadUsersAndInvitations", TestBadUsersAndInvitations},
	{"TestSetOrg", TestSetOrg},
	{"TestCompatWireBytes", TestCompatWireBytes},
	{"TestCompatRefusesNUL", TestCompatRefusesNUL},
}

// TestCompatOnPostgres runs the whole compatibility suite once more on
// PostgreSQL: each test's Envs get a fresh database of the server
// MKR_TEST_POSTGRES_DSN names. Without it the test is skipped with a
// message (never silently). Only this suite runs on both engines in
// `make test`; the rest of ./backend is about the handler, not the
// store, and runs on SQLite (docs/testing.md).
func TestCompatOnPostgres(t *testing.T) {
	backendtest.UseDBEngine(t, backendtest.DBPostgres)
	for _, c := range compatSuite {
		t.Run(strings.TrimPrefix(c.name, "Test"), c.run)
	}
}

// TestCompatSuiteIsComplete fails when a test of a compat_*_test.go file
// is missing from compatSuite, which would leave it untried on PostgreSQL.
func TestCompatSuiteIsComplete(t *testing.T) {
	files, err := filepath.Glob("compat_*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("finding the compat test files: %v (%d files)", err, len(files))
	}
	listed := map[string]bool{}
	for _, c := range compatSuite {
		listed[c.name] = true
	}
	var found []string
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Test") || fn.Name.Name == t.Name() || fn.Name.Name == "TestCompatOnPostgres" {
				continue
			}
			found = append(found, fn.Name.Name)
			if !listed[fn.Name.Name] {
				t.Errorf("%s (%s) is not in compatSuite: add it so that it runs on PostgreSQL too", fn.Name.Name, f)
			}
		}
	}
	for _, c := range compatSuite {
		if !slices.Contains(found, c.name) {
			t.Errorf("compatSuite lists %s, which no compat_*_test.go file has", c.name)
		}
	}
}
