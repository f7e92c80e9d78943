package backend

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"

	"github.com/mkr-dev/mkr/backend/channel"
	"github.com/mkr-dev/mkr/backend/store"
)

// msgChannelNotFound answers an unknown channel id.
const msgChannelNotFound = "Channel not found."

// notificationRoutes registers the configuration of notifications:
// channels, notification groups and alert group settings.
// (POST /api/v0/channels/{id}/test belongs to delivery.)
func (b *Backend) notificationRoutes() {
	nf := route{notFound: msgChannelNotFound}
	b.handle("GET /api/v0/channels", b.listChannels, route{})
	b.handle("POST /api/v0/channels", b.createChannel, route{})
	b.handle("PUT /api/v0/channels/{channelId}", b.updateChannel, nf)
	b.handle("DELETE /api/v0/channels/{channelId}", b.deleteChannel, nf)
	b.notificationGroupRoutes()
	b.alertGroupSettingRoutes()
}

// listChannels answers every channel with its suspendedAt (null when not
// suspended), channels of types the API cannot write included.
func (b *Backend) listChannels(w http.ResponseWriter, r *http.Request) error {
	list, err := b.store.ListChannels(r.Context())
	if err != nil {
		return err
	}
	bodies := make([][]byte, len(list))
	for i, c := range list {
		if bodies[i], err = listedChannel(c); err != nil {
			return err
		}
	}
	writeRawJSON(w, slices.Concat([]byte(`{"channels":[`), bytes.Join(bodies, []byte(",")), []byte(`]}`)))
	return nil
}

// listedChannel is a stored channel as the list (and a deletion) answers
// it: its body with suspendedAt.
func listedChannel(c *store.Channel) ([]byte, error) {
	ch, err := channel.Decode(c.Body)
	if err != nil {
		return nil, err // a stored body is always canonical
	}
	ch.ID = c.ID
	return channel.EncodeListed(ch, c.SuspendedAt), nil
}

// createChannel validates the whole channel before the one write (which
// also joins the default group when asked), so a refused request leaves
// the store as it was.
func (b *Backend) createChannel(w http.ResponseWriter, r *http.Request) error {
	fields, err := parseObjectBody(r)
	if err != nil {
		return err
	}
	c, err := channel.DecodeFields(fields)
	if err != nil {
		return refused(err)
	}
	c.ID = "" // server-assigned: an id in the body (a pulled file) is ignored
	c.Normalize()
	if err := channel.Validate(c, refLookup(r, b.store)); err != nil {
		return refused(err)
	}
	c.ID = store.NewID()
	body := channel.Encode(c)
	if err := b.store.CreateChannel(r.Context(), &store.Channel{ID: c.ID, Type: c.Type, Name: c.Name, Body: body},
		c.AddToDefaultNotificationGroup); err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

// updateChannel replaces the channel's definition (its type stays) and
// lifts a suspension: the new settings deserve a new try.
func (b *Backend) updateChannel(w http.ResponseWriter, r *http.Request) error {
	cur, err := b.store.GetChannel(r.Context(), r.PathValue("channelId"))
	if err != nil {
		return err
	}
	fields, err := parseObjectBody(r)
	if err != nil {
		return err
	}
	upd, err := channel.DecodeFields(fields)
	if err != nil {
		return refused(err)
	}
	old, err := channel.Decode(cur.Body)
	if err != nil {
		return err
	}
	old.ID, old.Type = cur.ID, cur.Type
	next, err := channel.Merge(old, upd)
	if err != nil {
		return refused(err)
	}
	if err := channel.Validate(next, refLookup(r, b.store)); err != nil {
		return refused(err)
	}
	body := channel.Encode(next)
	if err := b.store.UpdateChannel(r.Context(), &store.Channel{ID: next.ID, Type: next.Type, Name: next.Name, Body: body}); err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

// deleteChannel removes the channel from every notification group too,
// and answers it as it was.
func (b *Backend) deleteChannel(w http.ResponseWriter, r *http.Request) error {
	c, err := b.store.DeleteChannel(r.Context(), r.PathValue("channelId"))
	if err != nil {
		return err
	}
	body, err := listedChannel(c)
	if err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

// parseObjectBody reads a body that must be a JSON object whose strings
// are UTF-8 (decoding would silently turn other bytes into U+FFFD).
func parseObjectBody(r *http.Request) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := decodeBody(r, &fields, false); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, badRequest("Request body must be a JSON object.")
	}
	for _, key := range slices.Sorted(maps.Keys(fields)) {
		if problem := invalidUTF8(fields[key], key); problem != "" {
			return nil, badRequest("%s.", problem)
		}
	}
	return fields, nil
}
