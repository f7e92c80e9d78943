package notifygroup

import "testing"

// everything is a Lookup for which every reference exists and no group
// has children.
type everything struct{}

func (everything) ChannelExists(string) (bool, error)           { return true, nil }
func (everything) GroupChildren(string) ([]string, bool, error) { return nil, true, nil }
func (everything) MonitorExists(string) (bool, error)           { return true, nil }
func (everything) ServiceExists(string) (bool, error)           { return true, nil }
func (everything) RoleExists(string, string) (bool, error)      { return true, nil }

// FuzzCanonical: whatever the body, decoding fails cleanly or gives a
// group (and a setting) whose canonical form, once valid, reads back to
// itself.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{
		`{"name":"g","notificationLevel":"critical","childChannelIds":["a","a"],"monitors":[{"id":"m","skipDefault":true}],"services":[{"name":"web"}]}`,
		`{"type":"group-default","name":"Default","childNotificationGroupIds":["x"]}`,
		`{"name":"s","memo":"<&>","serviceScopes":["web"],"roleScopes":["web:app"," web :  db "],"monitorScopes":["m"],"notificationInterval":10}`,
		`{"name":"\ud800","monitors":[null],"notificationInterval":1e400}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if g, err := DecodeGroup(body); err == nil {
			g.ID = "id"
			g.Normalize()
			if ValidateGroup(g, everything{}) == nil {
				first := EncodeGroup(g)
				again, err := DecodeGroup(first)
				if err != nil {
					t.Fatalf("DecodeGroup(EncodeGroup) failed: %v\n%s", err, first)
				}
				again.Normalize()
				if second := EncodeGroup(again); string(second) != string(first) || ValidateGroup(again, everything{}) != nil {
					t.Fatalf("group not stable or not valid:\n%s\n%s", first, second)
				}
			}
		} else if _, ok := IsInvalid(err); !ok {
			t.Fatalf("DecodeGroup error is not an *Error: %v", err)
		}
		if s, err := DecodeSetting(body); err == nil {
			s.Normalize()
			if ValidateSetting(s, everything{}) == nil {
				first := EncodeSetting(s)
				again, err := DecodeSetting(first)
				if err != nil {
					t.Fatalf("DecodeSetting(EncodeSetting) failed: %v\n%s", err, first)
				}
				again.Normalize()
				if second := EncodeSetting(again); string(second) != string(first) || ValidateSetting(again, everything{}) != nil {
					t.Fatalf("setting not stable or not valid:\n%s\n%s", first, second)
				}
			}
		} else if _, ok := IsInvalid(err); !ok {
			t.Fatalf("DecodeSetting error is not an *Error: %v", err)
		}
	})
}
