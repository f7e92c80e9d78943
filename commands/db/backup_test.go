package db_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/store"
	"github.com/mkr-dev/mkr/backend/store/sqlite"
	"github.com/mkr-dev/mkr/internal/cmdtest"
)

// openBackup opens a backup file, checks its integrity and returns it.
func openBackup(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatalf("opening the backup: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Fatalf("the backup's integrity: %v", err)
	}
	return st
}

// sizeOf is how db backup logs a file's size.
func sizeOf(t *testing.T, path string) string {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("%s has mode %v; want 0600", path, info.Mode().Perm())
	}
	return fmt.Sprintf("%.1f KiB", float64(info.Size())/1024)
}

func TestDBBackup(t *testing.T) {
	e := cmdtest.New(t)
	e.Names["db"] = e.DBPath()
	h := e.CreateHost("web01")
	dir := t.TempDir()
	for _, tty := range []bool{false, true} {
		file := filepath.Join(dir, fmt.Sprintf("tty-%v.db", tty))
		e.Names["file"] = file
		r := e.RunWith(cmdtest.RunOpts{TTY: tty}, "db", "backup", file)
		e.Check(r, cmdtest.Want{Stderr: cmdtest.LogLine(tty, "backed up", "{db} to {file} ("+sizeOf(t, file)+")")})
		if got, err := openBackup(t, file).GetHost(context.Background(), h); err != nil || got.Name != "web01" {
			t.Fatalf("the backup's host = %+v, %v", got, err)
		}
	}

	e.Names["file"] = filepath.Join(dir, "tty-false.db")
	e.RunSteps(t, []cmdtest.Step{
		{Name: "an existing file is kept", Args: []string{"db", "backup", "{file}"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.LogLine(false, "error", "{file} already exists: remove it or choose another name")}},
		{Name: "no file", Args: []string{"db", "backup"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.UsageError(false, "db backup needs exactly one <file>", "db", "backup")}},
		{Name: "two files", Args: []string{"db", "backup", "a", "b"}, Want: cmdtest.Want{Code: 1,
			Stderr: cmdtest.UsageError(false, "db backup needs exactly one <file>", "db", "backup")}},
	})
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

// A PostgreSQL database is refused before anything is opened, with the
// pg_dump command to run instead (its password left out).
func TestDBBackupRefusesPostgres(t *testing.T) {
	e := cmdtest.New(t)
	r := e.Run("--db", "postgres://mkr:s3cret@db.example:5432/mkr?sslmode=require", "db", "backup", "mkr.dump")
	e.Check(r, cmdtest.Want{Code: 1, Stderr: cmdtest.LogLine(false, "error",
		"db backup copies SQLite databases; back PostgreSQL up with pg_dump (the password left out here): pg_dump --format=custom --file mkr.dump 'postgres://[REDACTED]@db.example:5432/mkr?sslmode=require'")})
}

func TestDBBackupRefusesARemoteAPI(t *testing.T) {
	e := cmdtest.New(t)
	api := e.StartAPI()
	r := e.RunRemote(api.URL, "key", cmdtest.RunOpts{}, "db", "backup", "x.db")
	e.Check(r, cmdtest.Want{Code: 1,
		Stderr: cmdtest.UsageError(false, "db backup works on the local database only, and the target is "+api.URL+": pass --local or --db", "db", "backup")})
}

// While another connection writes batches of 100 points, each in its own
// transaction, a backup holds a whole number of batches (a consistent
// snapshot, never half a transaction) and passes the integrity check.
func TestDBBackupUnderConcurrentWrites(t *testing.T) {
	e := cmdtest.New(t)
	e.Names["db"] = e.DBPath()
	h := e.CreateHost("web01")
	writer := e.Store()
	ctx := context.Background()
	const batch = 100
	var batches atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for n := int64(0); ; n++ {
			select {
			case <-stop:
				return
			default:
			}
			pts := make([]store.SeriesPoint, batch)
			for i := range pts {
				pts[i] = store.SeriesPoint{Key: store.HostSeries(h, fmt.Sprint("custom.m", i)), Point: store.Point{Time: e.Clock.Now().Unix() - 3600 + n, Value: float64(n)}}
			}
			if err := writer.InsertPoints(ctx, pts); err != nil {
				t.Errorf("writer: %v", err)
				return
			}
			batches.Add(1)
		}
	})
	for batches.Load() < 20 && !t.Failed() { // let the writer get going first
		time.Sleep(time.Millisecond)
	}
	file := filepath.Join(t.TempDir(), "busy.db")
	e.Names["file"] = file
	r := e.Run("db", "backup", file)
	written := batches.Load()
	close(stop)
	wg.Wait()
	e.Check(r, cmdtest.Want{Stderr: cmdtest.LogLine(false, "backed up", "{db} to {file} ("+sizeOf(t, file)+")")})
	n, err := openBackup(t, file).CountPoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n%batch != 0 || n < 20*batch || n > (written+1)*batch {
		t.Fatalf("the backup holds %d points; want a whole number of %d-point batches, at least 20 and at most %d of them", n, batch, written+1)
	}
	t.Logf("backup of %d batches while %d had been written", n/batch, written)
}
