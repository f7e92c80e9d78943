package notifygroup

import (
	"errors"
	"reflect"
	"testing"
)

// world is a Lookup over fixed sets.
type world struct {
	channels map[string]bool
	groups   map[string][]string
	monitors map[string]bool
	services map[string]bool
	roles    map[string]bool // "svc:role"
	fail     error
}

func (w world) ChannelExists(id string) (bool, error) { return w.channels[id], w.fail }
func (w world) GroupChildren(id string) ([]string, bool, error) {
	c, ok := w.groups[id]
	return c, ok, w.fail
}
func (w world) MonitorExists(id string) (bool, error)   { return w.monitors[id], w.fail }
func (w world) ServiceExists(name string) (bool, error) { return w.services[name], w.fail }
func (w world) RoleExists(s, r string) (bool, error)    { return w.roles[s+":"+r], w.fail }

func newWorld() world {
	return world{
		channels: map[string]bool{"c1": true, "c2": true},
		// a → b → c; d alone.
		groups:   map[string][]string{"a": {"b"}, "b": {"c"}, "c": nil, "d": nil},
		monitors: map[string]bool{"m1": true},
		services: map[string]bool{"web": true},
		roles:    map[string]bool{"web:app": true},
	}
}

func TestValidateGroupCycles(t *testing.T) {
	w := newWorld()
	for _, tc := range []struct {
		g    Group
		want string
	}{
		{Group{ID: "c", Name: "c", ChildGroupIDs: []string{"a"}}, `childNotificationGroupIds: "a" would make a cycle: c → a → b → c.`},
		{Group{ID: "c", Name: "c", ChildGroupIDs: []string{"d", "b"}}, `childNotificationGroupIds: "b" would make a cycle: c → b → c.`},
		{Group{ID: "a", Name: "a", ChildGroupIDs: []string{"a"}}, "childNotificationGroupIds: a group cannot be its own child."},
		{Group{ID: "c", Name: "c", ChildGroupIDs: []string{"d"}}, ""},
		// a's children change from b to c and d: no cycle (b → c stays).
		{Group{ID: "a", Name: "a", ChildGroupIDs: []string{"c", "d"}}, ""},
		{Group{ID: "new", Name: "n", ChildGroupIDs: []string{"a", "b", "c", "d"}}, ""},
	} {
		tc.g.Normalize()
		err := ValidateGroup(&tc.g, w)
		if (err == nil && tc.want != "") || (err != nil && err.Error() != tc.want) {
			t.Errorf("ValidateGroup(%s → %v) = %v, want %q", tc.g.ID, tc.g.ChildGroupIDs, err, tc.want)
		}
	}
}

func TestValidateGroupLookupFailure(t *testing.T) {
	w := newWorld()
	w.fail = errors.New("disk on fire")
	g := &Group{ID: "x", Name: "x", ChildChannelIDs: []string{"c1"}}
	g.Normalize()
	if err := ValidateGroup(g, w); err != w.fail {
		t.Fatalf("ValidateGroup with a failing lookup = %v, want the failure itself", err)
	}
	if _, invalid := IsInvalid(ValidateGroup(g, w)); invalid {
		t.Fatal("a failed lookup must not read as a refused group")
	}
}

func TestMergeGroupDefault(t *testing.T) {
	def := NewDefault("d")
	next, err := MergeGroup(def, &Group{ID: "x", NotificationLevel: LevelCritical, ChildChannelIDs: []string{"c1"}})
	if err != nil {
		t.Fatal(err)
	}
	want := &Group{ID: "d", IsDefault: true, Name: DefaultName, NotificationLevel: LevelCritical,
		ChildGroupIDs: []string{}, ChildChannelIDs: []string{"c1"}, Monitors: []MonitorRule{}, Services: []ServiceRule{}}
	if !reflect.DeepEqual(next, want) {
		t.Fatalf("MergeGroup(default) = %+v, want %+v", next, want)
	}
	if _, err := MergeGroup(def, &Group{Name: "Mine"}); err == nil {
		t.Fatal("renaming the default group was accepted")
	}
	// An ordinary group cannot become the default by saying so.
	g := &Group{ID: "g", Name: "g"}
	next, err = MergeGroup(g, &Group{Name: "g2", IsDefault: true})
	if err != nil || next.IsDefault || next.Type() != TypeGroup {
		t.Fatalf("MergeGroup = %+v, %v", next, err)
	}
}

func TestPruneGroup(t *testing.T) {
	g := &Group{ID: "x", Name: "x", ChildGroupIDs: []string{"a", "gone"}, ChildChannelIDs: []string{"gone", "c2"},
		Monitors: []MonitorRule{{ID: "m1", SkipDefault: true}, {ID: "m0"}}, Services: []ServiceRule{{Name: "db"}, {Name: "web"}}}
	changed, err := PruneGroup(g, newWorld())
	if err != nil || !changed {
		t.Fatalf("PruneGroup = %v, %v", changed, err)
	}
	want := &Group{ID: "x", Name: "x", ChildGroupIDs: []string{"a"}, ChildChannelIDs: []string{"c2"},
		Monitors: []MonitorRule{{ID: "m1", SkipDefault: true}}, Services: []ServiceRule{{Name: "web"}}}
	if !reflect.DeepEqual(g, want) {
		t.Fatalf("pruned to %+v, want %+v", g, want)
	}
	if changed, _ := PruneGroup(g, newWorld()); changed {
		t.Fatal("pruning a clean group reports a change")
	}
}

func TestGroupWire(t *testing.T) {
	g, err := DecodeGroup([]byte(`{"id":"i","type":"group","name":"<n>","notificationLevel":null,"childNotificationGroupIds":null,
		"childChannelIds":["c1","c1"],"monitors":[{"id":"m1","skipDefault":true},{"id":"m1"}],"services":[{"name":"web","x":1}],"extra":true}`))
	if err != nil {
		t.Fatal(err)
	}
	g.Normalize()
	want := `{"id":"i","type":"group","name":"<n>","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":["c1"],"monitors":[{"id":"m1","skipDefault":true}],"services":[{"name":"web"}]}`
	if got := string(EncodeGroup(g)); got != want {
		t.Fatalf("EncodeGroup\n %s\nwant %s", got, want)
	}
	back, err := DecodeGroup([]byte(want))
	if err != nil || !reflect.DeepEqual(back, g) {
		t.Fatalf("decoding the canonical form: %+v, %v; want %+v", back, err, g)
	}
	if d, _ := DecodeGroup(EncodeGroup(NewDefault("d"))); !d.IsDefault {
		t.Fatal("the default group's type does not read back")
	}
}

func TestSettingWireAndRules(t *testing.T) {
	s, err := DecodeSetting([]byte(`{"name":"s","roleScopes":["web:app"],"monitorScopes":["m1"],"notificationInterval":6e1}`))
	if err != nil {
		t.Fatal(err)
	}
	s.Normalize()
	if got, want := string(EncodeSetting(s)), `{"id":"","name":"s","serviceScopes":[],"roleScopes":["web: app"],"monitorScopes":["m1"],"notificationInterval":60}`; got != want {
		t.Fatalf("EncodeSetting\n %s\nwant %s", got, want)
	}
	if err := ValidateSetting(s, newWorld()); err != nil {
		t.Fatal(err)
	}
	s.ServiceScopes = []string{"web", "db"}
	if changed, err := PruneSetting(s, newWorld()); err != nil || !changed || !reflect.DeepEqual(s.ServiceScopes, []string{"web"}) {
		t.Fatalf("PruneSetting = %v, %v: %+v", changed, err, s)
	}
	w := newWorld()
	delete(w.roles, "web:app")
	delete(w.monitors, "m1")
	if changed, _ := PruneSetting(s, w); !changed || len(s.RoleScopes) != 0 || len(s.MonitorScopes) != 0 {
		t.Fatalf("PruneSetting after deleting the role and monitor: %+v", s)
	}
	next := MergeSetting(&AlertGroupSetting{ID: "keep", Memo: "m", NotificationInterval: 30}, &AlertGroupSetting{ID: "x", Name: "n"})
	if !reflect.DeepEqual(next, &AlertGroupSetting{ID: "keep", Name: "n", ServiceScopes: []string{}, RoleScopes: []string{}, MonitorScopes: []string{}}) {
		t.Fatalf("MergeSetting = %+v", next)
	}
}
