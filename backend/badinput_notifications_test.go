package backend_test

import (
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

// notifyBadFixture is a backend with service web (role app), a host
// monitor ({mon}), an email and a webhook channel ({mail}, {hook}), two
// groups ({parent} has child {child}), the default group ({default}) and
// an alert group setting ({ags}).
func notifyBadFixture(t *testing.T) (*backendtest.Env, *strings.Replacer) {
	t.Helper()
	env := backendtest.New(t)
	env.MustCreateService(t, "web", "app")
	ids := map[string]string{}
	post := func(name, path, body string) {
		t.Helper()
		for k, v := range ids {
			body = strings.ReplaceAll(body, "{"+k+"}", v)
		}
		resp := serve(t, env.Handler, "POST", path, body)
		if resp.status != 200 {
			t.Fatalf("creating %s: %d %s", name, resp.status, resp.body)
		}
		ids[name] = idOf(t, resp.body)
	}
	post("mon", "/api/v0/monitors", `{"type":"host","name":"load","metric":"loadavg5","operator":">","warning":1,"duration":1}`)
	post("mail", "/api/v0/channels", `{"type":"email","name":"mail","emails":["ops@example.com"]}`)
	post("hook", "/api/v0/channels", `{"type":"webhook","name":"hook","url":"https://example.com/hook"}`)
	post("child", "/api/v0/notification-groups", `{"name":"child"}`)
	post("parent", "/api/v0/notification-groups", `{"name":"parent","childNotificationGroupIds":["{child}"]}`)
	post("ags", "/api/v0/alert-group-settings", `{"name":"ags"}`)
	var list struct{ NotificationGroups []struct{ ID, Type string } }
	mustDecode(t, serve(t, env.Handler, "GET", "/api/v0/notification-groups", ""), &list)
	ids["default"] = list.NotificationGroups[0].ID
	var pairs []string
	for k, v := range ids {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return env, strings.NewReplacer(pairs...)
}

func TestBadChannelBodies(t *testing.T) {
	t.Parallel()
	env, expand := notifyBadFixture(t)
	const (
		post = "POST"
		put  = "PUT"
		path = "/api/v0/channels"
	)
	mail := func(extra string) string {
		return `{"type":"email","name":"m","emails":["a@example.com"]` + extra + `}`
	}
	slack := func(extra string) string {
		return `{"type":"slack","name":"s","url":"https://hooks.slack.com/x"` + extra + `}`
	}
	hook := func(extra string) string {
		return `{"type":"webhook","name":"w","url":"https://example.com/w"` + extra + `}`
	}
	runBadOn(t, env, expand, []badCase{
		{"empty body", post, path, ``, 400, "Request body is required."},
		{"array body", post, path, `[]`, 400, "Invalid JSON: expected an object, not array"},
		{"broken JSON", post, path, `{"type":`, 400, "Invalid JSON: unexpected EOF"},
		{"not UTF-8", post, path, "{\"type\":\"email\",\"name\":\"\xff\"}", 400, "name is not valid UTF-8."},
		{"type a number", post, path, `{"type":1}`, 400, "type must be a string."},
		{"emails a string", post, path, mail(`,"emails":"a@example.com"`), 400, "emails must be an array of strings."},
		{"emails with null", post, path, mail(`,"emails":[null]`), 400, "emails must be an array of strings."},
		{"events an object", post, path, hook(`,"events":{}`), 400, "events must be an array of strings."},
		{"enabledGraphImage a string", post, path, hook(`,"enabledGraphImage":"yes"`), 400, "enabledGraphImage must be true or false."},
		{"mentions an array", post, path, slack(`,"mentions":[]`), 400, `mentions must be an object of texts per status ("ok", "warning", "critical").`},
		{"mentions unknown status", post, path, slack(`,"mentions":{"warn":"x","zz":"y"}`), 400, `mentions: "warn" is not a status: use ok, warning, critical.`},
		{"mentions a number", post, path, slack(`,"mentions":{"ok":1}`), 400, "mentions.ok must be a string."},
		{"addToDefault a string", post, path, hook(`,"addToDefaultNotificationGroup":"yes"`), 400, "addToDefaultNotificationGroup must be true or false."},

		{"type missing", post, path, `{"name":"x"}`, 400, "type is required."},
		{"type line", post, path, `{"type":"line","name":"x"}`, 400, `type must be email, slack or webhook: a "line" channel cannot be created or changed through the API.`},
		{"name missing", post, path, `{"type":"webhook","url":"https://example.com"}`, 400, "name is required."},
		{"name too long", post, path, hook(`,"name":"` + strings.Repeat("n", 251) + `"`), 400, "name must be at most 250 characters."},
		{"unknown event", post, path, hook(`,"events":["alert","alerts"]`), 400, `events: "alerts" is not an event: use alert, alertGroup, hostStatus, hostRegister, hostRetire, monitor.`},
		{"email without recipients", post, path, mail(`,"emails":[]`), 400, "emails is required: an email channel needs at least one address (or userIds)."},
		{"email invalid", post, path, mail(`,"emails":["a@example.com","not an address"]`), 400, `emails: "not an address" is not an email address.`},
		{"email with a display name", post, path, mail(`,"emails":["Ops <ops@example.com>"]`), 400, `emails: "Ops <ops@example.com>" is not an email address.`},
		{"userIds", post, path, mail(`,"userIds":["u1"]`), 400, `userIds: "u1" is not a user of this organization.`},
		{"slack without url", post, path, `{"type":"slack","name":"s"}`, 400, "url is required."},
		{"webhook ftp", post, path, hook(`,"url":"ftp://example.com"`), 400, `url must be http or https, not "ftp://example.com".`},
		{"webhook relative", post, path, hook(`,"url":"example.com/x"`), 400, `url must be http or https, not "example.com/x".`},
		{"webhook without host", post, path, hook(`,"url":"http:///x"`), 400, `url "http:///x" has no host.`},
		{"mention too long", post, path, slack(`,"mentions":{"critical":"` + strings.Repeat("m", 1025) + `"}`), 400, "mentions.critical must be at most 1024 characters."},

		{"update unknown", put, path + "/nosuch", hook(``), 404, "Channel not found."},
		{"update type change", put, path + "/{hook}", slack(``), 400, "type cannot be changed (from webhook to slack): delete the channel and create a new one."},
		{"update invalid url", put, path + "/{hook}", hook(`,"url":"nope"`), 400, `url must be http or https, not "nope".`},
		{"update email without recipients", put, path + "/{mail}", `{"name":"m"}`, 400, "emails is required: an email channel needs at least one address (or userIds)."},
		{"update not an object", put, path + "/{mail}", `"x"`, 400, "Invalid JSON: expected an object, not string"},
		{"delete unknown", "DELETE", path + "/nosuch", ``, 404, "Channel not found."},
	})
}

func TestBadNotificationGroupBodies(t *testing.T) {
	t.Parallel()
	env, expand := notifyBadFixture(t)
	const (
		post = "POST"
		put  = "PUT"
		path = "/api/v0/notification-groups"
	)
	runBadOn(t, env, expand, []badCase{
		{"empty body", post, path, ``, 400, "Request body is required."},
		{"name a number", post, path, `{"name":1}`, 400, "name must be a string."},
		{"children a string", post, path, `{"name":"g","childNotificationGroupIds":"x"}`, 400, "childNotificationGroupIds must be an array of strings."},
		{"monitors of strings", post, path, `{"name":"g","monitors":["{mon}"]}`, 400, `monitors[0] must be a {"id","skipDefault"} object.`},
		{"monitors an object", post, path, `{"name":"g","monitors":{}}`, 400, `monitors must be an array of {"id","skipDefault"} objects.`},
		{"skipDefault a string", post, path, `{"name":"g","monitors":[{"id":"{mon}","skipDefault":"yes"}]}`, 400, "monitors[0].skipDefault must be true or false."},
		{"service name a number", post, path, `{"name":"g","services":[{"name":1}]}`, 400, "services[0].name must be a string."},

		{"name missing", post, path, `{"notificationLevel":"all"}`, 400, "name is required."},
		{"level unknown", post, path, `{"name":"g","notificationLevel":"warning"}`, 400, `notificationLevel must be all or critical, not "warning".`},
		{"unknown child group", post, path, `{"name":"g","childNotificationGroupIds":["nosuch"]}`, 400, `childNotificationGroupIds: "nosuch" is not a notification group.`},
		{"unknown channel", post, path, `{"name":"g","childChannelIds":["{hook}","nosuch"]}`, 400, `childChannelIds: "nosuch" is not a channel.`},
		{"unknown monitor", post, path, `{"name":"g","monitors":[{"id":"nosuch","skipDefault":true}]}`, 400, `monitors: "nosuch" is not a monitor.`},
		{"monitor without id", post, path, `{"name":"g","monitors":[{"skipDefault":true}]}`, 400, "monitors[0].id is required."},
		{"unknown service", post, path, `{"name":"g","services":[{"name":"nosuch"}]}`, 400, `services: "nosuch" is not a service.`},
		{"service without name", post, path, `{"name":"g","services":[{}]}`, 400, "services[0].name is required."},

		{"cycle through two", put, path + "/{child}", `{"name":"child","childNotificationGroupIds":["{parent}"]}`, 400, `childNotificationGroupIds: "{parent}" would make a cycle: {child} → {parent} → {child}.`},
		{"own child", put, path + "/{child}", `{"name":"child","childNotificationGroupIds":["{child}"]}`, 400, "childNotificationGroupIds: a group cannot be its own child."},
		{"rename default", put, path + "/{default}", `{"name":"Mine"}`, 400, `name of the default notification group cannot be changed (from "Default" to "Mine").`},
		{"default with services", put, path + "/{default}", `{"services":[{"name":"web"}]}`, 400, "services: the default notification group takes every alert and cannot be limited to services."},
		{"update unknown", put, path + "/nosuch", `{"name":"g"}`, 404, "Notification group not found."},
		{"delete default", "DELETE", path + "/{default}", ``, 400, "The default notification group cannot be deleted."},
		{"delete unknown", "DELETE", path + "/nosuch", ``, 404, "Notification group not found."},
	})
}

func TestBadAlertGroupSettingBodies(t *testing.T) {
	t.Parallel()
	env, expand := notifyBadFixture(t)
	const (
		post = "POST"
		path = "/api/v0/alert-group-settings"
	)
	runBadOn(t, env, expand, []badCase{
		{"empty body", post, path, ``, 400, "Request body is required."},
		{"memo a number", post, path, `{"name":"a","memo":1}`, 400, "memo must be a string."},
		{"scopes a string", post, path, `{"name":"a","serviceScopes":"web"}`, 400, "serviceScopes must be an array of strings."},
		{"interval a string", post, path, `{"name":"a","notificationInterval":"60"}`, 400, "notificationInterval must be a number."},
		{"interval fractional", post, path, `{"name":"a","notificationInterval":10.5}`, 400, "notificationInterval must be a whole number."},
		{"interval huge", post, path, `{"name":"a","notificationInterval":18446744073709551615}`, 400, "notificationInterval must be a whole number within range."},

		{"name missing", post, path, `{"memo":"m"}`, 400, "name is required."},
		{"memo too long", post, path, `{"name":"a","memo":"` + strings.Repeat("é", 2049) + `"}`, 400, "memo must be at most 2048 characters."},
		{"interval 9", post, path, `{"name":"a","notificationInterval":9}`, 400, "notificationInterval must be at least 10 (minutes), or omitted for no re-notification."},
		{"interval negative", post, path, `{"name":"a","notificationInterval":-10}`, 400, "notificationInterval must be at least 10 (minutes), or omitted for no re-notification."},
		{"service malformed", post, path, `{"name":"a","serviceScopes":["web app"]}`, 400, `serviceScopes must hold service names (A-Z a-z 0-9 _ -, at least 2): "web app" is not one.`},
		{"service unknown", post, path, `{"name":"a","serviceScopes":["nosuch"]}`, 400, `serviceScopes has "nosuch", which is not a service.`},
		{"service twice", post, path, `{"name":"a","serviceScopes":["web","web"]}`, 400, `serviceScopes has "web" twice.`},
		{"role without service", post, path, `{"name":"a","roleScopes":["app"]}`, 400, `roleScopes must hold roles as "service: role": "app" is not one.`},
		{"role unknown", post, path, `{"name":"a","roleScopes":["web:db"]}`, 400, `roleScopes has "web: db", which is not a role.`},
		{"role twice", post, path, `{"name":"a","roleScopes":["web:app","web: app"]}`, 400, `roleScopes has "web: app" twice.`},
		{"monitor blank", post, path, `{"name":"a","monitorScopes":[" "]}`, 400, `monitorScopes must hold monitor ids, not " ".`},
		{"monitor unknown", post, path, `{"name":"a","monitorScopes":["nosuch"]}`, 400, `monitorScopes has "nosuch", which is not a monitor.`},
		{"update unknown", "PUT", path + "/nosuch", `{"name":"a"}`, 404, "Alert group setting not found."},
		{"update invalid", "PUT", path + "/{ags}", `{"name":""}`, 400, "name is required."},
		{"get unknown", "GET", path + "/nosuch", ``, 404, "Alert group setting not found."},
		{"delete unknown", "DELETE", path + "/nosuch", ``, 404, "Alert group setting not found."},
	})
}
