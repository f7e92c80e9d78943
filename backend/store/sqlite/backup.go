package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the database to dest, a new file
// readable by its owner only, and returns its size.
//
// VACUUM INTO rather than the online backup API: it runs in one read
// transaction, so in WAL mode the writers (serve, cron jobs) go on and
// the copy is the database as of that transaction's start. The backup
// API copies page ranges step by step and restarts from the first page
// whenever another connection writes in between, so under a steady
// ingest it may never finish (or, in one step, it holds the same read
// transaction and is VACUUM INTO without the compaction). The copy
// leaves free pages out and is written beside dest, then renamed, so
// dest is either absent or whole.
func (s *Store) Backup(ctx context.Context, dest string) (int64, error) {
	if _, err := os.Lstat(dest); err == nil {
		return 0, fmt.Errorf("%s already exists: remove it or choose another name", dest)
	} else if !errors.Is(err, os.ErrNotExist) {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("creating the backup: %w", err)
	}
	tmpPath := tmp.Name()
	defer os.Remove(tmpPath) // after the rename, a no-op
	// CreateTemp makes it 0600 and empty, as VACUUM INTO wants it, and
	// SQLite keeps the mode of a file that exists.
	if err := tmp.Close(); err != nil {
		return 0, err
	}
	if _, err := s.read.ExecContext(ctx, `VACUUM INTO ?`, tmpPath); err != nil {
		return 0, fmt.Errorf("copying the database: %w", err)
	}
	if err := syncFile(tmpPath); err != nil {
		return 0, err
	}
	if err := os.Rename(tmpPath, dest); err != nil {
		return 0, fmt.Errorf("naming the backup: %w", err)
	}
	info, err := os.Stat(dest)
	if err != nil {
		return 0, err
	}
	return info.Size(), nil
}

// syncFile flushes a written file to the disk.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}
