package backend_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

// monitorBadFixture is a backend with service web (roles app, db) and one
// host monitor ({mon}), plus the placeholders {now} and {later} (an hour
// ahead) for runBadOn.
func monitorBadFixture(t *testing.T) (*backendtest.Env, *strings.Replacer) {
	t.Helper()
	env := backendtest.New(t)
	env.MustCreateService(t, "web", "app", "db")
	resp := serve(t, env.Handler, "POST", "/api/v0/monitors", `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1,"duration":1}`)
	if resp.status != 200 {
		t.Fatalf("creating the fixture monitor: %d %s", resp.status, resp.body)
	}
	var created struct{ ID string }
	mustDecode(t, resp, &created)
	now := env.Clock.Now().Unix()
	return env, strings.NewReplacer("{mon}", created.ID, "{now}", strconv.FormatInt(now, 10), "{later}", strconv.FormatInt(now+3600, 10))
}

func TestBadMonitorBodies(t *testing.T) {
	t.Parallel()
	env, expand := monitorBadFixture(t)
	const (
		post = "POST"
		put  = "PUT"
		path = "/api/v0/monitors"
		one  = "/api/v0/monitors/{mon}"
	)
	host := func(extra string) string {
		return `{"type":"host","name":"h","metric":"loadavg5","operator":">","warning":1,"duration":1` + extra + `}`
	}
	svc := func(extra string) string {
		return `{"type":"service","name":"s","service":"web","metric":"req","operator":">","warning":1,"duration":1` + extra + `}`
	}
	ext := func(extra string) string {
		return `{"type":"external","name":"e","url":"https://example.com"` + extra + `}`
	}
	exprm := func(extra string) string {
		return `{"type":"expression","name":"x","expression":"avg(roleSlots(\"web:app\",\"loadavg5\"))","operator":">","warning":1` + extra + `}`
	}
	anomaly := func(extra string) string {
		return `{"type":"anomalyDetection","name":"a","scopes":["web: app"]` + extra + `}`
	}
	query := func(extra string) string {
		return `{"type":"query","name":"q","query":"up","operator":">","critical":1` + extra + `}`
	}
	long := strings.Repeat("é", 2049)

	runBadOn(t, env, expand, []badCase{
		// Shapes.
		{"empty body", post, path, ``, 400, "Request body is required."},
		{"null body", post, path, `null`, 400, "Request body is required."},
		{"array body", post, path, `[]`, 400, "Invalid JSON: expected an object, not array"},
		{"broken JSON", post, path, `{"type":`, 400, "Invalid JSON: unexpected EOF"},
		{"trailing data", post, path, host(``) + `}`, 400, "Invalid JSON: unexpected data after the top-level value"},
		{"not UTF-8", post, path, "{\"type\":\"host\",\"name\":\"\xff\"}", 400, "name is not valid UTF-8."},
		{"type a number", post, path, `{"type":1}`, 400, "type must be a string."},
		{"duration a string", post, path, host(`,"duration":"3"`), 400, "duration must be a number."},
		{"duration fractional", post, path, host(`,"duration":1.5`), 400, "duration must be a whole number."},
		{"warning a string", post, path, host(`,"warning":"1"`), 400, "warning must be a number."},
		{"isMute a string", post, path, host(`,"isMute":"yes"`), 400, "isMute must be true or false."},
		{"scopes a string", post, path, host(`,"scopes":"web"`), 400, "scopes must be an array of strings."},
		{"headers an object", post, path, ext(`,"headers":{"A":"1"}`), 400, `headers must be an array of {"name","value"} objects.`},

		// Every type.
		{"type missing", post, path, `{"name":"x"}`, 400, "type is required."},
		{"type unknown", post, path, `{"type":"check","name":"x"}`, 400, `type must be one of connectivity, host, service, external, expression, anomalyDetection, query, not "check".`},
		{"name missing", post, path, `{"type":"host","metric":"loadavg5","operator":">","warning":1,"duration":1}`, 400, "name is required."},
		{"name blank", post, path, host(`,"name":"  "`), 400, "name is required."},
		{"memo too long", post, path, host(`,"memo":"` + long + `"`), 400, "memo must be at most 2048 characters."},
		{"notificationInterval under 10", post, path, host(`,"notificationInterval":5`), 400, "notificationInterval must be at least 10 (minutes), or omitted for no re-notification."},
		{"notificationInterval negative", post, path, host(`,"notificationInterval":-10`), 400, "notificationInterval must be at least 10 (minutes), or omitted for no re-notification."},

		// host.
		{"host metric missing", post, path, `{"type":"host","name":"h","operator":">","warning":1,"duration":1}`, 400, "metric is required."},
		{"host metric not a name", post, path, host(`,"metric":"load avg"`), 400, `metric "load avg" is not a metric name: use A-Z a-z 0-9 . _ - (at most 255 characters).`},
		{"host operator missing", post, path, `{"type":"host","name":"h","metric":"loadavg5","warning":1,"duration":1}`, 400, `operator must be ">" or "<".`},
		{"host operator >=", post, path, host(`,"operator":">="`), 400, `operator must be ">" or "<".`},
		{"host no threshold", post, path, host(`,"warning":null`), 400, "warning or critical is required."},
		{"host duration missing", post, path, `{"type":"host","name":"h","metric":"loadavg5","operator":">","warning":1}`, 400, "duration must be between 1 and 10."},
		{"host duration 0", post, path, host(`,"duration":0`), 400, "duration must be between 1 and 10."},
		{"host duration 11", post, path, host(`,"duration":11`), 400, "duration must be between 1 and 10."},
		{"host maxCheckAttempts 11", post, path, host(`,"maxCheckAttempts":11`), 400, "maxCheckAttempts must be between 1 and 10."},
		{"host maxCheckAttempts negative", post, path, host(`,"maxCheckAttempts":-1`), 400, "maxCheckAttempts must be between 1 and 10."},
		{"cpu% warning over 100", post, path, host(`,"metric":"cpu%","warning":100.5`), 400, "warning must be between 0 and 100 for cpu% (a percentage)."},
		{"disk% critical negative", post, path, host(`,"metric":"disk%","critical":-1`), 400, "critical must be between 0 and 100 for disk% (a percentage)."},
		{"container-memory% over 100", post, path, host(`,"metric":"container-memory%","warning":101`), 400, "warning must be between 0 and 100 for container-memory% (a percentage)."},
		{"unknown % metric", post, path, host(`,"metric":"load%"`), 400, `metric "load%" is not a metric name: use A-Z a-z 0-9 . _ - (at most 255 characters).`},
		{"unknown scope service", post, path, host(`,"scopes":["nosuch"]`), 400, `scopes: unknown scope "nosuch".`},
		{"unknown scope role", post, path, host(`,"scopes":["web: nosuch"]`), 400, `scopes: unknown scope "web: nosuch".`},
		{"unknown exclude scope", post, path, host(`,"excludeScopes":["web:batch"]`), 400, `excludeScopes: unknown scope "web:batch".`},
		{"malformed scope", post, path, host(`,"scopes":["web: app: x"]`), 400, `scopes: "web: app: x" is not "Service" or "Service: role".`},
		{"empty scope", post, path, host(`,"scopes":[""]`), 400, `scopes: "" is not "Service" or "Service: role".`},

		// connectivity.
		{"alertStatusOnGone UNKNOWN", post, path, `{"type":"connectivity","alertStatusOnGone":"UNKNOWN"}`, 400, "alertStatusOnGone must be CRITICAL or WARNING."},
		{"connectivity unknown scope", post, path, `{"type":"connectivity","scopes":["db"]}`, 400, `scopes: unknown scope "db".`},

		// service.
		{"service missing", post, path, `{"type":"service","name":"s","metric":"req","operator":">","warning":1,"duration":1}`, 400, "service is required."},
		{"service unknown", post, path, svc(`,"service":"nosuch"`), 400, `unknown service "nosuch".`},
		{"service metric missing", post, path, svc(`,"metric":""`), 400, "metric is required."},
		{"service rate metric", post, path, svc(`,"metric":"cpu%"`), 400, `metric "cpu%" is not a metric name: use A-Z a-z 0-9 . _ - (at most 255 characters).`},
		{"service duration 11", post, path, svc(`,"duration":11`), 400, "duration must be between 1 and 10."},
		{"missingDurationWarning 15", post, path, svc(`,"missingDurationWarning":15`), 400, "missingDurationWarning must be a multiple of 10 (minutes) between 10 and 10080 (a week)."},
		{"missingDurationCritical over a week", post, path, svc(`,"missingDurationCritical":10090`), 400, "missingDurationCritical must be a multiple of 10 (minutes) between 10 and 10080 (a week)."},
		{"missingDurationCritical negative", post, path, svc(`,"missingDurationCritical":-10`), 400, "missingDurationCritical must be a multiple of 10 (minutes) between 10 and 10080 (a week)."},

		// external.
		{"url missing", post, path, `{"type":"external","name":"e"}`, 400, "url is required."},
		{"url ftp", post, path, ext(`,"url":"ftp://example.com"`), 400, `url must be http or https, not "ftp://example.com".`},
		{"url relative", post, path, ext(`,"url":"example.com/x"`), 400, `url must be http or https, not "example.com/x".`},
		{"url without host", post, path, ext(`,"url":"http:///x"`), 400, `url "http:///x" has no host.`},
		{"method PATCH", post, path, ext(`,"method":"PATCH"`), 400, "method must be GET, POST, PUT or DELETE."},
		{"external maxCheckAttempts 11", post, path, ext(`,"maxCheckAttempts":11`), 400, "maxCheckAttempts must be between 1 and 10."},
		{"external unknown service", post, path, ext(`,"service":"nosuch"`), 400, `unknown service "nosuch".`},
		{"response time without service", post, path, ext(`,"responseTimeWarning":100,"responseTimeDuration":1`), 400, "service is required with responseTimeWarning or responseTimeCritical (the response time is posted to it)."},
		{"response time without duration", post, path, ext(`,"service":"web","responseTimeCritical":100`), 400, "responseTimeDuration is required with responseTimeWarning or responseTimeCritical."},
		{"responseTimeDuration 11", post, path, ext(`,"service":"web","responseTimeCritical":100,"responseTimeDuration":11`), 400, "responseTimeDuration must be between 1 and 10."},
		{"responseTimeWarning negative", post, path, ext(`,"service":"web","responseTimeWarning":-1,"responseTimeDuration":1`), 400, "responseTimeWarning must not be negative."},
		{"certificationExpirationWarning negative", post, path, ext(`,"certificationExpirationWarning":-1`), 400, "certificationExpirationWarning must not be negative (days)."},
		{"expectedStatusCode 99", post, path, ext(`,"expectedStatusCode":99`), 400, "expectedStatusCode must be an HTTP status code (100 to 599)."},
		{"header without name", post, path, ext(`,"headers":[{"name":"","value":"1"}]`), 400, "headers[0].name is required."},
		{"header name with a colon", post, path, ext(`,"headers":[{"name":"A","value":"1"},{"name":"X:Y","value":"1"}]`), 400, `headers[1].name "X:Y" is not an HTTP header name.`},
		{"header value with a newline", post, path, ext(`,"headers":[{"name":"A","value":"1\r\nB: 2"}]`), 400, "headers[0].value must not contain line breaks."},

		// expression.
		{"expression missing", post, path, exprm(`,"expression":""`), 400, "expression is required."},
		{"expression syntax", post, path, exprm(`,"expression":"avg(roleSlots(\"web:app\",\"loadavg5\")"`), 400, "expression: syntax error at position 35: expected \")\" after 1 argument of avg, found end of input."},
		{"expression operator", post, path, exprm(`,"operator":"="`), 400, `operator must be ">" or "<".`},
		{"expression no threshold", post, path, exprm(`,"warning":null`), 400, "warning or critical is required."},
		{"evaluateBackwardMinutes 1", post, path, exprm(`,"evaluateBackwardMinutes":1`), 400, "evaluateBackwardMinutes must be between 2 and 10."},
		{"evaluateBackwardMinutes 11", post, path, exprm(`,"evaluateBackwardMinutes":11`), 400, "evaluateBackwardMinutes must be between 2 and 10."},

		// anomalyDetection.
		{"anomaly without scopes", post, path, `{"type":"anomalyDetection","name":"a","warningSensitivity":"normal"}`, 400, "scopes is required: the roles to watch."},
		{"anomaly scope a service", post, path, anomaly(`,"scopes":["web"],"warningSensitivity":"normal"`), 400, `scopes: "web" is a service; name a role ("Service: role").`},
		{"anomaly unknown role", post, path, anomaly(`,"scopes":["web: nosuch"],"warningSensitivity":"normal"`), 400, `scopes: unknown scope "web: nosuch".`},
		{"anomaly no sensitivity", post, path, anomaly(``), 400, "warningSensitivity or criticalSensitivity is required."},
		{"anomaly bad sensitivity", post, path, anomaly(`,"criticalSensitivity":"high"`), 400, `criticalSensitivity must be insensitive, normal or sensitive, not "high".`},
		{"anomaly maxCheckAttempts 11", post, path, anomaly(`,"warningSensitivity":"normal","maxCheckAttempts":11`), 400, "maxCheckAttempts must be between 1 and 10."},
		{"anomaly training in the future", post, path, anomaly(`,"warningSensitivity":"normal","trainingPeriodFrom":{later}`), 400, "trainingPeriodFrom must not be in the future."},
		{"anomaly training negative", post, path, anomaly(`,"warningSensitivity":"normal","trainingPeriodFrom":-1`), 400, "trainingPeriodFrom must be epoch seconds."},

		// query.
		{"query missing", post, path, query(`,"query":" "`), 400, "query is required."},
		{"query operator missing", post, path, `{"type":"query","name":"q","query":"up","critical":1}`, 400, `operator must be ">" or "<".`},
		{"query no threshold", post, path, query(`,"critical":null`), 400, "warning or critical is required."},
		{"query evaluateBackwardMinutes 11", post, path, query(`,"evaluateBackwardMinutes":11`), 400, "evaluateBackwardMinutes must be between 0 and 10."},
		{"query evaluateBackwardMinutes negative", post, path, query(`,"evaluateBackwardMinutes":-1`), 400, "evaluateBackwardMinutes must be between 0 and 10."},

		// PUT: the same rules, the type fixed, unknown ids.
		{"PUT type change", put, one, svc(``), 400, "type cannot be changed (from host to service): delete the monitor and create a new one."},
		{"PUT invalid", put, one, host(`,"duration":20`), 400, "duration must be between 1 and 10."},
		{"PUT without type, invalid", put, one, `{"name":"h","metric":"loadavg5","operator":">","warning":1}`, 400, "duration must be between 1 and 10."},
		{"PUT unknown id", put, "/api/v0/monitors/nosuch", host(``), 404, "Monitor not found."},
		{"PUT broken JSON", put, one, `{`, 400, "Invalid JSON: unexpected EOF"},
		{"GET unknown id", "GET", "/api/v0/monitors/nosuch", ``, 404, "Monitor not found."},
		{"DELETE unknown id", "DELETE", "/api/v0/monitors/nosuch", ``, 404, "Monitor not found."},
	})
}

// What the validation accepts at the edges of each range.
func TestMonitorEdgesAccepted(t *testing.T) {
	t.Parallel()
	env, expand := monitorBadFixture(t)
	for _, body := range []string{
		`{"type":"host","name":"h","metric":"cpu%","operator":">","warning":0,"critical":100,"duration":10,"maxCheckAttempts":10,"notificationInterval":10,"memo":"` + strings.Repeat("é", 2048) + `","scopes":["web","web: app","web:db"]}`,
		`{"type":"host","name":"h","metric":"custom.a-b_c.d","operator":"<","critical":-5,"duration":1,"maxCheckAttempts":0}`,
		`{"type":"service","name":"s","service":"web","metric":"req","operator":">","warning":1,"duration":1,"missingDurationWarning":10,"missingDurationCritical":10080}`,
		`{"type":"external","name":"e","url":"http://127.0.0.1:8080/x","method":"DELETE","service":"web","responseTimeCritical":0,"responseTimeDuration":10,"expectedStatusCode":599,"certificationExpirationCritical":0}`,
		`{"type":"expression","name":"x","expression":"host(\"abc\",\"loadavg5\")","operator":"<","critical":1,"evaluateBackwardMinutes":10}`,
		`{"type":"expression","name":"x","expression":"host(\"abc\",\"loadavg5\")","operator":"<","critical":1,"evaluateBackwardMinutes":2}`,
		`{"type":"anomalyDetection","name":"a","scopes":["web:db"],"criticalSensitivity":"sensitive","trainingPeriodFrom":{now},"maxCheckAttempts":1}`,
		`{"type":"query","name":"q","query":"up","operator":"<","warning":1,"evaluateBackwardMinutes":10}`,
		`{"type":"connectivity","alertStatusOnGone":"WARNING","scopes":["web: app"],"excludeScopes":["web"],"notificationInterval":10}`,
	} {
		resp := serve(t, env.Handler, "POST", "/api/v0/monitors", expand.Replace(body))
		if resp.status != 200 {
			t.Errorf("POST %s\n→ %d %s", body, resp.status, resp.body)
		}
	}
}
