package dashboard

import (
	"bytes"
	"testing"
)

// noneMissing is a Lookup where everything exists but role web:gone and
// service gone.
type noneMissing struct{}

func (noneMissing) HostExists(string) (bool, error)         { return true, nil }
func (noneMissing) ServiceExists(name string) (bool, error) { return name != "gone", nil }
func (noneMissing) RoleExists(s, r string) (bool, error) {
	return s != "gone" && !(s == "web" && r == "gone"), nil
}

const canonical = `{"id":"d1","title":"t","urlPath":"a/b","createdAt":1,"updatedAt":2,"memo":"<m>","widgets":[` +
	`{"type":"graph","title":"g","layout":{"x":0,"y":0,"width":6,"height":6},"graph":{"type":"role","name":"cpu","roleFullname":"web:gone","isStacked":false},"range":{"type":"relative","period":60,"offset":0},"valueRange":{"min":-1},"referenceLines":[]},` +
	`{"type":"value","title":"v","layout":{"x":6,"y":0,"width":4,"height":4},"metric":{"type":"query","query":"up","legend":""},"fractionSize":3,"suffix":"s","formatRules":[]},` +
	`{"type":"alertStatus","title":"a","layout":{"x":10,"y":0,"width":4,"height":3},"roleFullname":"web:gone"}]}`

// Encode is Decode's inverse on canonical JSON, keys in client-go's order.
func TestEncodeDecodeCanonical(t *testing.T) {
	d, err := Decode([]byte(canonical))
	if err != nil {
		t.Fatal(err)
	}
	d.Normalize()
	if got := Encode(d); string(got) != canonical {
		t.Fatalf("Encode(Decode(x)) =\n%s\nwant\n%s", got, canonical)
	}
	if err := Validate(d, noneMissing{}); err == nil || err.Error() != "widgets[0].graph.roleFullname names role web:gone, which does not exist." {
		t.Fatalf("Validate = %v", err)
	}
	if err := MarkStale(d, noneMissing{}); err != nil {
		t.Fatal(err)
	}
	got := string(Encode(d))
	for _, part := range []string{`"graph":{"type":"unknown"},"range"`, `"roleFullname":null}`, `"metric":{"type":"query","query":"up","legend":""}`} {
		if !bytes.Contains([]byte(got), []byte(part)) {
			t.Errorf("MarkStale: %s lacks %s", got, part)
		}
	}
	if l := EncodeListed(d); string(l) != `{"id":"d1","title":"t","urlPath":"a/b","createdAt":1,"updatedAt":2,"memo":"<m>"}` {
		t.Errorf("EncodeListed = %s", l)
	}
}

// FuzzCanonical: whatever Decode accepts, once normalized, encodes to a
// fixed point.
func FuzzCanonical(f *testing.F) {
	f.Add([]byte(canonical))
	f.Add([]byte(`{"widgets":[{"type":"markdown","graph":null,"metric":null,"range":null}]}`))
	f.Add([]byte(`{"widgets":[{"type":"graph","graph":{"type":"x"},"range":{"type":"y"},"valueRange":{}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := Decode(body)
		if err != nil {
			return
		}
		d.Normalize()
		once := Encode(d)
		d2, err := Decode(once)
		if err != nil {
			t.Fatalf("Decode(Encode) failed: %v\n%s", err, once)
		}
		d2.Normalize()
		if twice := Encode(d2); !bytes.Equal(once, twice) {
			t.Fatalf("not a fixed point:\n%s\n%s", once, twice)
		}
	})
}
