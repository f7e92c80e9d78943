package reliability_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/auth"
)

// writeSeeds are hand-made inputs for FuzzWriteRoutes besides the valid
// request of every write route in routeTable: broken JSON, wrong types,
// extreme numbers, unknown ids, odd paths and content types. Placeholders
// as in routeTable.
var writeSeeds = []struct{ method, path, contentType, body string }{
	{"POST", "/api/v0/hosts", "application/json", `{"name":"x","meta":{"agent-version":1},"interfaces":[{"name":"eth0","ipAddress":"10.0.0.1"}],"checks":[{"name":"c","memo":"m"}],"roleFullnames":["a:b"]}`},
	{"POST", "/api/v0/hosts", "application/json", `{"name":""}`},
	{"POST", "/api/v0/hosts", "application/json", `{"name":"x","roleFullnames":["nocolon"]}`},
	{"POST", "/api/v0/hosts", "application/json", "{\"name\":\"\xff\xfe\"}"}, // not UTF-8
	{"POST", "/api/v0/hosts", "application/json", `{"name":"x","meta":"\ud800"}`},
	{"POST", "/api/v0/hosts", "application/json", `[]`},
	{"POST", "/api/v0/hosts", "application/json", `{"name":"x"}}`},
	{"POST", "/api/v0/hosts", "application/json; charset=utf-8", `{"name":"x","interfaces":{"eth0":1}}`},
	{"POST", "/api/v0/hosts", "text/plain", `{"name":"x"}`},
	{"POST", "/api/v0/hosts", "", `{"name":"x"}`},
	{"POST", "/api/v0/hosts", "application/json;;", `{"name":"x"}`},
	{"post", "/api/v0/hosts", "application/json", `{"name":"x"}`},
	{"POST", "/api/v0/hosts/", "application/json", `{"name":"x"}`},
	{"POST", "/api/v0/../v0/hosts", "application/json", `{"name":"x"}`},
	{"PUT", "/api/v0/hosts/{host}", "application/json", `{"name":"web01","displayName":"é","customIdentifier":"","memo":null}`},
	{"PUT", "/api/v0/hosts/nosuchhost", "application/json", `{"name":"x"}`},
	{"PUT", "/api/v0/hosts/{host}", "application/json", `{"name":1e999}`},
	{"PUT", "/api/v0/hosts/{host}%2Fretire", "application/json", `{}`},
	{"POST", "/api/v0/tsdb", "application/json", `[{"hostId":"{host}","name":"custom.a","time":{epoch},"value":1e308}]`},
	{"POST", "/api/v0/tsdb", "application/json", `[{"hostId":"{host}","name":"custom.a","time":9223372036854775807,"value":1}]`},
	{"POST", "/api/v0/tsdb", "application/json", `[{"hostId":"{host}","name":"custom.a","time":-9223372036854775808,"value":1}]`},
	{"POST", "/api/v0/tsdb", "application/json", `[{"hostId":"{host}","name":"custom.a","time":1.5e300,"value":1}]`},
	{"POST", "/api/v0/tsdb", "application/json", `[{"hostId":"{host}","name":"custom.a","time":{epoch},"value":"NaN"}]`},
	{"POST", "/api/v0/tsdb", "application/json", `[{"hostId":"nosuchhost","name":"custom.a","time":{epoch},"value":1}]`},
	{"POST", "/api/v0/tsdb", "application/json", `[{"hostId":"{host}","name":"","time":{epoch},"value":1}]`},
	{"POST", "/api/v0/tsdb", "application/json", `[{"hostId":"{host}","name":"custom.a","time":1,"value":1}]`},
	{"POST", "/api/v0/tsdb", "application/json", `[]`},
	{"POST", "/api/v0/tsdb", "application/json", `{"hostId":"{host}"}`},
	{"POST", "/api/v0/services/web/tsdb", "application/json", `[{"name":"a.b","time":{epoch},"value":-0}]`},
	{"POST", "/api/v0/services/nosuch/tsdb", "application/json", `[{"name":"a","time":{epoch},"value":1}]`},
	{"POST", "/api/v0/services/%00/tsdb", "application/json", `[{"name":"a","time":{epoch},"value":1}]`},
	{"POST", "/api/v0/monitoring/checks/report", "application/json", `{"reports":[{"source":{"type":"host","hostId":"{host}"},"name":"disk","status":"WARNING","message":"","occurredAt":1e300}]}`},
	{"POST", "/api/v0/monitoring/checks/report", "application/json", `{"reports":[{"source":{"type":"host","hostId":"{host}"},"name":"disk","status":"BOGUS","message":"x","occurredAt":{epoch}}]}`},
	{"POST", "/api/v0/monitoring/checks/report", "application/json", `{"reports":[{"source":{"type":"host","hostId":"{host}"},"name":"disk","status":"OK","message":"x","occurredAt":-1,"maxCheckAttempts":-5,"notificationInterval":0}]}`},
	{"POST", "/api/v0/monitoring/checks/report", "application/json", `{"reports":[{"source":{"type":"host","hostId":"nosuchhost"},"name":"disk","status":"OK","message":"x","occurredAt":{epoch}}]}`},
	{"POST", "/api/v0/monitoring/checks/report", "application/json", `{"reports":null}`},
	{"PUT", "/api/v0/hosts/{host}/metadata/ns", "application/json", `"just a string"`},
	{"PUT", "/api/v0/services/web/metadata/%E3%81%82", "application/json", `[1,2,3]`},
	{"PUT", "/api/v0/services/web/roles/app/metadata/ns", "application/json", `{"deep":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}`},
	{"PUT", "/api/v0/services/web/roles/nosuch/metadata/ns", "application/json", `{}`},
	{"PUT", "/api/v0/hosts/{host}/metadata/", "application/json", `{}`},
	{"POST", "/api/v0/graph-defs/create", "application/json", `[{"name":"custom.#.*","unit":"float","metrics":[{"name":"custom.#.*.a"}]}]`},
	{"POST", "/api/v0/graph-defs/create", "application/json", `[{"name":"custom.a","unit":"furlongs","metrics":[]}]`},
	{"POST", "/api/v0/graph-defs/create", "application/json", `[{"name":"custom.a","metrics":[{"name":"custom.b.c"}]}]`},
	{"POST", "/api/v0/graph-defs/create", "application/json", `[{"name":"custom."}]`},
	{"POST", "/api/v0/graph-annotations", "application/json", `{"title":"t","service":"web","from":{epoch},"to":1}`},
	{"POST", "/api/v0/graph-annotations", "application/json", `{"title":"t","service":"web","from":{epoch},"to":{epoch},"roles":["app","nosuch"]}`},
	{"POST", "/api/v0/graph-annotations", "application/json", `{"title":"","service":"","from":0,"to":0}`},
	{"PUT", "/api/v0/graph-annotations/{annotation}", "application/json", `{"from":9223372036854775807}`},
	{"PUT", "/api/v0/graph-annotations/nosuch", "application/json", `{"title":"t"}`},
	{"DELETE", "/api/v0/graph-defs", "application/json", `{"name":"custom.nosuch"}`},
	{"POST", "/api/v0/monitors", "application/json", `{"type":"host","name":"x","metric":"cpu%","operator":">","warning":1e308,"duration":99999999999999999999}`},
	{"POST", "/api/v0/monitors", "application/json", `{"type":"expression","name":"x","expression":"avg(avg(avg(avg(avg(avg(avg(host(\"a\",\"b\")))))))","operator":">","warning":1}`},
	{"POST", "/api/v0/monitors", "application/json", `{"type":"external","name":"x","url":"http://[::1","headers":[{"name":"A\u0000","value":"\ud800"}]}`},
	{"POST", "/api/v0/monitors", "application/json", `{"type":"anomalyDetection","name":"x","scopes":["web: app"],"warningSensitivity":"normal","trainingPeriodFrom":9223372036854775807}`},
	{"POST", "/api/v0/monitors", "application/json", `{"type":"check","name":"x"}`},
	{"PUT", "/api/v0/monitors/{hostMonitor}", "application/json", `{"type":"query","name":"x","query":"up","operator":">","warning":1}`},
	{"PUT", "/api/v0/monitors/{monitor}", "application/json", `{"type":"connectivity"}`},
	{"DELETE", "/api/v0/monitors/{monitor}", "application/json", ``},
	{"DELETE", "/api/v0/monitors/nosuch", "application/json", ``},
	{"POST", "/api/v0/downtimes", "application/json", `{"name":"x","start":9223372036854775807,"duration":9223372036854775807}`},
	{"POST", "/api/v0/downtimes", "application/json", `{"name":"x","start":{epoch},"duration":1,"recurrence":{"type":"monthly","interval":9223372036854775807,"until":-1}}`},
	{"POST", "/api/v0/downtimes", "application/json", `{"name":"x","start":{epoch},"duration":1,"recurrence":{"type":"weekly","interval":1,"weekdays":["Monday","Funday",null]}}`},
	{"POST", "/api/v0/downtimes", "application/json", `{"name":"x","start":{epoch},"duration":1,"serviceScopes":["web"],"roleScopes":["web:app"],"roleExcludeScopes":["web: nosuch"]}`},
	{"POST", "/api/v0/downtimes", "application/json", `{"name":"\ud800","start":1.5,"duration":"1h","monitorScopes":[{}]}`},
	{"PUT", "/api/v0/downtimes/{downtime}", "application/json", `{"name":"","start":0,"duration":0}`},
	{"PUT", "/api/v0/downtimes/nosuch", "application/json", `{"name":"x","start":{epoch},"duration":1}`},
	{"DELETE", "/api/v0/downtimes/nosuch", "application/json", ``},
	{"POST", "/api/v0/channels", "application/json", `{"type":"email","name":"m","emails":["a@example.com","Ops <b@example.com>"],"userIds":[null]}`},
	{"POST", "/api/v0/channels", "application/json", `{"type":"slack","name":"\ud800","url":"javascript:alert(1)","mentions":{"warn":1},"events":["alert","alert"]}`},
	{"POST", "/api/v0/channels", "application/json", `{"type":"line","name":"x","suspendedAt":1e300}`},
	{"PUT", "/api/v0/channels/{channel}", "application/json", `{"type":"email","name":"x","emails":["a@example.com"]}`},
	{"PUT", "/api/v0/channels/nosuch", "application/json", `{"type":"webhook","name":"x","url":"http://[::1"}`},
	{"DELETE", "/api/v0/channels/nosuch", "application/json", ``},
	{"POST", "/api/v0/notification-groups", "application/json", `{"name":"x","notificationLevel":"none","childNotificationGroupIds":["{defaultGroup}","{defaultGroup}"],"monitors":[{"id":"{monitor}","skipDefault":"no"}]}`},
	{"PUT", "/api/v0/notification-groups/{defaultGroup}", "application/json", `{"name":"Other","services":[{"name":"web"}]}`},
	{"PUT", "/api/v0/notification-groups/{group}", "application/json", `{"name":"team","childNotificationGroupIds":["{group}","nosuch"],"childChannelIds":[1]}`},
	{"DELETE", "/api/v0/notification-groups/{defaultGroup}", "application/json", ``},
	{"POST", "/api/v0/alert-group-settings", "application/json", `{"name":"x","roleScopes":["web:app:x","web: nosuch"],"notificationInterval":1.5e19}`},
	{"PUT", "/api/v0/alert-group-settings/{alertGroupSetting}", "application/json", `{"name":"","notificationInterval":9,"monitorScopes":["{alert}"]}`},
	{"DELETE", "/api/v0/alert-group-settings/nosuch", "application/json", ``},
	{"POST", "/api/v0/dashboards", "application/json", `{"title":"x","urlPath":"ops","widgets":[{"type":"markdown","title":"m","layout":{"x":23,"y":-1,"width":9223372036854775807,"height":2}}]}`},
	{"POST", "/api/v0/dashboards", "application/json", `{"title":"\ud800","urlPath":"a//-b","widgets":[{"type":"graph","graph":{"type":"unknown"},"range":{"type":"absolute","start":9223372036854775807,"end":-1}},null]}`},
	{"POST", "/api/v0/dashboards", "application/json", `{"title":"x","urlPath":"x","widgets":[{"type":"value","metric":{"type":"expression","expression":"avg("},"fractionSize":1e300,"formatRules":[{"operator":"=="}],"layout":{"x":0,"y":0,"width":4,"height":4}}]}`},
	{"PUT", "/api/v0/dashboards/{dashboard}", "application/json", `{"title":"x","urlPath":"x","widgets":null}`},
	{"PUT", "/api/v0/dashboards/nosuch", "application/json", `{"title":"x","urlPath":"x","widgets":[]}`},
	{"DELETE", "/api/v0/dashboards/nosuch", "application/json", ``},
	{"DELETE", "/api/v0/users/{member}", "application/json", ``},
	{"DELETE", "/api/v0/users/nosuch", "application/json", ``},
	{"POST", "/api/v0/invitations", "application/json", `{"email":"a@b","authority":"owner"}`},
	{"POST", "/api/v0/invitations", "application/json", `{"email":"\ud800@example.com","authority":"viewer"}`},
	{"POST", "/api/v0/invitations/revoke", "application/json", `{"email":null}`},
	{"POST", "/api/v0/aws-integrations", "application/json", `{"name":"x","key":"k","secretKey":"s","roleArn":"arn:aws:iam::1:role/r","region":"ap-northeast-1"}`},
	{"POST", "/api/v0/aws-integrations", "application/json", `{"name":"x","key":"k","secretKey":"s","region":"us-east-1","services":{"EC2":{"role":"web:app:x","includedMetrics":["a"],"excludedMetrics":["b"]},"Nope":{}}}`},
	{"POST", "/api/v0/aws-integrations", "application/json", `{"name":"prod","key":"k","secretKey":"s","region":"us-east-1","includedTags":"a:b,,c","services":{"SQS":{"retireAutomatically":true}}}`},
	{"PUT", "/api/v0/aws-integrations/{awsIntegration}", "application/json", `{"name":"\u0000","region":"mars-1","services":null}`},
	{"DELETE", "/api/v0/aws-integrations/nosuch", "application/json", ``},
	{"POST", "/api/v0/aws-integrations-external-id", "application/json", `null`},
	{"POST", "/api/v0/traces", "application/json", `{"serviceName":"web","from":9223372036854775807,"to":-1,"perPage":0,"attributes":[{"key":"","operator":"LIKE"}]}`},
	{"POST", "/api/v1/write", "application/x-protobuf", "not snappy"},
	{"POST", "/api/v1/write", "application/x-protobuf", "\x04\x0cgarbage!"},                         // snappy of bytes that are no protobuf
	{"POST", "/api/v1/write", "application/x-protobuf", "\x10\x3c\x0a\x0e\x0a\x0c\x0a\x08__name__"}, // a series cut short
	{"POST", "/api/v1/write?service=nosuch", "application/x-protobuf", ""},
}

// FuzzWriteRoutes sends any method, path, Content-Type and body to an
// anonymous loopback server (mkr serve without keys) on a fresh copy of
// the fixture database. Whatever comes in:
//
//   - the answer is never a 5xx, except 507 (the disk is full);
//   - an error answer (4xx) is JSON with Mackerel's {"error":{"message":…}}
//     and leaves the database exactly as it was;
//   - a success answer is JSON; a redirect is only ServeMux cleaning a
//     path and changes nothing either.
func FuzzWriteRoutes(f *testing.F) {
	fx := mustFixture(f)
	for _, pattern := range slices.Sorted(maps.Keys(routeTable)) {
		if method, _, _ := strings.Cut(pattern, " "); method != http.MethodGet {
			row := routeTable[pattern]
			f.Add(method, row.path, "application/json", []byte(row.body))
		}
	}
	for _, s := range writeSeeds {
		f.Add(s.method, s.path, s.contentType, []byte(s.body))
	}
	pristine := newEnv(f, fx).MustDump(f)

	f.Fuzz(func(t *testing.T, method, target, contentType string, body []byte) {
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		r, err := http.NewRequest(method, "http://127.0.0.1:8080"+fx.expand(target), bytes.NewReader([]byte(fx.expand(string(body)))))
		if err != nil {
			return // no client can send it
		}
		if contentType != "" {
			r.Header.Set("Content-Type", contentType)
		}
		env := newEnv(t, fx)
		resp := serve(env.Backend.AuthorizedHandler(auth.Config{Anonymous: true}), r)

		unchanged := func() {
			t.Helper()
			if env.MustDump(t) != pristine {
				t.Errorf("%s %s answered %d but changed the database", method, r.URL, resp.status)
			}
		}
		ct := resp.header.Get("Content-Type")
		switch s := resp.status; {
		case s == http.StatusInsufficientStorage, s >= 400 && s < 500:
			if _, err := errorMessage(resp.body); err != nil || !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s %s: error body is not Mackerel's (%v; Content-Type %q): %s", method, r.URL, err, ct, resp)
			}
			unchanged()
		case s >= 500:
			t.Errorf("%s %s: server error: %s", method, r.URL, resp)
		case s >= 300 && s < 400:
			if loc := resp.header.Get("Location"); loc == "" || path.Clean(r.URL.Path) == r.URL.Path {
				t.Errorf("%s %s: unexpected redirect to %q: %s", method, r.URL, loc, resp)
			}
			unchanged()
		case s == http.StatusNoContent:
			if len(resp.body) != 0 {
				t.Errorf("%s %s: 204 with a body: %s", method, r.URL, resp)
			}
		case s >= 200 && s < 300:
			if !json.Valid(resp.body) || !strings.HasPrefix(ct, "application/json") {
				t.Errorf("%s %s: success body is not JSON (Content-Type %q): %s", method, r.URL, ct, resp)
			}
		default:
			t.Errorf("%s %s: unexpected status: %s", method, r.URL, resp)
		}
	})
}
