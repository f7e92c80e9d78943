package pgtest

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/postgres"
)

var testDay = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// TestMigratedDSN: a copy holds the current schema, with the partitions
// of the day asked for, so a store opens on it without migrating; two
// copies are two databases; the template's name follows the day.
func TestMigratedDSN(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, b := MigratedDSN(t, testDay), MigratedDSN(t, testDay)
	if a == b {
		t.Fatalf("two copies share %s", a)
	}
	conn, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var migrations, partitions int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&migrations); err != nil {
		t.Fatal(err)
	}
	day := testDay.Unix() / 86400
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_class WHERE relname = $1`, "points_d"+strconv.FormatInt(day, 10)).Scan(&partitions); err != nil {
		t.Fatal(err)
	}
	if migrations == 0 || partitions != 1 {
		t.Errorf("copy: %d migrations applied, %d partitions for day %d; want some and 1", migrations, partitions, day)
	}
	st, err := postgres.Open(ctx, b, store.Options{Now: func() time.Time { return testDay }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.GetOrg(ctx); err != nil {
		t.Errorf("a store on a copy: %v", err)
	}
	n1, _ := templateName(testDay)
	n2, _ := templateName(testDay.Add(24 * time.Hour))
	if n1 == n2 {
		t.Errorf("the templates of two days share the name %s", n1)
	}
}

// BenchmarkCopyStrategy times CREATE DATABASE … TEMPLATE (and its DROP)
// with each strategy, taking turns, on the server of
// MKR_TEST_POSTGRES_DSN:
//
//	go test ./backend/store/postgres/pgtest -run '^$' -bench CopyStrategy -benchtime 10x
func BenchmarkCopyStrategy(b *testing.B) {
	server := serverDSN(b)
	name, err := templateName(testDay)
	if err != nil {
		b.Fatal(err)
	}
	if err := ensureTemplate(server, name, testDay); err != nil {
		b.Fatal(err)
	}
	for _, strategy := range []string{"WAL_LOG", "FILE_COPY"} {
		b.Run(strategy, func(b *testing.B) {
			for range b.N {
				db := "mkr_test_bench_" + strconv.FormatInt(time.Now().UnixNano(), 10)
				if err := adminExec(server, `CREATE DATABASE `+db+` TEMPLATE `+pgx.Identifier{name}.Sanitize()+` STRATEGY `+strategy); err != nil {
					b.Fatal(err)
				}
				if err := adminExec(server, `DROP DATABASE `+db+` WITH (FORCE)`); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
