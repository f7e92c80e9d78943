package backend

import (
	"errors"
	"net/http"

	"github.com/mkr-dev/mkr/backend/channel"
	"github.com/mkr-dev/mkr/backend/notify"
)

// channelTestRoute registers POST /api/v0/channels/{id}/test, which the
// hosted API does not have: it sends a test notification to a channel now
// (whatever its suspension and events) so `mkr channels test` can show
// what the receiver answered.
func (b *Backend) channelTestRoute() {
	b.handle("POST /api/v0/channels/{channelId}/test", b.testChannel, route{notFound: msgChannelNotFound})
}

// testChannelAnswer is the answer of a test notification: whether the
// receiver accepted it, its status (HTTP, or 250 for an SMTP relay) and
// the start of its answer, and why it failed when it did. A channel that
// cannot be sent to from here is a 400 instead.
type testChannelAnswer struct {
	Success  bool   `json:"success"`
	Status   int    `json:"status"`
	Response string `json:"response"`
	Error    string `json:"error,omitempty"`
}

func (b *Backend) testChannel(w http.ResponseWriter, r *http.Request) error {
	sc, err := b.store.GetChannel(r.Context(), r.PathValue("channelId"))
	if err != nil {
		return err
	}
	c, err := channel.Decode(sc.Body)
	if err != nil {
		return err
	}
	c.ID, c.Type = sc.ID, sc.Type
	if !notify.Deliverable(c.Type) {
		return badRequest("Channels of type %s cannot be sent to by this backend.", c.Type)
	}
	res, err := b.dispatcher().SendTest(r.Context(), c)
	if errors.Is(err, notify.ErrNoSMTP) {
		return badRequest("No SMTP relay is configured: email is sent by mkr serve --smtp-url.")
	}
	var se *notify.SendError
	if errors.As(err, &se) {
		writeJSON(w, http.StatusOK, testChannelAnswer{Status: se.Status, Response: se.Response, Error: se.Message})
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, testChannelAnswer{Success: true, Status: res.Status, Response: res.Response})
	return nil
}
