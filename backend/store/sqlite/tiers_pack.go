package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
)

// Sealed blocks are a few hundred bytes to a few kilobytes, and a `blocks`
// row lives whole in one leaf page. SQLite appends a row that does not fit
// the last page to a new page and leaves the last one as it is, so rows
// inserted in the order they are made (series by series) leave a page's
// tail empty whenever the next row is larger than what is left: a fifth
// of the table's pages, measured over chunktest's mix
// (BenchmarkTierBytesPerPoint). A batch therefore inserts its new blocks
// in an order that fills pages: first-fit decreasing over page-sized bins,
// bin after bin. Each block's cell size is computed as SQLite lays it out
// (the record format of https://sqlite.org/fileformat2.html), so a bin is
// exactly one page; the order of rowids is otherwise free (every read
// finds a block through the (series_id, day) index).

// pendingBlock is a new blocks row of a batch, inserted when the batch
// ends.
type pendingBlock struct {
	seriesID, day, points int64
	rollup1h, data        []byte
}

// tableLeafHeader is the header of a table b-tree leaf page; cellPointer
// the two bytes of a cell's offset in the page's cell array.
const (
	tableLeafHeader = 8
	cellPointer     = 2
)

// maxLocalPayload is the largest payload a table leaf keeps in the page
// (the rest spills to overflow pages, which pack nothing).
func maxLocalPayload(pageSize int) int { return pageSize - 35 }

// sqliteVarintLen is the length of SQLite's big-endian varint of v.
func sqliteVarintLen(v uint64) int {
	if v > 1<<56-1 {
		return 9
	}
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// intSerial returns the serial type of an INTEGER value and its size.
func intSerial(v int64) (serial uint64, size int) {
	switch {
	case v == 0:
		return 8, 0
	case v == 1:
		return 9, 0
	case v >= -1<<7 && v < 1<<7:
		return 1, 1
	case v >= -1<<15 && v < 1<<15:
		return 2, 2
	case v >= -1<<23 && v < 1<<23:
		return 3, 3
	case v >= -1<<31 && v < 1<<31:
		return 4, 4
	case v >= -1<<47 && v < 1<<47:
		return 5, 6
	}
	return 6, 8
}

// payload is the size of the row's record: the blocks columns series_id,
// day, points, rollup_1h, rollup_5m (empty) and data.
func (b pendingBlock) payload() int {
	header, body := 0, 0
	for _, v := range []int64{b.seriesID, b.day, b.points} {
		serial, size := intSerial(v)
		header += sqliteVarintLen(serial)
		body += size
	}
	for _, n := range []int{len(b.rollup1h), 0, len(b.data)} {
		header += sqliteVarintLen(uint64(2*n + 12))
		body += n
	}
	// The header's size counts its own varint.
	size := header + 1
	if sqliteVarintLen(uint64(size)) > 1 {
		size = header + sqliteVarintLen(uint64(header+2))
	}
	return size + body
}

// cellSize is the page space of the row at rowid: its cell (payload size,
// rowid, record) and its cell pointer.
func (b pendingBlock) cellSize(rowid int64) int {
	p := b.payload()
	return cellPointer + sqliteVarintLen(uint64(p)) + sqliteVarintLen(uint64(rowid)) + p
}

// packOrder returns the order in which to append items of the given
// sizes so that they fill pages of capacity bytes: first-fit decreasing,
// bins in the order they were opened, the items of a bin largest first.
// Items larger than a page (overflowing rows) come first, alone.
func packOrder(sizes []int, capacity int) []int {
	idx := make([]int, len(sizes))
	for i := range idx {
		idx[i] = i
	}
	// Stable, so that equal sizes keep the order they were made in.
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(sizes[b], sizes[a]) })
	var bins [][]int
	var free []int
	for _, i := range idx {
		placed := false
		for k := range bins {
			if sizes[i] <= free[k] {
				bins[k] = append(bins[k], i)
				free[k] -= sizes[i]
				placed = true
				break
			}
		}
		if !placed {
			bins = append(bins, []int{i})
			free = append(free, capacity-sizes[i])
		}
	}
	return slices.Concat(bins...)
}

// insertPending inserts the batch's new blocks in packOrder.
func insertPending(ctx context.Context, tx *sql.Tx, pending []pendingBlock) error {
	if len(pending) == 0 {
		return nil
	}
	var pageSize int
	if err := tx.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&pageSize); err != nil {
		return err
	}
	var last int64 // rowids are given from the largest one on
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(rowid), 0) FROM blocks`).Scan(&last); err != nil {
		return err
	}
	// Every rowid as the largest: a byte too many at most, for the few
	// rows below a varint length's boundary.
	rowid := last + int64(len(pending))
	sizes := make([]int, len(pending))
	for i, b := range pending {
		sizes[i] = b.cellSize(rowid)
		if b.payload() > maxLocalPayload(pageSize) {
			sizes[i] = pageSize // spills: alone, whatever its size
		}
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO blocks (series_id, day, points, rollup_1h, rollup_5m, data) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, i := range packOrder(sizes, pageSize-tableLeafHeader) {
		b := pending[i]
		if _, err := stmt.ExecContext(ctx, b.seriesID, b.day, b.points, b.rollup1h, []byte{}, b.data); err != nil {
			return err
		}
	}
	return nil
}
