package backendtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
	"github.com/mkr-dev/mkr/backend/store/postgres/pgtest"
)

// Creating and migrating a database costs seconds on a busy machine, and
// some tests build hundreds of Envs (TestClientMethods: one per method of
// mackerel-client-go). So each test process migrates one template
// database, once, and every PostgreSQL Env gets a copy of it (CREATE
// DATABASE … TEMPLATE), dropped when its test ends: about half the time
// of an empty database migrated anew.
var template struct {
	once sync.Once
	name string
	err  error
}

// templateMaxAge is when a template left behind by an earlier test
// process (nothing can drop it when its process ends) is swept.
const templateMaxAge = 6 * time.Hour

// postgresDSN returns the URL of a fresh, migrated database for tb on the
// server of MKR_TEST_POSTGRES_DSN, dropped when tb ends; tb is skipped
// with pgtest's message when the variable is unset.
func postgresDSN(tb testing.TB) string {
	tb.Helper()
	server := os.Getenv(pgtest.EnvDSN)
	if server == "" {
		tb.Skip(pgtest.SkipMessage)
	}
	template.once.Do(func() { template.name, template.err = makeTemplate(server) })
	if template.err != nil {
		tb.Fatalf("backendtest: preparing the PostgreSQL template database: %v", template.err)
	}
	name := "mkr_test_" + randomHex()
	if err := adminExec(server, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()+` TEMPLATE `+pgx.Identifier{template.name}.Sanitize()); err != nil {
		tb.Fatalf("backendtest: creating a test database: %v", err)
	}
	tb.Cleanup(func() {
		// FORCE: a pool the test left open must not keep the database.
		if err := adminExec(server, `DROP DATABASE IF EXISTS `+pgx.Identifier{name}.Sanitize()+` WITH (FORCE)`); err != nil {
			tb.Errorf("backendtest: dropping %s: %v", name, err)
		}
	})
	return databaseURL(server, name)
}

// makeTemplate creates and migrates this process's template database,
// after sweeping old ones. Its name carries its creation time
// (mkr_tmpl_<unix seconds>_<random>) for the sweep.
func makeTemplate(server string) (string, error) {
	now := time.Now()
	if err := sweepTemplates(server, now); err != nil {
		return "", err
	}
	name := fmt.Sprintf("mkr_tmpl_%d_%s", now.Unix(), randomHex())
	if err := adminExec(server, `CREATE DATABASE `+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := postgres.Open(ctx, databaseURL(server, name), store.Options{})
	if err != nil {
		return "", err
	}
	// No connection may stay: CREATE DATABASE refuses a template in use.
	return name, st.Close()
}

// sweepTemplates drops the templates older than templateMaxAge.
func sweepTemplates(server string, now time.Time) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 'mkr\_tmpl\_%'`)
	if err != nil {
		return err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, n := range names {
		stamp, _, _ := strings.Cut(strings.TrimPrefix(n, "mkr_tmpl_"), "_")
		if sec, err := strconv.ParseInt(stamp, 10, 64); err == nil && now.Sub(time.Unix(sec, 0)) > templateMaxAge {
			if _, err := conn.Exec(ctx, `DROP DATABASE IF EXISTS `+pgx.Identifier{n}.Sanitize()+` WITH (FORCE)`); err != nil {
				return err
			}
		}
	}
	return nil
}

// adminExec runs one statement on the server's own database (CREATE and
// DROP DATABASE cannot run in a transaction or a pool's session).
func adminExec(server, sql string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// databaseURL is server's URL naming database name instead.
func databaseURL(server, name string) string {
	u, err := url.Parse(server)
	if err != nil {
		return server // pgx reports the unparsable URL when it connects
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
