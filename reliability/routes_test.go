package reliability_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// routeRow is one registered route with a request that succeeds against a
// fresh copy of the fixture. path and body may hold the fixture's
// placeholders ({host}, {alert}, {monitor} (the check monitor),
// {hostMonitor}, {anomalyMonitor}, {annotation}, {downtime}, {channel}, {group},
// {defaultGroup}, {alertGroupSetting}, {epoch}).
type routeRow struct {
	path string
	body string
	want int // status with a valid key; 0 means 200
	// external: a write whose effect is outside the database (a test
	// notification sent), so the matrix does not expect the dump to change.
	external bool
	// public: the route asks for no key (route{public: true} in the
	// backend): every caller gets its answer.
	public bool
}

// routeTable has a row for every route the backend registers, keyed by
// its ServeMux pattern exactly as written in backend/routes*.go.
// TestRouteTableInSync fails when a route is added without a row here.
var routeTable = map[string]routeRow{
	"GET /healthz":    {path: "/healthz", public: true},
	"GET /api/v0/org": {path: "/api/v0/org"},

	"GET /api/v0/hosts":                                         {path: "/api/v0/hosts"},
	"GET /api/v0/hosts.json":                                    {path: "/api/v0/hosts.json"},
	"POST /api/v0/hosts":                                        {path: "/api/v0/hosts", body: `{"name":"new01"}`},
	"GET /api/v0/hosts/{hostId}":                                {path: "/api/v0/hosts/{host}"},
	"PUT /api/v0/hosts/{hostId}":                                {path: "/api/v0/hosts/{host}", body: `{"name":"web01","memo":"changed"}`},
	"POST /api/v0/hosts/{hostId}/status":                        {path: "/api/v0/hosts/{host}/status", body: `{"status":"maintenance"}`},
	"POST /api/v0/hosts/bulk-update-statuses":                   {path: "/api/v0/hosts/bulk-update-statuses", body: `{"ids":["{host}"],"status":"standby"}`},
	"PUT /api/v0/hosts/{hostId}/role-fullnames":                 {path: "/api/v0/hosts/{host}/role-fullnames", body: `{"roleFullnames":["web:other"]}`},
	"POST /api/v0/hosts/{hostId}/retire":                        {path: "/api/v0/hosts/{host}/retire", body: `{}`},
	"POST /api/v0/hosts/bulk-retire":                            {path: "/api/v0/hosts/bulk-retire", body: `{"ids":["{host}"]}`},
	"GET /api/v0/hosts/{hostId}/metric-names":                   {path: "/api/v0/hosts/{host}/metric-names"},
	"GET /api/v0/hosts/{hostId}/monitored-statuses":             {path: "/api/v0/hosts/{host}/monitored-statuses"},
	"GET /api/v0/hosts-by-custom-identifier/{customIdentifier}": {path: "/api/v0/hosts-by-custom-identifier/ci-web01"},

	"GET /api/v0/services":                           {path: "/api/v0/services"},
	"POST /api/v0/services":                          {path: "/api/v0/services", body: `{"name":"db"}`},
	"DELETE /api/v0/services/{service}":              {path: "/api/v0/services/web"},
	"GET /api/v0/services/{service}/roles":           {path: "/api/v0/services/web/roles"},
	"POST /api/v0/services/{service}/roles":          {path: "/api/v0/services/web/roles", body: `{"name":"batch"}`},
	"DELETE /api/v0/services/{service}/roles/{role}": {path: "/api/v0/services/web/roles/app"},

	"GET /api/v0/hosts/{hostId}/metadata":                                 {path: "/api/v0/hosts/{host}/metadata"},
	"GET /api/v0/hosts/{hostId}/metadata/{namespace}":                     {path: "/api/v0/hosts/{host}/metadata/ns"},
	"PUT /api/v0/hosts/{hostId}/metadata/{namespace}":                     {path: "/api/v0/hosts/{host}/metadata/ns", body: `{"b":2}`},
	"DELETE /api/v0/hosts/{hostId}/metadata/{namespace}":                  {path: "/api/v0/hosts/{host}/metadata/ns"},
	"GET /api/v0/services/{service}/metadata":                             {path: "/api/v0/services/web/metadata"},
	"GET /api/v0/services/{service}/metadata/{namespace}":                 {path: "/api/v0/services/web/metadata/ns"},
	"PUT /api/v0/services/{service}/metadata/{namespace}":                 {path: "/api/v0/services/web/metadata/ns", body: `{"b":2}`},
	"DELETE /api/v0/services/{service}/metadata/{namespace}":              {path: "/api/v0/services/web/metadata/ns"},
	"GET /api/v0/services/{service}/roles/{role}/metadata":                {path: "/api/v0/services/web/roles/app/metadata"},
	"GET /api/v0/services/{service}/roles/{role}/metadata/{namespace}":    {path: "/api/v0/services/web/roles/app/metadata/ns"},
	"PUT /api/v0/services/{service}/roles/{role}/metadata/{namespace}":    {path: "/api/v0/services/web/roles/app/metadata/ns", body: `{"b":2}`},
	"DELETE /api/v0/services/{service}/roles/{role}/metadata/{namespace}": {path: "/api/v0/services/web/roles/app/metadata/ns"},

	"POST /api/v0/tsdb":                                        {path: "/api/v0/tsdb", body: `[{"hostId":"{host}","name":"custom.cpu.user","time":{epoch},"value":2}]`},
	"GET /api/v0/tsdb/latest":                                  {path: "/api/v0/tsdb/latest?hostId={host}&name=custom.cpu.user"},
	"GET /api/v0/hosts/{hostId}/metrics":                       {path: "/api/v0/hosts/{host}/metrics?name=custom.cpu.user&from=1&to={epoch}"},
	"POST /api/v0/services/{service}/tsdb":                     {path: "/api/v0/services/web/tsdb", body: `[{"name":"req.count","time":{epoch},"value":2}]`},
	"GET /api/v0/services/{service}/metrics":                   {path: "/api/v0/services/web/metrics?name=req.count&from=1&to={epoch}"},
	"GET /api/v0/services/{service}/metric-names":              {path: "/api/v0/services/web/metric-names"},
	"POST /api/v0/graph-defs/create":                           {path: "/api/v0/graph-defs/create", body: `[{"name":"custom.mem","displayName":"Memory","unit":"bytes","metrics":[{"name":"custom.mem.used","displayName":"used","isStacked":false}]}]`},
	"DELETE /api/v0/graph-defs":                                {path: "/api/v0/graph-defs", body: `{"name":"custom.cpu"}`},
	"DELETE /api/v0/services/{service}/graph-defs/{graphName}": {path: "/api/v0/services/web/graph-defs/req"},
	"GET /api/v0/graph-annotations":                            {path: "/api/v0/graph-annotations?service=web&from=1&to={epoch}"},
	"POST /api/v0/graph-annotations":                           {path: "/api/v0/graph-annotations", body: `{"title":"release","service":"web","from":{epoch},"to":{epoch}}`},
	"PUT /api/v0/graph-annotations/{id}":                       {path: "/api/v0/graph-annotations/{annotation}", body: `{"title":"renamed"}`},
	"DELETE /api/v0/graph-annotations/{id}":                    {path: "/api/v0/graph-annotations/{annotation}"},

	"POST /api/v0/monitoring/checks/report": {path: "/api/v0/monitoring/checks/report", body: `{"reports":[{"source":{"type":"host","hostId":"{host}"},"name":"disk","status":"OK","message":"fine","occurredAt":{epoch},"maxCheckAttempts":1}]}`},
	"GET /api/v0/monitoring/checks":         {path: "/api/v0/monitoring/checks"},
	"GET /api/v0/monitoring/checks/{id}":    {path: "/api/v0/monitoring/checks/{monitor}"},
	"GET /api/v0/alerts":                    {path: "/api/v0/alerts"},
	"GET /api/v0/alerts/{id}":               {path: "/api/v0/alerts/{alert}"},
	"PUT /api/v0/alerts/{id}":               {path: "/api/v0/alerts/{alert}", body: `{"memo":"looking"}`},
	"POST /api/v0/alerts/{id}/close":        {path: "/api/v0/alerts/{alert}/close", body: `{"reason":"fixed"}`},
	"GET /api/v0/alerts/{id}/logs":          {path: "/api/v0/alerts/{alert}/logs"},

	"GET /api/v0/monitors":                {path: "/api/v0/monitors"},
	"POST /api/v0/monitors":               {path: "/api/v0/monitors", body: `{"type":"connectivity","scopes":["web"],"excludeScopes":["web: app"]}`},
	"GET /api/v0/monitors/{monitorId}":    {path: "/api/v0/monitors/{hostMonitor}"},
	"PUT /api/v0/monitors/{monitorId}":    {path: "/api/v0/monitors/{hostMonitor}", body: `{"type":"host","name":"load","metric":"loadavg5","operator":">","critical":2,"duration":3}`},
	"DELETE /api/v0/monitors/{monitorId}": {path: "/api/v0/monitors/{hostMonitor}"},
	// Retraining is idempotent: the fixture's evaluation already trained
	// the role (too few samples) at the same fixed clock over the same
	// data, so the dump does not change.
	"POST /api/v0/monitors/{monitorId}/retrain": {path: "/api/v0/monitors/{anomalyMonitor}/retrain", external: true},

	"GET /api/v0/downtimes":                 {path: "/api/v0/downtimes"},
	"POST /api/v0/downtimes":                {path: "/api/v0/downtimes", body: `{"name":"deploy","start":{epoch},"duration":30,"serviceScopes":["web"],"monitorExcludeScopes":["{monitor}"]}`},
	"PUT /api/v0/downtimes/{downtimeId}":    {path: "/api/v0/downtimes/{downtime}", body: `{"name":"renamed","start":4102444800,"duration":60,"recurrence":{"type":"weekly","interval":1,"weekdays":["Monday"]}}`},
	"DELETE /api/v0/downtimes/{downtimeId}": {path: "/api/v0/downtimes/{downtime}"},

	"GET /api/v0/channels":                                      {path: "/api/v0/channels"},
	"POST /api/v0/channels":                                     {path: "/api/v0/channels", body: `{"type":"slack","name":"ops","url":"https://hooks.slack.com/services/T/B/X","mentions":{"critical":"@here"},"enabledGraphImage":true,"events":["alert","hostStatus"],"addToDefaultNotificationGroup":true}`},
	"PUT /api/v0/channels/{channelId}":                          {path: "/api/v0/channels/{channel}", body: `{"type":"webhook","name":"renamed","url":"https://example.com/renamed","mentions":{}}`},
	"DELETE /api/v0/channels/{channelId}":                       {path: "/api/v0/channels/{channel}"},
	"POST /api/v0/channels/{channelId}/test":                    {path: "/api/v0/channels/{channel}/test", external: true},
	"GET /api/v0/notification-groups":                           {path: "/api/v0/notification-groups"},
	"POST /api/v0/notification-groups":                          {path: "/api/v0/notification-groups", body: `{"name":"web team","notificationLevel":"critical","childNotificationGroupIds":["{group}"],"childChannelIds":["{channel}"],"monitors":[{"id":"{hostMonitor}","skipDefault":true}],"services":[{"name":"web"}]}`},
	"PUT /api/v0/notification-groups/{notificationGroupId}":     {path: "/api/v0/notification-groups/{defaultGroup}", body: `{"name":"Default","notificationLevel":"critical","childNotificationGroupIds":["{group}"],"childChannelIds":["{channel}"]}`},
	"DELETE /api/v0/notification-groups/{notificationGroupId}":  {path: "/api/v0/notification-groups/{group}"},
	"GET /api/v0/alert-group-settings":                          {path: "/api/v0/alert-group-settings"},
	"POST /api/v0/alert-group-settings":                         {path: "/api/v0/alert-group-settings", body: `{"name":"web","serviceScopes":["web"],"roleScopes":["web: app"],"monitorScopes":["{hostMonitor}","{monitor}"],"notificationInterval":60}`},
	"GET /api/v0/alert-group-settings/{alertGroupSettingId}":    {path: "/api/v0/alert-group-settings/{alertGroupSetting}"},
	"PUT /api/v0/alert-group-settings/{alertGroupSettingId}":    {path: "/api/v0/alert-group-settings/{alertGroupSetting}", body: `{"name":"renamed","memo":"m"}`},
	"DELETE /api/v0/alert-group-settings/{alertGroupSettingId}": {path: "/api/v0/alert-group-settings/{alertGroupSetting}"},

	"GET /api/v0/dashboards":                  {path: "/api/v0/dashboards"},
	"POST /api/v0/dashboards":                 {path: "/api/v0/dashboards", body: `{"title":"new","urlPath":"new","widgets":[{"type":"graph","title":"g","layout":{"x":0,"y":0,"width":6,"height":6},"graph":{"type":"host","hostId":"{host}","name":"custom.cpu.user"},"range":{"type":"relative","period":3600,"offset":0},"referenceLines":[{"label":"max","value":1}],"legendList":["user"]}]}`},
	"GET /api/v0/dashboards/{dashboardId}":    {path: "/api/v0/dashboards/{dashboard}"},
	"PUT /api/v0/dashboards/{dashboardId}":    {path: "/api/v0/dashboards/{dashboard}", body: `{"title":"renamed","urlPath":"ops/renamed","widgets":[]}`},
	"DELETE /api/v0/dashboards/{dashboardId}": {path: "/api/v0/dashboards/{dashboard}"},

	"GET /api/v0/users":                    {path: "/api/v0/users"},
	"DELETE /api/v0/users/{userId}":        {path: "/api/v0/users/{member}"},
	"GET /api/v0/invitations":              {path: "/api/v0/invitations"},
	"POST /api/v0/invitations":             {path: "/api/v0/invitations", body: `{"email":"new@example.com","authority":"collaborator"}`},
	"POST /api/v0/invitations/revoke":      {path: "/api/v0/invitations/revoke", body: `{"email":"invited@example.com"}`},
	"GET /api/v0/aws-integrations":         {path: "/api/v0/aws-integrations"},
	"POST /api/v0/aws-integrations":        {path: "/api/v0/aws-integrations", body: `{"name":"dev","roleArn":"arn:aws:iam::123456789012:role/Mackerel","externalId":"x1","region":"us-east-1","services":{"ALB":{"enable":true,"role":null,"includedMetrics":["alb.request.count"]}}}`},
	"GET /api/v0/aws-integrations/{id}":    {path: "/api/v0/aws-integrations/{awsIntegration}"},
	"PUT /api/v0/aws-integrations/{id}":    {path: "/api/v0/aws-integrations/{awsIntegration}", body: `{"name":"renamed","region":"ap-northeast-1","services":{}}`},
	"DELETE /api/v0/aws-integrations/{id}": {path: "/api/v0/aws-integrations/{awsIntegration}"},
	// Neither writes anything: an external id only matters to AWS, and a
	// trace search is a read that the hosted API takes as a POST.
	"POST /api/v0/aws-integrations-external-id":       {path: "/api/v0/aws-integrations-external-id", external: true},
	"GET /api/v0/aws-integrations-excludable-metrics": {path: "/api/v0/aws-integrations-excludable-metrics"},
	"POST /api/v0/traces":                             {path: "/api/v0/traces", body: `{"serviceName":"web","from":1,"to":{epoch}}`, external: true},
	"GET /api/v0/traces/{traceId}":                    {path: "/api/v0/traces/0123456789abcdef0123456789abcdef", want: 404},
	"GET /api/v0/apm/http-server-stats":               {path: "/api/v0/apm/http-server-stats?serviceName=web&from=1&to=60"},
	"GET /api/v0/apm/db-query-stats":                  {path: "/api/v0/apm/db-query-stats?serviceName=web&from=1&to=60"},
	"GET /api/v0/graph-defs":                          {path: "/api/v0/graph-defs"},
	"POST /api/v1/write":                              {path: "/api/v1/write", body: promWriteBody(), want: 204},
}

// TestRouteTableInSync: routeTable names exactly the routes the backend
// registers.
func TestRouteTableInSync(t *testing.T) {
	registered := registeredRoutes(t)
	for _, p := range registered {
		if _, ok := routeTable[p]; !ok {
			t.Errorf("route %q is registered by the backend but has no row in routeTable (reliability/routes_test.go): add one so the auth matrix covers it", p)
		}
	}
	for _, p := range slices.Sorted(maps.Keys(routeTable)) {
		if !slices.Contains(registered, p) {
			t.Errorf("routeTable has a row for %q, which the backend does not register", p)
		}
	}
}

// registeredRoutes reads the backend's route registrations from its
// source: every b.handle(pattern, …) call in backend/*.go, with pattern
// evaluated from string literals, concatenation and range loops over
// string slice literals. Anything it cannot evaluate, and any other
// registration on the mux than the catch-all "/", fails the test, so a
// new way of registering routes cannot slip past the matrix unseen.
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "backend", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("finding the backend's sources: %v (%d files)", err, len(files))
	}
	var routes []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		c := &routeCollector{fset: fset}
		c.walk(f, nil)
		for _, e := range c.errs {
			t.Error(e)
		}
		routes = append(routes, c.routes...)
	}
	if len(routes) == 0 {
		t.Fatal("found no b.handle calls in backend/*.go: has route registration moved?")
	}
	slices.Sort(routes)
	for i := 1; i < len(routes); i++ {
		if routes[i] == routes[i-1] {
			t.Errorf("route %q is registered twice", routes[i])
		}
	}
	return routes
}

type routeCollector struct {
	fset   *token.FileSet
	routes []string
	errs   []string
}

// walk visits n with env binding range variables to their value.
func (c *routeCollector) walk(n ast.Node, env map[string][]string) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			// handle itself registers its argument on the mux.
			return !(n.Recv != nil && n.Name.Name == "handle")
		case *ast.RangeStmt:
			id, ok := n.Value.(*ast.Ident)
			vals, lit := stringSlice(n.X)
			if !ok || !lit {
				return true
			}
			// Walk the body once per value, so that a variable used twice
			// in one pattern takes one value at a time.
			for _, v := range vals {
				inner := maps.Clone(env)
				if inner == nil {
					inner = map[string][]string{}
				}
				inner[id.Name] = []string{v}
				c.walk(n.Body, inner)
			}
			return false
		case *ast.CallExpr:
			sel, ok := n.Fun.(*ast.SelectorExpr)
			if !ok || len(n.Args) == 0 {
				return true
			}
			switch sel.Sel.Name {
			case "handle":
				vals, err := evalStrings(n.Args[0], env)
				if err != nil {
					c.errs = append(c.errs, fmt.Sprintf("%s: cannot evaluate the route pattern (%v); teach registeredRoutes this form", c.fset.Position(n.Pos()), err))
					return true
				}
				c.routes = append(c.routes, vals...)
			case "Handle", "HandleFunc":
				if lit, ok := n.Args[0].(*ast.BasicLit); ok && lit.Value == `"/"` {
					return true // the catch-all 404
				}
				c.errs = append(c.errs, fmt.Sprintf("%s: a route registered with %s instead of b.handle escapes the common pipeline and this matrix", c.fset.Position(n.Pos()), sel.Sel.Name))
			}
		}
		return true
	})
}

// stringSlice returns the values of a []string{"…", …} literal.
func stringSlice(e ast.Expr) ([]string, bool) {
	cl, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil, false
	}
	var out []string
	for _, el := range cl.Elts {
		lit, ok := el.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return nil, false
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// evalStrings evaluates a string expression to every value it takes.
func evalStrings(e ast.Expr, env map[string][]string) ([]string, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return nil, fmt.Errorf("not a string literal")
		}
		s, err := strconv.Unquote(e.Value)
		return []string{s}, err
	case *ast.ParenExpr:
		return evalStrings(e.X, env)
	case *ast.Ident:
		if vals, ok := env[e.Name]; ok {
			return vals, nil
		}
		return nil, fmt.Errorf("unknown identifier %s", e.Name)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return nil, fmt.Errorf("operator %s", e.Op)
		}
		xs, err := evalStrings(e.X, env)
		if err != nil {
			return nil, err
		}
		ys, err := evalStrings(e.Y, env)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, x := range xs {
			for _, y := range ys {
				out = append(out, x+y)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("expression %T", e)
}
