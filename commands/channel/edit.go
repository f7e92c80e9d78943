package channel

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

// mentionFlags maps each mention flag to its key in "mentions".
var mentionFlags = []struct{ flag, key string }{
	{"mention-ok", "ok"}, {"mention-warning", "warning"}, {"mention-critical", "critical"},
}

// typeFlags are the flags that only some channel types take.
var typeFlags = map[string][]string{
	"email":   {"email", "user-id"},
	"slack":   {"url", "mention-ok", "mention-warning", "mention-critical", "enable-graph-image"},
	"webhook": {"url", "enable-graph-image"},
}

// editFlags are the definition flags of create and update.
func editFlags(update bool) []cli.Flag {
	listNote := " (repeatable)"
	if update {
		listNote = " (repeatable; replaces the list, \"\" empties it)"
	}
	flags := []cli.Flag{
		&cli.StringFlag{Name: "name", Aliases: []string{"n"}, Usage: "channel `NAME`"},
		&cli.StringFlag{Name: "url", Usage: "slack, webhook: the `URL` to post to (a Slack incoming webhook)"},
		&cli.StringSliceFlag{Name: "email", Usage: "email: send to `ADDRESS`" + listNote},
		&cli.StringSliceFlag{Name: "user-id", Usage: "email: send to the organization's user `ID`" + listNote},
		&cli.StringFlag{Name: "mention-ok", Usage: "slack: `TEXT` to mention when an alert closes (\"\" for none)"},
		&cli.StringFlag{Name: "mention-warning", Usage: "slack: `TEXT` to mention on WARNING (\"\" for none)"},
		&cli.StringFlag{Name: "mention-critical", Usage: "slack: `TEXT` to mention on CRITICAL (\"\" for none)"},
		&cli.StringSliceFlag{Name: "event", Usage: "notify of `EVENT`: alert, alertGroup, hostStatus, hostRegister, hostRetire, monitor" + listNote},
		&cli.BoolFlag{Name: "enable-graph-image", Usage: "slack, webhook: attach a graph image (--enable-graph-image=false to stop)"},
		cmdutil.JQFlag(),
	}
	if !update {
		flags = append([]cli.Flag{&cli.StringFlag{Name: "type", Aliases: []string{"t"}, Usage: "channel `TYPE`: email, slack or webhook"}}, flags...)
		flags = append(flags, &cli.BoolFlag{Name: "add-to-default-group", Usage: "also add the channel to the default notification group"})
	}
	return flags
}

// edits are the definition flags a person gave; nil means not given.
type edits struct {
	given      []string // the names of the given flags, for type checks
	Name, URL  *string
	Emails     *[]string
	UserIDs    *[]string
	Mentions   map[string]string // mention key → text, for the flags given
	Events     *[]string
	GraphImage *bool
}

func parseEdits(c *cli.Context) edits {
	var e edits
	for _, name := range []string{"name", "url", "email", "user-id", "mention-ok", "mention-warning", "mention-critical", "event", "enable-graph-image"} {
		if c.IsSet(name) {
			e.given = append(e.given, name)
		}
	}
	str := func(name string) *string {
		if !c.IsSet(name) {
			return nil
		}
		v := c.String(name)
		return &v
	}
	list := func(name string) *[]string {
		if !c.IsSet(name) {
			return nil
		}
		vals := []string{}
		for _, v := range c.StringSlice(name) {
			if v = strings.TrimSpace(v); v != "" {
				vals = append(vals, v)
			}
		}
		return &vals
	}
	e.Name, e.URL = str("name"), str("url")
	e.Emails, e.UserIDs, e.Events = list("email"), list("user-id"), list("event")
	e.Mentions = map[string]string{}
	for _, m := range mentionFlags {
		if c.IsSet(m.flag) {
			e.Mentions[m.key] = c.String(m.flag)
		}
	}
	if c.IsSet("enable-graph-image") {
		b := c.Bool("enable-graph-image")
		e.GraphImage = &b
	}
	return e
}

// checkType refuses flags that a channel of type t does not take. Types
// this mkr cannot edit are left to the server to judge.
func (e edits) checkType(t string) error {
	own, known := typeFlags[t]
	if !known {
		return nil
	}
	for _, name := range e.given {
		for other, flags := range typeFlags {
			if other != t && slices.Contains(flags, name) && !slices.Contains(own, name) {
				return fmt.Errorf("--%s does not apply to %s channels", name, t)
			}
		}
	}
	return nil
}

// apply changes ch as e says, leaving what e does not mention alone.
func (e edits) apply(ch *client.Channel) error {
	set := map[string]any{}
	if e.Name != nil {
		set["name"] = *e.Name
	}
	if e.URL != nil {
		set["url"] = *e.URL
	}
	if e.Emails != nil {
		set["emails"] = *e.Emails
	}
	if e.UserIDs != nil {
		set["userIds"] = *e.UserIDs
	}
	if e.Events != nil {
		set["events"] = *e.Events
	}
	if e.GraphImage != nil {
		set["enabledGraphImage"] = *e.GraphImage
	}
	if len(e.Mentions) > 0 {
		// Keep the mentions the flags do not name, even ones this mkr
		// does not know.
		mentions := map[string]any{}
		if raw := ch.Raw("mentions"); raw != nil {
			_ = json.Unmarshal(raw, &mentions)
		}
		for k, v := range e.Mentions {
			if v == "" {
				delete(mentions, k)
			} else {
				mentions[k] = v
			}
		}
		set["mentions"] = mentions
	}
	for _, key := range []string{"name", "url", "emails", "userIds", "mentions", "enabledGraphImage", "events"} {
		if v, ok := set[key]; ok {
			if err := ch.Set(key, v); err != nil {
				return err
			}
		}
	}
	return nil
}
