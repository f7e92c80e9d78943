package backend_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mackerelio/mackerel-client-go"

	"github.com/mkr-dev/mkr/backend/backendtest"
	"github.com/mkr-dev/mkr/backend/store"
)

// metadataAPI is the Go client's metadata calls for one owner.
type metadataAPI struct {
	get    func(ns string) (any, time.Time, error)
	put    func(ns string, v any) error
	delete func(ns string) error
	list   func() ([]string, error)
}

// metadataOwners returns the three owner kinds of env, each with an existing
// owner: a host, the service "web" and its role "web:app".
func metadataOwners(t *testing.T, env *backendtest.Env, mc *mackerel.Client) map[string]metadataAPI {
	t.Helper()
	hostID := env.MustCreateHost(t, store.NewHost{Name: "h", Roles: []store.RoleRef{{Service: "web", Role: "app"}}})
	return map[string]metadataAPI{
		"host": {
			get: func(ns string) (any, time.Time, error) {
				r, err := mc.GetHostMetaData(hostID, ns)
				if err != nil {
					return nil, time.Time{}, err
				}
				return r.HostMetaData, r.LastModified, nil
			},
			put:    func(ns string, v any) error { return mc.PutHostMetaData(hostID, ns, v) },
			delete: func(ns string) error { return mc.DeleteHostMetaData(hostID, ns) },
			list:   func() ([]string, error) { return mc.GetHostMetaDataNameSpaces(hostID) },
		},
		"service": {
			get: func(ns string) (any, time.Time, error) {
				r, err := mc.GetServiceMetaData("web", ns)
				if err != nil {
					return nil, time.Time{}, err
				}
				return r.ServiceMetaData, r.LastModified, nil
			},
			put:    func(ns string, v any) error { return mc.PutServiceMetaData("web", ns, v) },
			delete: func(ns string) error { return mc.DeleteServiceMetaData("web", ns) },
			list:   func() ([]string, error) { return mc.GetServiceMetaDataNameSpaces("web") },
		},
		"role": {
			get: func(ns string) (any, time.Time, error) {
				r, err := mc.GetRoleMetaData("web", "app", ns)
				if err != nil {
					return nil, time.Time{}, err
				}
				return r.RoleMetaData, r.LastModified, nil
			},
			put:    func(ns string, v any) error { return mc.PutRoleMetaData("web", "app", ns, v) },
			delete: func(ns string) error { return mc.DeleteRoleMetaData("web", "app", ns) },
			list:   func() ([]string, error) { return mc.GetRoleMetaDataNameSpaces("web", "app") },
		},
	}
}

func TestCompatMetadata(t *testing.T) {
	t.Parallel()
	for _, kind := range []string{"host", "service", "role"} {
		t.Run(kind, func(t *testing.T) {
			env := backendtest.New(t)
			mc := mustMackerel(t, env)
			api := metadataOwners(t, env, mc)[kind]

			names, err := api.list()
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != 0 {
				t.Fatalf("namespaces of a new %s = %v, want none", kind, names)
			}

			// Any JSON value round-trips; the Go client parses Last-Modified.
			values := []struct {
				ns    string
				value any
			}{
				{"obj", map[string]any{"type": float64(12345), "region": "jp", "nested": map[string]any{"a": []any{true, nil}}}},
				{"arr", []any{"x", float64(1.5)}},
				{"str", "hello"},
				{"num", float64(-3)},
				{"bool", false},
				{"null", nil},
				{"A-b_9", map[string]any{}},
			}
			for _, v := range values {
				if err := api.put(v.ns, v.value); err != nil {
					t.Fatalf("put %s: %v", v.ns, err)
				}
			}
			for _, v := range values {
				got, lm, err := api.get(v.ns)
				if err != nil {
					t.Fatalf("get %s: %v", v.ns, err)
				}
				if !reflect.DeepEqual(got, v.value) {
					t.Errorf("get %s = %#v, want %#v", v.ns, got, v.value)
				}
				if !lm.Equal(backendtest.Epoch) {
					t.Errorf("get %s: Last-Modified = %v, want %v", v.ns, lm, backendtest.Epoch)
				}
			}

			// Overwriting replaces the value and moves Last-Modified.
			env.Clock.Advance(90 * time.Minute)
			if err := api.put("obj", []any{"replaced"}); err != nil {
				t.Fatal(err)
			}
			got, lm, err := api.get("obj")
			if err != nil {
				t.Fatal(err)
			}
			if want := []any{"replaced"}; !reflect.DeepEqual(got, want) {
				t.Fatalf("after overwrite = %#v, want %#v", got, want)
			}
			if want := backendtest.Epoch.Add(90 * time.Minute); !lm.Equal(want) {
				t.Fatalf("Last-Modified after overwrite = %v, want %v", lm, want)
			}

			names, err = api.list()
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"A-b_9", "arr", "bool", "null", "num", "obj", "str"}; !reflect.DeepEqual(names, want) {
				t.Fatalf("namespaces = %v, want %v", names, want)
			}

			if err := api.delete("str"); err != nil {
				t.Fatal(err)
			}
			_, _, err = api.get("str")
			wantAPIError(t, err, 404, "Metadata not found.")
			err = api.delete("str")
			wantAPIError(t, err, 404, "Metadata not found.")
			if names, err = api.list(); err != nil || len(names) != 6 {
				t.Fatalf("namespaces after delete = %v (err %v), want 6", names, err)
			}

			// Over real HTTP, an oversize value is a clean 413 for the client.
			err = api.put("big", strings.Repeat("x", 3*maxMetadata))
			wantAPIError(t, err, 413, "Metadata must be at most 102400 bytes.")
			err = api.put("mackerel", 1)
			wantAPIError(t, err, 400, `Namespaces beginning with "mackerel" are reserved.`)
		})
	}
}

// Metadata of unknown owners is 404.
func TestCompatMetadataUnknownOwner(t *testing.T) {
	t.Parallel()
	env := backendtest.New(t)
	mc := mustMackerel(t, env)
	env.MustCreateService(t, "web")
	tests := []struct {
		name string
		call func() error
	}{
		{"host get", func() error { _, err := mc.GetHostMetaData("unknownHost", "ns"); return err }},
		{"host put", func() error { return mc.PutHostMetaData("unknownHost", "ns", 1) }},
		{"host list", func() error { _, err := mc.GetHostMetaDataNameSpaces("unknownHost"); return err }},
		{"service put", func() error { return mc.PutServiceMetaData("nope", "ns", 1) }},
		{"service list", func() error { _, err := mc.GetServiceMetaDataNameSpaces("nope"); return err }},
		{"role put", func() error { return mc.PutRoleMetaData("web", "nope", "ns", 1) }},
		{"role delete", func() error { return mc.DeleteRoleMetaData("web", "nope", "ns") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, tt.call(), 404, "Metadata not found.")
		})
	}
}
