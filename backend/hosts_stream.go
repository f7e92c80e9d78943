package backend

import (
	"bufio"
	"errors"
	"log/slog"
	"net/http"

	"github.com/mkr-dev/mkr/backend/store"
)

// hostStreamBuffer is how much of a host listing is gathered before it is
// written: big enough that a listing is a few large writes, not one per
// host, and small next to the answer.
const hostStreamBuffer = 32 << 10

// streamHosts answers GET /hosts with {"hosts":[…]}, encoding each host as
// the store reads it: the answer is never held whole (10,000 hosts with
// large meta make hundreds of megabytes), and a client that reads slowly
// holds one buffer and one page of hosts, not the list. The bytes are
// exactly those of json.Marshal over the whole list.
//
// An error before the first host is an ordinary error answer. One after
// the 200 and part of the list are out cannot be reported any more; the
// list is left unterminated so that no client mistakes the part for the
// whole (it fails to parse), and the error is logged.
func (b *Backend) streamHosts(w http.ResponseWriter, r *http.Request, f store.HostFilter) error {
	var out *bufio.Writer
	var writeErr error // the client's side failed: gone, or too slow
	var enc []byte     // reused: one host's JSON
	err := b.store.EachHost(r.Context(), f, func(h *store.Host) error {
		var err error
		if enc, err = appendHostJSON(enc[:0], h); err != nil {
			return err
		}
		if out == nil {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			out = bufio.NewWriterSize(w, hostStreamBuffer)
			out.WriteString(`{"hosts":[`)
		} else {
			out.WriteByte(',')
		}
		if _, writeErr = out.Write(enc); writeErr != nil {
			return writeErr
		}
		return nil
	})
	if out == nil {
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, map[string]any{"hosts": []hostJSON{}})
		return nil
	}
	if err != nil {
		if writeErr == nil && !errors.Is(err, r.Context().Err()) {
			slog.Error("backend: host listing failed after its answer began; the answer is cut short", "err", err)
		}
		out.Flush()
		return nil
	}
	out.WriteString("]}")
	out.Flush() // an error here is the client's: nothing to answer it with
	return nil
}
