package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/mkr-dev/mkr/backend/store"
)

// testBlocks are new blocks of varied sizes (a few bytes to past a page),
// for series 1..n, which the test creates.
func testBlocks(n int) []pendingBlock {
	var out []pendingBlock
	for i := range n {
		size := (i*7919 + 13) % 3900
		if i%17 == 0 {
			size = 5000 + i // spills to an overflow page
		}
		out = append(out, pendingBlock{
			seriesID: int64(i + 1), day: 19_000 + int64(i%3), points: int64(i * 97 % 1500),
			rollup1h: make([]byte, i%200), data: make([]byte, size),
		})
	}
	return out
}

func openPackTest(t *testing.T, series int) (*Store, string) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pack.db")
	s, err := Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	err = s.tx(ctx, func(tx *sql.Tx) error {
		for i := range series {
			if _, err := tx.ExecContext(ctx, `INSERT INTO series (kind, owner, name) VALUES ('host', 'h', ?)`, fmt.Sprint("m", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

// blocksPages returns the blocks table's leaf pages and their unused bytes,
// from SQLite's dbstat.
func blocksPages(t *testing.T, path string) (leaves, unused int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.QueryRow(`SELECT count(*), coalesce(sum(unused), 0) FROM dbstat WHERE name = 'blocks' AND pagetype = 'leaf'`).Scan(&leaves, &unused); err != nil {
		t.Fatal(err)
	}
	return leaves, unused
}

// TestCellSizeIsSQLites: the cell sizes packOrder works with are the page
// space SQLite gives the rows, to the byte (dbstat's unused bytes of the
// leaves are the pages' room less the cells).
func TestCellSizeIsSQLites(t *testing.T) {
	ctx := context.Background()
	blocks := testBlocks(300)
	var local []pendingBlock // rows that stay whole in their page
	for _, b := range blocks {
		if b.payload() <= maxLocalPayload(4096) {
			local = append(local, b)
		}
	}
	s, path := openPackTest(t, len(blocks))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		for _, b := range local {
			if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (series_id, day, points, rollup_1h, rollup_5m, data) VALUES (?, ?, ?, ?, ?, ?)`,
				b.seriesID, b.day, b.points, b.rollup1h, []byte{}, b.data); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cells := 0
	for i, b := range local {
		cells += b.cellSize(int64(i + 1))
	}
	leaves, unused := blocksPages(t, path)
	if want := leaves*(4096-tableLeafHeader) - cells; unused != want {
		t.Errorf("%d leaves with %d bytes unused; the computed cells leave %d", leaves, unused, want)
	}
}

// TestInsertPendingFillsPages: the same rows inserted packed leave a small
// fraction of the pages empty, and far less than in the order they came.
func TestInsertPendingFillsPages(t *testing.T) {
	ctx := context.Background()
	blocks := testBlocks(300)
	unusedBy := map[string]int{}
	for _, packed := range []bool{false, true} {
		s, path := openPackTest(t, len(blocks))
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if packed {
				return insertPending(ctx, tx, blocks)
			}
			for _, b := range blocks {
				if _, err := tx.ExecContext(ctx, `INSERT INTO blocks (series_id, day, points, rollup_1h, rollup_5m, data) VALUES (?, ?, ?, ?, ?, ?)`,
					b.seriesID, b.day, b.points, b.rollup1h, []byte{}, b.data); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM blocks`).Scan(&n); err != nil || n != len(blocks) {
			t.Fatalf("%d blocks, %v; want %d", n, err, len(blocks))
		}
		leaves, unused := blocksPages(t, path)
		unusedBy[fmt.Sprint("packed=", packed)] = unused
		t.Logf("packed=%v: %d leaves, %d bytes unused (%.1f%%)", packed, leaves, unused, 100*float64(unused)/float64(leaves*4096))
		if packed && float64(unused) > 0.08*float64(leaves*4096) {
			t.Errorf("packed: %d of %d leaf bytes unused, want at most 8%%", unused, leaves*4096)
		}
	}
	if unusedBy["packed=true"]*3 > unusedBy["packed=false"] {
		t.Errorf("unused bytes: %v; packing should leave a third or less", unusedBy)
	}
}

func TestPackOrderFillsBins(t *testing.T) {
	sizes := []int{3000, 100, 1000, 2000, 5000, 1000, 2500, 90, 1500}
	order := packOrder(sizes, 4000)
	seen := map[int]bool{}
	for _, i := range order {
		seen[i] = true
	}
	if len(order) != len(sizes) || len(seen) != len(sizes) {
		t.Fatalf("order %v is not a permutation of %d items", order, len(sizes))
	}
	// First-fit decreasing: [5000] [3000 1000] [2500 1500] [2000 1000 100 90].
	want := []int{4, 0, 2, 6, 8, 3, 5, 1, 7}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("order %v, want %v", order, want)
	}
}
