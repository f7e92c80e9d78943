package backend_test

// Every exported method of mackerel-client-go v0.46.0's *Client, found by
// reflection so that a new one cannot be missed, is called against a
// freshly seeded backend served over HTTP, as `mkr serve` serves it. Each
// must succeed unless it is listed below with the reason it cannot. The
// count is logged: go test ./backend -run TestClientMethods -v.

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// mustFail are methods that cannot succeed against a self-hosted backend,
// and why; the test fails if one of them starts succeeding.
var mustFail = map[string]string{
	"GetTrace": "no trace is ever stored: nothing sends traces to this backend (404, by design)",
}

// mayFail are methods whose resource is being finished by other work right
// now; they are counted either way and their outcome is logged.
var mayFail = map[string]string{
	"CreateDashboard": "dashboards (#11) are being implemented alongside",
	"FindDashboard":   "dashboards (#11) are being implemented alongside",
	"FindDashboards":  "dashboards (#11) are being implemented alongside",
	"UpdateDashboard": "dashboards (#11) are being implemented alongside",
	"DeleteDashboard": "dashboards (#11) are being implemented alongside",
}

// methodFixture is a seeded organization the drivers refer to.
type methodFixture struct {
	env                                                                           *backendtest.Env
	mc                                                                            *mackerel.Client
	now                                                                           int64
	host, alert, checkMonitor, monitor, downtime, channel, group, ags, annotation string
	aws, member, dashboard                                                        string
}

func seedMethodFixture(t *testing.T) *methodFixture {
	t.Helper()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	fx := &methodFixture{env: env, mc: mc, now: env.Clock.Now().Unix()}
	env.MustCreateService(t, "web", "app")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("seeding: %v", err)
		}
	}
	var err error
	fx.host, err = mc.CreateHost(&mackerel.CreateHostParam{Name: "web01", CustomIdentifier: "ci-1", RoleFullnames: []string{"web:app"}})
	must(err)
	must(mc.PutHostMetaData(fx.host, "ns", map[string]int{"a": 1}))
	must(mc.PutServiceMetaData("web", "ns", map[string]int{"a": 1}))
	must(mc.PutRoleMetaData("web", "app", "ns", map[string]int{"a": 1}))
	must(mc.PostHostMetricValuesByHostID(fx.host, []*mackerel.MetricValue{{Name: "custom.cpu.user", Time: fx.now, Value: 1}}))
	must(mc.PostServiceMetricValues("web", []*mackerel.MetricValue{{Name: "req.count", Time: fx.now, Value: 1}}))
	must(mc.CreateGraphDefs([]*mackerel.GraphDefsParam{{Name: "custom.cpu", Metrics: []*mackerel.GraphDefsMetric{{Name: "custom.cpu.user"}}}}))
	must(mc.PostCheckReports(&mackerel.CheckReports{Reports: []*mackerel.CheckReport{{Source: mackerel.NewCheckSourceHost(fx.host),
		Name: "disk", Status: mackerel.CheckStatusCritical, Message: "full", OccurredAt: fx.now, MaxCheckAttempts: 1}}}))
	alerts, err := mc.FindAlerts()
	must(err)
	checks, err := mc.FindCheckMonitors(&mackerel.FindCheckMonitorsParam{})
	must(err)
	if len(alerts.Alerts) != 1 || len(checks.Checks) != 1 {
		t.Fatalf("seeding: want one alert and one check monitor, got %d and %d", len(alerts.Alerts), len(checks.Checks))
	}
	fx.alert, fx.checkMonitor = alerts.Alerts[0].ID, checks.Checks[0].ID
	one := 1.0
	mon, err := mc.CreateMonitor(&mackerel.MonitorHostMetric{Type: "host", Name: "load", Metric: "loadavg5", Operator: ">", Warning: &one, Duration: 1})
	must(err)
	fx.monitor = mon.MonitorID()
	dt, err := mc.CreateDowntime(&mackerel.Downtime{Name: "d", Start: fx.now + 3600, Duration: 10})
	must(err)
	fx.downtime = dt.ID
	ch, err := mc.CreateChannel(&mackerel.Channel{Type: "webhook", Name: "hook", URL: "https://example.com/hook", Events: &[]string{"alert"}})
	must(err)
	fx.channel = ch.ID
	g, err := mc.CreateNotificationGroup(&mackerel.NotificationGroup{Name: "team", NotificationLevel: "all", ChildNotificationGroupIDs: []string{}, ChildChannelIDs: []string{fx.channel}})
	must(err)
	fx.group = g.ID
	ags, err := mc.CreateAlertGroupSetting(&mackerel.AlertGroupSetting{Name: "web", ServiceScopes: []string{"web"}})
	must(err)
	fx.ags = ags.ID
	ann, err := mc.CreateGraphAnnotation(&mackerel.GraphAnnotation{Title: "deploy", Service: "web", From: fx.now, To: fx.now})
	must(err)
	fx.annotation = ann.ID
	aws, err := mc.CreateAWSIntegration(&mackerel.CreateAWSIntegrationParam{Name: "prod", Key: "k", SecretKey: "s", Region: "us-east-1"})
	must(err)
	fx.aws = aws.ID
	_, err = mc.CreateInvitation(&mackerel.Invitation{Email: "invited@example.com", Authority: "viewer"})
	must(err)
	fx.member = "member00001"
	must(env.Store.AddUser(context.Background(), &store.User{ID: fx.member, ScreenName: "ann", Email: "ann@example.com", Authority: "viewer", JoinedAt: fx.now}))
	// Dashboards are finished by other work: without them, their methods
	// fail (mayFail) instead of the whole fixture.
	if d, err := mc.CreateDashboard(&mackerel.Dashboard{Title: "ops", URLPath: "ops", Widgets: []mackerel.Widget{}}); err == nil {
		fx.dashboard = d.ID
	} else {
		fx.dashboard = "nodashboard"
	}
	return fx
}

// methodArgs returns the arguments (without a context) of each method, by
// the name of its context-less form.
func methodArgs(fx *methodFixture) map[string][]any {
	one := 1.0
	traces := &mackerel.ListTracesParam{ServiceName: "web", From: fx.now - 60, To: fx.now}
	req, _ := http.NewRequest("GET", fx.mc.BaseURL.String()+"/api/v0/org", nil)
	return map[string][]any{
		"BulkRetireHosts":                     {[]string{fx.host}},
		"BulkUpdateHostStatuses":              {[]string{fx.host}, "standby"},
		"CloseAlert":                          {fx.alert, "fixed"},
		"CreateAWSIntegration":                {&mackerel.CreateAWSIntegrationParam{Name: "dev", Key: "k", SecretKey: "s", Region: "us-east-1"}},
		"CreateAWSIntegrationExternalID":      {},
		"CreateAlertGroupSetting":             {&mackerel.AlertGroupSetting{Name: "g", ServiceScopes: []string{"web"}}},
		"CreateChannel":                       {&mackerel.Channel{Type: "webhook", Name: "h2", URL: "https://example.com/h2"}},
		"CreateDashboard":                     {&mackerel.Dashboard{Title: "d2", URLPath: "d2", Widgets: []mackerel.Widget{}}},
		"CreateDowntime":                      {&mackerel.Downtime{Name: "d2", Start: fx.now, Duration: 5}},
		"CreateGraphAnnotation":               {&mackerel.GraphAnnotation{Title: "t", Service: "web", From: fx.now, To: fx.now}},
		"CreateGraphDefs":                     {[]*mackerel.GraphDefsParam{{Name: "custom.mem", Metrics: []*mackerel.GraphDefsMetric{}}}},
		"CreateHost":                          {&mackerel.CreateHostParam{Name: "web02"}},
		"CreateInvitation":                    {&mackerel.Invitation{Email: "new@example.com", Authority: "manager"}},
		"CreateMonitor":                       {&mackerel.MonitorConnectivity{Type: "connectivity", Name: "conn"}},
		"CreateNotificationGroup":             {&mackerel.NotificationGroup{Name: "n2", NotificationLevel: "critical", ChildNotificationGroupIDs: []string{}, ChildChannelIDs: []string{}}},
		"CreateRole":                          {"web", &mackerel.CreateRoleParam{Name: "db"}},
		"CreateService":                       {&mackerel.CreateServiceParam{Name: "blog"}},
		"DeleteAWSIntegration":                {fx.aws},
		"DeleteAlertGroupSetting":             {fx.ags},
		"DeleteChannel":                       {fx.channel},
		"DeleteDashboard":                     {fx.dashboard},
		"DeleteDowntime":                      {fx.downtime},
		"DeleteGraphAnnotation":               {fx.annotation},
		"DeleteGraphDef":                      {"custom.cpu"},
		"DeleteHostMetaData":                  {fx.host, "ns"},
		"DeleteMonitor":                       {fx.monitor},
		"DeleteNotificationGroup":             {fx.group},
		"DeleteRole":                          {"web", "app"},
		"DeleteRoleMetaData":                  {"web", "app", "ns"},
		"DeleteService":                       {"web"},
		"DeleteServiceGraphDef":               {"web", "req"},
		"DeleteServiceMetaData":               {"web", "ns"},
		"DeleteUser":                          {fx.member},
		"FetchHostMetricValues":               {fx.host, "custom.cpu.user", fx.now - 60, fx.now},
		"FetchLatestMetricValues":             {[]string{fx.host}, []string{"custom.cpu.user"}},
		"FetchServiceMetricValues":            {"web", "req.count", fx.now - 60, fx.now},
		"FindAWSIntegration":                  {fx.aws},
		"FindAWSIntegrations":                 {},
		"FindAlertGroupSettings":              {},
		"FindAlertLogs":                       {fx.alert, &mackerel.FindAlertLogsParam{}},
		"FindAlerts":                          {},
		"FindAlertsByNextID":                  {fx.alert},
		"FindChannels":                        {},
		"FindCheckMonitor":                    {fx.checkMonitor},
		"FindCheckMonitors":                   {&mackerel.FindCheckMonitorsParam{}},
		"FindDashboard":                       {fx.dashboard},
		"FindDashboards":                      {},
		"FindDowntimes":                       {},
		"FindGraphAnnotations":                {"web", fx.now - 60, fx.now},
		"FindHost":                            {fx.host},
		"FindHostByCustomIdentifier":          {"ci-1", &mackerel.FindHostByCustomIdentifierParam{}},
		"FindHosts":                           {&mackerel.FindHostsParam{}},
		"FindInvitations":                     {},
		"FindMonitors":                        {},
		"FindNotificationGroups":              {},
		"FindRoles":                           {"web"},
		"FindServices":                        {},
		"FindUsers":                           {},
		"FindWithClosedAlerts":                {},
		"FindWithClosedAlertsByNextID":        {fx.alert},
		"GetAlert":                            {fx.alert},
		"GetAlertGroupSetting":                {fx.ags},
		"GetHostMetaData":                     {fx.host, "ns"},
		"GetHostMetaDataNameSpaces":           {fx.host},
		"GetMonitor":                          {fx.monitor},
		"GetOrg":                              {},
		"GetRoleMetaData":                     {"web", "app", "ns"},
		"GetRoleMetaDataNameSpaces":           {"web", "app"},
		"GetServiceMetaData":                  {"web", "ns"},
		"GetServiceMetaDataNameSpaces":        {"web"},
		"GetTrace":                            {"0123456789abcdef0123456789abcdef"},
		"ListAWSIntegrationExcludableMetrics": {},
		"ListDbQueryStats":                    {&mackerel.ListDbQueryStatsParam{ServiceName: "web", From: fx.now - 60, To: fx.now}},
		"ListHTTPServerStats":                 {&mackerel.ListHTTPServerStatsParam{ServiceName: "web", From: fx.now - 60, To: fx.now}},
		"ListHostMetricNames":                 {fx.host},
		"ListMonitoredStatues":                {fx.host},
		"ListServiceMetricNames":              {"web"},
		"ListTraces":                          {traces},
		"ListTracesSeq":                       {context.Background(), traces},
		"PostCheckReports": {&mackerel.CheckReports{Reports: []*mackerel.CheckReport{{Source: mackerel.NewCheckSourceHost(fx.host),
			Name: "disk", Status: mackerel.CheckStatusOK, Message: "ok", OccurredAt: fx.now}}}},
		"PostHostMetricValues":         {[]*mackerel.HostMetricValue{{HostID: fx.host, MetricValue: &mackerel.MetricValue{Name: "custom.a", Time: fx.now, Value: 1}}}},
		"PostHostMetricValuesByHostID": {fx.host, []*mackerel.MetricValue{{Name: "custom.a", Time: fx.now, Value: 1}}},
		"PostJSON":                     {"/api/v0/services", map[string]string{"name": "viajson"}},
		"PostServiceMetricValues":      {"web", []*mackerel.MetricValue{{Name: "req.count", Time: fx.now, Value: 2}}},
		"PutHostMetaData":              {fx.host, "ns2", map[string]int{"b": 2}},
		"PutJSON":                      {"/api/v0/hosts/" + fx.host, &mackerel.UpdateHostParam{Name: "web01"}},
		"PutRoleMetaData":              {"web", "app", "ns2", map[string]int{"b": 2}},
		"PutServiceMetaData":           {"web", "ns2", map[string]int{"b": 2}},
		"Request":                      {req},
		"RetireHost":                   {fx.host},
		"UpdateAWSIntegration":         {fx.aws, &mackerel.UpdateAWSIntegrationParam{Name: "prod", Region: "eu-west-1"}},
		"UpdateAlert":                  {fx.alert, mackerel.UpdateAlertParam{Memo: "looking"}},
		"UpdateAlertGroupSetting":      {fx.ags, &mackerel.AlertGroupSetting{Name: "renamed", ServiceScopes: []string{"web"}}},
		"UpdateChannel":                {fx.channel, &mackerel.Channel{Type: "webhook", Name: "renamed", URL: "https://example.com/r"}},
		"UpdateDashboard":              {fx.dashboard, &mackerel.Dashboard{Title: "ops2", URLPath: "ops2", Widgets: []mackerel.Widget{}}},
		"UpdateDowntime":               {fx.downtime, &mackerel.Downtime{Name: "d3", Start: fx.now, Duration: 7}},
		"UpdateGraphAnnotation":        {fx.annotation, &mackerel.GraphAnnotation{Title: "t2", Service: "web", From: fx.now, To: fx.now}},
		"UpdateHost":                   {fx.host, &mackerel.UpdateHostParam{Name: "web01b"}},
		"UpdateHostRoleFullnames":      {fx.host, []string{"web:app"}},
		"UpdateHostStatus":             {fx.host, "maintenance"},
		"UpdateMonitor":                {fx.monitor, &mackerel.MonitorHostMetric{Type: "host", Name: "load", Metric: "loadavg5", Operator: ">", Warning: &one, Duration: 2}},
		"UpdateNotificationGroup":      {fx.group, &mackerel.NotificationGroup{Name: "team2", NotificationLevel: "all", ChildNotificationGroupIDs: []string{}, ChildChannelIDs: []string{}}},
	}
}

// callMethod calls m with args and returns its error: the last result
// when it is an error, an HTTP status other than 200 for the raw-request
// methods, and the first error an iterator yields.
func callMethod(m reflect.Value, args []any) error {
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		in[i] = reflect.ValueOf(a)
	}
	out := m.Call(in)
	last := out[len(out)-1]
	if seq, ok := last.Interface().(iter.Seq2[*mackerel.ListTracesResult, error]); ok {
		for _, err := range seq {
			if err != nil {
				return err
			}
		}
		return nil
	}
	if !last.IsNil() {
		return last.Interface().(error)
	}
	if resp, ok := out[0].Interface().(*http.Response); ok {
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return errors.New(resp.Status)
		}
	}
	return nil
}

func TestClientMethods(t *testing.T) {
	t.Parallel()
	typ := reflect.TypeFor[*mackerel.Client]()
	var names []string
	for i := range typ.NumMethod() {
		names = append(names, typ.Method(i).Name)
	}
	probe := methodArgs(&methodFixture{mc: &mackerel.Client{BaseURL: mustURL(t, "http://127.0.0.1")}})
	for _, name := range names {
		if _, ok := probe[strings.TrimSuffix(name, "Context")]; !ok {
			t.Errorf("mackerel-client-go's (*Client).%s has no driver in methodArgs: add one, so every method is tried", name)
		}
	}
	if t.Failed() {
		return
	}
	var succeeded atomic.Int64
	outcome := make([]string, len(names))
	t.Run("each", func(t *testing.T) {
		// The methods that only read share one fixture (each writer gets
		// its own): half the databases, which on PostgreSQL is most of
		// this test's time. Reading must leave the fixture as it was;
		// this cleanup, run once every subtest is done, checks it.
		reads := seedMethodFixture(t)
		// Reads of alerts first catch up on evaluation, which may write
		// (the fixture's alert joins the alert group set up after it):
		// let that happen now, so that the fixture is settled.
		if _, err := reads.mc.FindAlerts(); err != nil {
			t.Fatalf("settling the fixture: %v", err)
		}
		before := reads.env.MustDump(t)
		t.Cleanup(func() {
			if after := reads.env.MustDump(t); after != before {
				t.Errorf("a method that readMethod calls a read changed the database it shares with the others:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
		for i, name := range names {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				base := strings.TrimSuffix(name, "Context")
				fx := reads
				if !readMethod(base) {
					fx = seedMethodFixture(t)
				}
				args := methodArgs(fx)[base]
				if base != name && base != "ListTracesSeq" {
					args = append([]any{context.Background()}, args...)
				}
				err := callMethod(reflect.ValueOf(fx.mc).MethodByName(name), args)
				switch reason, must := mustFail[base]; {
				case err == nil && must:
					t.Errorf("%s succeeds now; remove it from mustFail (%s)", name, reason)
				case err == nil:
					succeeded.Add(1)
					outcome[i] = "ok"
				case must:
					outcome[i] = "fails as expected: " + reason
				case mayFail[base] != "":
					outcome[i] = "fails (" + mayFail[base] + "): " + err.Error()
				default:
					t.Errorf("%s: %v", name, err)
					outcome[i] = "FAILS: " + err.Error()
				}
			})
		}
	})
	for i, name := range names {
		if outcome[i] != "ok" {
			t.Logf("%s: %s", name, outcome[i])
		}
	}
	t.Logf("%d of %d methods of mackerel-client-go v0.46.0's *Client succeed against mkr's backend served over HTTP", succeeded.Load(), len(names))
	if !slices.Contains(names, "GetTrace") {
		t.Error("GetTrace is gone from the client: update mustFail")
	}
}

// readMethod reports whether the method named base (its context-less
// form) only reads, by mackerel-client-go's names: Find…, Get…, List…,
// Fetch…, and Request, which is driven with a GET. TestClientMethods
// checks that they change nothing.
func readMethod(base string) bool {
	for _, prefix := range []string{"Find", "Get", "List", "Fetch"} {
		if strings.HasPrefix(base, prefix) {
			return true
		}
	}
	return base == "Request"
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
