package backend

import (
	"bytes"
	"context"
	"net/http"
	"slices"

	"github.com/mkr-dev/mkr/backend/notifygroup"
	"github.com/mkr-dev/mkr/backend/store"
)

// msgNotificationGroupNotFound answers an unknown group id.
const msgNotificationGroupNotFound = "Notification group not found."

func (b *Backend) notificationGroupRoutes() {
	nf := route{notFound: msgNotificationGroupNotFound}
	b.handle("GET /api/v0/notification-groups", b.listNotificationGroups, route{})
	b.handle("POST /api/v0/notification-groups", b.createNotificationGroup, route{})
	b.handle("PUT /api/v0/notification-groups/{notificationGroupId}", b.updateNotificationGroup, nf)
	b.handle("DELETE /api/v0/notification-groups/{notificationGroupId}", b.deleteNotificationGroup, nf)
}

// listNotificationGroups answers the default group first, then the others
// in creation order, each without references to monitors and services
// deleted since it was written.
func (b *Backend) listNotificationGroups(w http.ResponseWriter, r *http.Request) error {
	list, err := b.store.ListNotificationGroups(r.Context())
	if err != nil {
		return err
	}
	lk := refLookup(r, b.store)
	bodies := make([][]byte, len(list))
	for i, sg := range list {
		if bodies[i], err = answeredGroup(sg, lk); err != nil {
			return err
		}
	}
	writeRawJSON(w, slices.Concat([]byte(`{"notificationGroups":[`), bytes.Join(bodies, []byte(",")), []byte(`]}`)))
	return nil
}

// storedGroup decodes a stored group; whether it is the default is the
// store's to say.
func storedGroup(sg *store.NotificationGroup) (*notifygroup.Group, error) {
	g, err := notifygroup.DecodeGroup(sg.Body)
	if err != nil {
		return nil, err // a stored body is always canonical
	}
	g.ID, g.IsDefault = sg.ID, sg.IsDefault
	g.Normalize()
	return g, nil
}

// answeredGroup is a stored group as answered: pruned of what was deleted.
func answeredGroup(sg *store.NotificationGroup, lk notifygroup.Lookup) ([]byte, error) {
	g, err := storedGroup(sg)
	if err != nil {
		return nil, err
	}
	if _, err := notifygroup.PruneGroup(g, lk); err != nil {
		return nil, err
	}
	return notifygroup.EncodeGroup(g), nil
}

func (b *Backend) createNotificationGroup(w http.ResponseWriter, r *http.Request) error {
	fields, err := parseObjectBody(r)
	if err != nil {
		return err
	}
	g, err := notifygroup.DecodeGroupFields(fields)
	if err != nil {
		return refused(err)
	}
	// Server-assigned: an id or a type in the body (a pulled file) is
	// ignored; a new group is never the default.
	g.ID, g.IsDefault = store.NewID(), false
	g.Normalize()
	if err := notifygroup.ValidateGroup(g, refLookup(r, b.store)); err != nil {
		return refused(err)
	}
	body := notifygroup.EncodeGroup(g)
	if err := b.store.CreateNotificationGroup(r.Context(), &store.NotificationGroup{ID: g.ID, Body: body}); err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

// updateNotificationGroup replaces the group's definition. The default
// group keeps its name (a different one is a 400) and takes every alert,
// so it cannot be limited to monitors or services.
func (b *Backend) updateNotificationGroup(w http.ResponseWriter, r *http.Request) error {
	sg, err := b.store.GetNotificationGroup(r.Context(), r.PathValue("notificationGroupId"))
	if err != nil {
		return err
	}
	fields, err := parseObjectBody(r)
	if err != nil {
		return err
	}
	upd, err := notifygroup.DecodeGroupFields(fields)
	if err != nil {
		return refused(err)
	}
	cur, err := storedGroup(sg)
	if err != nil {
		return err
	}
	next, err := notifygroup.MergeGroup(cur, upd)
	if err != nil {
		return refused(err)
	}
	if err := notifygroup.ValidateGroup(next, refLookup(r, b.store)); err != nil {
		return refused(err)
	}
	body := notifygroup.EncodeGroup(next)
	if err := b.store.UpdateNotificationGroup(r.Context(), &store.NotificationGroup{ID: next.ID, Body: body}); err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

// deleteNotificationGroup removes a group (never the default: the store
// refuses, a 400) and its place among other groups' children, and answers
// it as it was.
func (b *Backend) deleteNotificationGroup(w http.ResponseWriter, r *http.Request) error {
	sg, err := b.store.DeleteNotificationGroup(r.Context(), r.PathValue("notificationGroupId"))
	if err != nil {
		return err
	}
	body, err := answeredGroup(sg, refLookup(r, b.store))
	if err != nil {
		return err
	}
	writeRawJSON(w, body)
	return nil
}

// references answers the model packages' questions (channel.Lookup,
// notifygroup.Lookup) from the store, remembering answers for the length
// of one request: pruning a list of groups asks about the same ids many
// times.
type references struct {
	downtimeLookup
	channels map[string]bool
	groups   map[string]*groupChildren
	monitors map[string]bool
	services map[string]bool
	roles    map[string]bool
}

type groupChildren struct {
	ids []string
	ok  bool
}

func refLookup(r *http.Request, st store.Store) *references {
	return &references{downtimeLookup: downtimeLookup{r.Context(), st},
		channels: map[string]bool{}, groups: map[string]*groupChildren{},
		monitors: map[string]bool{}, services: map[string]bool{}, roles: map[string]bool{}}
}

// remember answers key from memo, or asks and remembers the answer (not a
// failure).
func remember(memo map[string]bool, key string, ask func() (bool, error)) (bool, error) {
	if ok, seen := memo[key]; seen {
		return ok, nil
	}
	ok, err := ask()
	if err == nil {
		memo[key] = ok
	}
	return ok, err
}

// reqCtx is the request's context (the embedded lookup's).
func (l *references) reqCtx() context.Context { return l.downtimeLookup.ctx }

// UserExists: the embedded backend has no users yet, so no id names one
// (an email channel's userIds are refused as naming someone outside the
// organization).
func (l *references) UserExists(string) (bool, error) { return false, nil }

func (l *references) ChannelExists(id string) (bool, error) {
	return remember(l.channels, id, func() (bool, error) { return exists(l.st.GetChannel(l.reqCtx(), id)) })
}

func (l *references) GroupChildren(id string) ([]string, bool, error) {
	if c, seen := l.groups[id]; seen {
		return c.ids, c.ok, nil
	}
	sg, err := l.st.GetNotificationGroup(l.reqCtx(), id)
	if _, nf := store.IsKind(err, store.KindNotFound); nf {
		l.groups[id] = &groupChildren{}
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	g, err := storedGroup(sg)
	if err != nil {
		return nil, false, err
	}
	l.groups[id] = &groupChildren{ids: g.ChildGroupIDs, ok: true}
	return g.ChildGroupIDs, true, nil
}

func (l *references) MonitorExists(id string) (bool, error) {
	return remember(l.monitors, id, func() (bool, error) { return l.downtimeLookup.MonitorExists(id) })
}

func (l *references) ServiceExists(name string) (bool, error) {
	return remember(l.services, name, func() (bool, error) { return l.downtimeLookup.ServiceExists(name) })
}

func (l *references) RoleExists(service, role string) (bool, error) {
	return remember(l.roles, service+":"+role, func() (bool, error) { return l.downtimeLookup.RoleExists(service, role) })
}
