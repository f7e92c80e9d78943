package notificationgroup

import (
	"context"
	"fmt"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
)

// defaultFile is where pull writes and diff/push read.
const defaultFile = "notification-groups.json"

// groups is how notification groups are pulled, matched, diffed and
// pushed. "type" is set by the server (group or group-default) and read
// only, so a file may leave it out: it never counts as a change.
var groups = ascode.Resource[*client.NotificationGroup]{
	Spec: ascode.Spec[*client.NotificationGroup]{
		Hidden:   []string{"type"},
		Noun:     "group",
		LongNoun: "notification group",
		Command:  "mkr notification-groups",
		Describe: func(g *client.NotificationGroup) string { return fmt.Sprintf("%s %q", g.ID(), g.Name()) },
	},
	FileKey: "notificationGroups",
	Things:  "Notification groups",
	Unit:    "groups",
	Find: func(ctx context.Context, cl *client.Client) ([]*client.NotificationGroup, error) {
		return cl.FindNotificationGroups(ctx)
	},
	Prepare: matchDefault,
}

// matchDefault pairs the file's default group with the server's, which
// exists once per organization and can be neither created nor deleted: a
// file group is the default when its type says so, when it has the
// default's id, or when it has neither an id nor a type and the default's
// name. It is given the default's id, so it is compared with (and pushed
// to) the default. A file without the default group leaves it alone.
func matchDefault(remote, local []*client.NotificationGroup) ([]*client.NotificationGroup, []*client.NotificationGroup, error) {
	var def *client.NotificationGroup
	others := make([]*client.NotificationGroup, 0, len(remote))
	for _, g := range remote {
		if g.IsDefault() && def == nil {
			def = g
			continue
		}
		others = append(others, g)
	}
	isDefault := func(g *client.NotificationGroup) bool {
		if g.IsDefault() {
			return true
		}
		if def == nil {
			return false
		}
		return (g.ID() != "" && g.ID() == def.ID()) || (g.ID() == "" && g.Type() == "" && g.Name() == def.Name())
	}
	var defaults []int
	for i, g := range local {
		if isDefault(g) {
			defaults = append(defaults, i)
		}
	}
	switch {
	case len(defaults) > 1:
		return nil, nil, fmt.Errorf("%d groups of the file are the default notification group; there is only one", len(defaults))
	case len(defaults) == 1 && def == nil:
		return nil, nil, fmt.Errorf("the server has no default notification group to match the file's %q with", local[defaults[0]].Name())
	case len(defaults) == 0:
		return others, local, nil
	}
	matched := local[defaults[0]].Without()
	if err := matched.Set("id", def.ID()); err != nil {
		return nil, nil, err
	}
	out := append([]*client.NotificationGroup(nil), local...)
	out[defaults[0]] = matched
	return remote, out, nil
}
