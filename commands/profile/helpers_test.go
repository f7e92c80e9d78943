package profile_test

import (
	"context"
	"database/sql"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/auth"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// Keys long enough that their last four characters may be shown.
const (
	acmeKey   = "acme-0123456789abcdef-KEY-ACME"
	globexKey = "globex-fedcba9876543210-KEY-GLBX"
	wrongKey  = "revoked-00000000000000-KEY-GONE"
)

// orgServer is another organization: its own database (named org in
// GET /api/v0/org) served over HTTP, accepting only key.
func orgServer(t *testing.T, org, key string) (*cmdtest.Env, *cmdtest.RecordingAPI) {
	t.Helper()
	e := cmdtest.New(t)
	setOrgName(t, e, org)
	api := e.StartAPIWith(func(http.Handler) http.Handler {
		return e.Backend().AuthorizedHandler(auth.Config{ExtraKey: key})
	})
	return e, api
}

// setOrgName renames the database's organization: no API route changes
// it (the hosted API has none either), so it is written directly.
func setOrgName(t *testing.T, e *cmdtest.Env, name string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+e.DBPath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), `UPDATE org SET name = ? WHERE id = 1`, name); err != nil {
		t.Fatal(err)
	}
}

// addProfile runs `mkr profiles add name --apibase base --apikey-stdin`
// with key on stdin.
func addProfile(t *testing.T, e *cmdtest.Env, name, base, key string) {
	t.Helper()
	r := e.RunWith(cmdtest.RunOpts{Stdin: key + "\n"}, "profiles", "add", name, "--apibase", base, "--apikey-stdin")
	if r.Code != 0 {
		t.Fatalf("profiles add %s:\n%s", name, r)
	}
}

// profilesFile is where the Env's profiles live (HOME/.config/mkr).
func profilesFile(e *cmdtest.Env) string {
	return filepath.Join(e.Vars["HOME"], ".config", "mkr", "profiles.toml")
}

// noKeyIn fails if any full key appears in what a run printed.
func noKeyIn(t *testing.T, r cmdtest.Result) {
	t.Helper()
	for _, k := range []string{acmeKey, globexKey, wrongKey} {
		if strings.Contains(r.Stdout, k) || strings.Contains(r.Stderr, k) {
			t.Errorf("a key was printed:\n%s", r)
		}
	}
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}
