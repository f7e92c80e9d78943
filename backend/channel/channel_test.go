package channel

import (
	"reflect"
	"testing"
)

// Decode is tolerant of what clients send: mackerel-client-go's
// "mentions":{} on every type, nulls, echoed read-only keys, unknown keys.
// Normalize then keeps the type's own fields only.
func TestDecodeTolerant(t *testing.T) {
	c, err := Decode([]byte(`{"id":"x","name":"n","type":"email","suspendedAt":123,"mentions":{},"emails":["a@example.com","a@example.com"],
		"userIds":null,"url":"https://example.com","enabledGraphImage":true,"events":null,"unknown":{"a":[1]}}`))
	if err != nil {
		t.Fatal(err)
	}
	c.Normalize()
	want := &Channel{ID: "x", Name: "n", Type: "email", Emails: []string{"a@example.com"}, UserIDs: []string{}, Events: []string{"alert"}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("got %+v, want %+v", c, want)
	}
	if got := string(Encode(c)); got != `{"id":"x","name":"n","type":"email","emails":["a@example.com"],"userIds":[],"events":["alert"]}` {
		t.Fatalf("Encode = %s", got)
	}
}

func TestDecodeErrors(t *testing.T) {
	for body, want := range map[string]string{
		`[]`:                                  "A channel must be a JSON object.",
		`null`:                                "A channel must be a JSON object.",
		`{"name":true}`:                       "name must be a string.",
		`{"events":[1]}`:                      "events must be an array of strings.",
		`{"events":["alert",null]}`:           "events must be an array of strings.",
		`{"mentions":"x"}`:                    `mentions must be an object of texts per status ("ok", "warning", "critical").`,
		`{"mentions":{"ok":"a","b":"c"}}`:     `mentions: "b" is not a status: use ok, warning, critical.`,
		`{"mentions":{"warning":false}}`:      "mentions.warning must be a string.",
		`{"enabledGraphImage":0}`:             "enabledGraphImage must be true or false.",
		`{"addToDefaultNotificationGroup":1}`: "addToDefaultNotificationGroup must be true or false.",
	} {
		_, err := Decode([]byte(body))
		if e, ok := IsInvalid(err); !ok || e.Message != want {
			t.Errorf("Decode(%s) = %v, want %q", body, err, want)
		}
	}
}

// An empty events list is kept (the channel is told about nothing); only
// a missing one takes the default.
func TestNormalizeEvents(t *testing.T) {
	c := &Channel{Type: TypeWebhook, Events: []string{}, Emails: []string{"x"}, Mentions: Mentions{OK: "o"}}
	c.Normalize()
	if c.Events == nil || len(c.Events) != 0 || c.Emails != nil || c.Mentions != (Mentions{}) {
		t.Fatalf("normalized %+v", c)
	}
	o := &Channel{ID: "i", Type: "line", Name: "l", URL: "u", Events: []string{"alert"}}
	o.Normalize()
	if !reflect.DeepEqual(o, &Channel{ID: "i", Type: "line", Name: "l"}) {
		t.Fatalf("another type normalized to %+v", o)
	}
}

func TestEncodeListed(t *testing.T) {
	c := &Channel{ID: "i", Name: "s <&>", Type: TypeSlack, URL: "https://h/?a=1&b=2", Mentions: Mentions{Warning: "w"}, Events: []string{}}
	if got, want := string(EncodeListed(c, 0)), `{"id":"i","name":"s <&>","type":"slack","suspendedAt":null,"mentions":{"warning":"w"},"enabledGraphImage":false,"url":"https://h/?a=1&b=2","events":[]}`; got != want {
		t.Errorf("EncodeListed(not suspended)\n %s\nwant %s", got, want)
	}
	o := &Channel{ID: "i", Name: "p", Type: "pagerduty"}
	if got, want := string(EncodeListed(o, 42)), `{"id":"i","name":"p","type":"pagerduty","suspendedAt":42}`; got != want {
		t.Errorf("EncodeListed(pagerduty)\n %s\nwant %s", got, want)
	}
}

type noUsers struct{}

func (noUsers) UserExists(string) (bool, error) { return false, nil }

type allUsers struct{}

func (allUsers) UserExists(string) (bool, error) { return true, nil }

func TestValidate(t *testing.T) {
	ok := []*Channel{
		{Type: TypeEmail, Name: "m", Emails: []string{"ops@example.com", "x.y+z@sub.example.org"}},
		{Type: TypeSlack, Name: "s", URL: "https://hooks.slack.com/services/T/B/X", Events: Events},
		{Type: TypeWebhook, Name: "w", URL: "http://127.0.0.1:8080/hook"},
	}
	for _, c := range ok {
		c.Normalize()
		if err := Validate(c, noUsers{}); err != nil {
			t.Errorf("Validate(%+v) = %v", c, err)
		}
	}
	// With users (a later backend), userIds alone make a recipient list.
	withUsers := &Channel{Type: TypeEmail, Name: "m", UserIDs: []string{"u1"}}
	withUsers.Normalize()
	if err := Validate(withUsers, allUsers{}); err != nil {
		t.Errorf("Validate(userIds of existing users) = %v", err)
	}
	if err := Validate(withUsers, noUsers{}); err == nil || err.Error() != `userIds: "u1" is not a user of this organization.` {
		t.Errorf("Validate(userIds, no users) = %v", err)
	}
}

func TestMerge(t *testing.T) {
	cur := &Channel{ID: "i", Type: TypeSlack, Name: "s", URL: "https://a", Mentions: Mentions{OK: "ok"}, EnabledGraphImage: true, Events: []string{"alert", "monitor"}}
	next, err := Merge(cur, &Channel{ID: "other", Name: "s2", URL: "https://b", AddToDefaultNotificationGroup: true})
	if err != nil {
		t.Fatal(err)
	}
	want := &Channel{ID: "i", Type: TypeSlack, Name: "s2", URL: "https://b", Events: []string{"alert"}}
	if !reflect.DeepEqual(next, want) {
		t.Fatalf("Merge = %+v, want %+v (a whole replacement, type and id kept)", next, want)
	}
	if _, err := Merge(cur, &Channel{Type: TypeWebhook}); err == nil || err.Error() != "type cannot be changed (from slack to webhook): delete the channel and create a new one." {
		t.Fatalf("Merge changing the type = %v", err)
	}
}
