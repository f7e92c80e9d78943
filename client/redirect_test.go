package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/mkr-dev/mkr/client"
)

// keyRecorder answers every request with an empty host list and remembers
// the X-Api-Key it was sent.
type keyRecorder struct {
	mu   sync.Mutex
	keys []string
}

func (k *keyRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	k.mu.Lock()
	k.keys = append(k.keys, r.Header.Get("X-Api-Key"))
	k.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"hosts":[]}`))
}

// A redirect to another host never carries the API key there; one on the
// same host keeps it.
func TestRedirectKeepsTheKeyAtHome(t *testing.T) {
	other := &keyRecorder{}
	otherSrv := httptest.NewServer(other)
	defer otherSrv.Close()
	home := &keyRecorder{}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v0/hosts", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("service") {
		case "away":
			http.Redirect(w, r, otherSrv.URL+"/api/v0/hosts", http.StatusFound)
		case "moved":
			http.Redirect(w, r, "/api/v0/moved", http.StatusTemporaryRedirect)
		}
	})
	mux.Handle("/api/v0/moved", home)
	homeSrv := httptest.NewServer(mux)
	defer homeSrv.Close()

	c, err := client.New(client.Options{BaseURL: homeSrv.URL, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.FindHosts(ctx, client.FindHostsParam{Service: "away"}); err != nil {
		t.Fatalf("FindHosts through a cross-host redirect: %v", err)
	}
	if _, err := c.FindHosts(ctx, client.FindHostsParam{Service: "moved"}); err != nil {
		t.Fatalf("FindHosts through a same-host redirect: %v", err)
	}
	if len(other.keys) != 1 || other.keys[0] != "" {
		t.Errorf("the other host received X-Api-Key %q, want none", other.keys)
	}
	if len(home.keys) != 1 || home.keys[0] != testKey {
		t.Errorf("the same host received X-Api-Key %q, want the key", home.keys)
	}
}
