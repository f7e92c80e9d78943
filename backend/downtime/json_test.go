package downtime_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/downtime"
)

// The documented example decodes, and encodes back to the same bytes with
// the id first (mackerel-client-go's key order); role scopes take their
// canonical "service: role" form.
func TestDecodeEncode(t *testing.T) {
	in := `{"name":"Maintenance #1","memo":"Memo #1","start":1563700000,"duration":60,
 "recurrence":{"type":"weekly","interval":3,"weekdays":["Monday","Thursday","Saturday"]},
 "serviceScopes":["service1"],"roleExcludeScopes":["service1:role1"],"monitorScopes":["monitor0"],"id":"echoed","createdAt":1}`
	d, err := downtime.Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != "echoed" {
		t.Fatalf("id %q", d.ID)
	}
	d.ID = "abcde1"
	got, err := downtime.Encode(d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"abcde1","name":"Maintenance #1","memo":"Memo #1","start":1563700000,"duration":60,` +
		`"recurrence":{"type":"weekly","interval":3,"weekdays":["Monday","Thursday","Saturday"]},` +
		`"serviceScopes":["service1"],"roleExcludeScopes":["service1: role1"],"monitorScopes":["monitor0"]}`
	if string(got) != want {
		t.Fatalf("Encode:\n got %s\nwant %s", got, want)
	}
	// mackerel-client-go marshals its own struct to the same bytes.
	var mc mackerel.Downtime
	if err := json.Unmarshal(got, &mc); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(&mc)
	if string(again) != want {
		t.Fatalf("mackerel-client-go re-encodes to\n%s", again)
	}
}

// Null, empty and absent optional values all encode as absent.
func TestEncodeOmitsEmpty(t *testing.T) {
	d, err := downtime.Decode([]byte(`{"name":"n","memo":null,"start":5,"duration":1,"recurrence":null,"serviceScopes":[],"monitorScopes":null}`))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := downtime.Encode(d)
	if want := `{"name":"n","start":5,"duration":1}`; string(got) != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if !reflect.DeepEqual(d, &downtime.Downtime{Name: "n", Start: 5, Duration: 1, ServiceScopes: []string{}}) {
		t.Fatalf("decoded %#v", d)
	}
}

func TestDecodeTypeErrors(t *testing.T) {
	tests := []struct{ body, field, msg string }{
		{`[]`, "", "A downtime must be a JSON object."},
		{`"x"`, "", "A downtime must be a JSON object."},
		{`{"name":1}`, "name", "name must be a string."},
		{`{"memo":{}}`, "memo", "memo must be a string."},
		{`{"start":"1563700000"}`, "start", "start must be an integer (epoch seconds)."},
		{`{"start":1.5}`, "start", "start must be an integer (epoch seconds)."},
		{`{"start":1e300}`, "start", "start must be an integer (epoch seconds)."},
		{`{"duration":"1h"}`, "duration", "duration must be an integer (minutes)."},
		{`{"recurrence":"weekly"}`, "recurrence", "recurrence must be an object."},
		{`{"recurrence":{"type":1}}`, "recurrence.type", "recurrence.type must be a string."},
		{`{"recurrence":{"interval":"2"}}`, "recurrence.interval", "recurrence.interval must be an integer."},
		{`{"recurrence":{"until":true}}`, "recurrence.until", "recurrence.until must be an integer (epoch seconds)."},
		{`{"recurrence":{"weekdays":"Monday"}}`, "recurrence.weekdays", "recurrence.weekdays must be an array of strings."},
		{`{"recurrence":{"weekdays":[1]}}`, "recurrence.weekdays", "recurrence.weekdays must be an array of strings."},
		{`{"serviceScopes":"web"}`, "serviceScopes", "serviceScopes must be an array of strings."},
		{`{"roleScopes":[["web: app"]]}`, "roleScopes", "roleScopes must be an array of strings."},
		{`{"monitorExcludeScopes":[1]}`, "monitorExcludeScopes", "monitorExcludeScopes must be an array of strings."},
	}
	for _, tt := range tests {
		_, err := downtime.Decode([]byte(tt.body))
		var de *downtime.Error
		if !errors.As(err, &de) || de.Field != tt.field || de.Message != tt.msg {
			t.Errorf("Decode(%s) = %#v, want field %q message %q", tt.body, err, tt.field, tt.msg)
		}
	}
}
