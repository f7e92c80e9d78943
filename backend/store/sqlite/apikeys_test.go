package sqlite_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/backend/backendtest"
)

// The database keeps only a hash of an API key (the rest of the key
// contract is in storetest).
func TestAPIKeys(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mkr.db")
	st := mustOpen(t, path)
	ctx := context.Background()

	_, key, err := st.CreateAPIKey(ctx, "ci", true)
	if err != nil {
		t.Fatal(err)
	}
	// Only a hash is stored.
	if strings.Contains(backendtest.MustDumpFile(t, path), key[4:]) {
		t.Fatal("the database contains the API key in clear")
	}
}
