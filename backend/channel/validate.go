package channel

import (
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits of a channel. The API documents none; these are this backend's
// choices, generous enough for any real channel.
const (
	MaxName       = 250  // characters
	MaxRecipients = 100  // emails plus userIds
	MaxURL        = 2048 // bytes
	MaxMention    = 1024 // characters of each mention text
)

// Lookup is what validation needs to know of the rest of the
// organization. Its errors are failures to find out, returned as they are.
type Lookup interface {
	// UserExists reports whether id is a user of the organization. (The
	// embedded backend has no users yet: its Lookup answers false, so an
	// email channel naming userIds is refused as the API refuses a user
	// outside the organization.)
	UserExists(id string) (bool, error)
}

// Validate checks a normalized channel (see Normalize) that is to be
// created or written by an update, and returns the first broken rule as
// an *Error naming the field, or an error of lk.
func Validate(c *Channel, lk Lookup) error {
	switch {
	case c.Type == "":
		return errorf("type is required.")
	case !IsWritable(c.Type):
		return errorf("type must be email, slack or webhook: a %q channel cannot be created or changed through the API.", c.Type)
	case strings.TrimSpace(c.Name) == "":
		return errorf("name is required.")
	case utf8.RuneCountInString(c.Name) > MaxName:
		return errorf("name must be at most %d characters.", MaxName)
	}
	for _, e := range c.Events {
		if !slices.Contains(Events, e) {
			return errorf("events: %q is not an event: use %s.", e, strings.Join(Events, ", "))
		}
	}
	switch c.Type {
	case TypeEmail:
		return validateEmail(c, lk)
	case TypeSlack:
		for _, m := range []struct{ key, text string }{{"ok", c.Mentions.OK}, {"warning", c.Mentions.Warning}, {"critical", c.Mentions.Critical}} {
			if utf8.RuneCountInString(m.text) > MaxMention {
				return errorf("mentions.%s must be at most %d characters.", m.key, MaxMention)
			}
		}
	}
	return validateURL(c.URL)
}

func validateEmail(c *Channel, lk Lookup) error {
	if len(c.Emails)+len(c.UserIDs) == 0 {
		return errorf("emails is required: an email channel needs at least one address (or userIds).")
	}
	if len(c.Emails)+len(c.UserIDs) > MaxRecipients {
		return errorf("emails and userIds may name at most %d recipients together.", MaxRecipients)
	}
	for _, e := range c.Emails {
		if !validAddress(e) {
			return errorf("emails: %q is not an email address.", e)
		}
	}
	for _, id := range c.UserIDs {
		ok, err := lk.UserExists(id)
		if err != nil {
			return err
		}
		if !ok {
			return errorf("userIds: %q is not a user of this organization.", id)
		}
	}
	return nil
}

// validAddress accepts a bare address (local@domain), as a recipient list
// holds: no display name, no angle brackets, no line breaks.
func validAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// validateURL: slack and webhook channels post to an http or https URL.
func validateURL(raw string) error {
	if raw == "" {
		return errorf("url is required.")
	}
	if len(raw) > MaxURL {
		return errorf("url must be at most %d bytes.", MaxURL)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return errorf("url must be http or https, not %q.", raw)
	}
	if u.Host == "" {
		return errorf("url %q has no host.", raw)
	}
	return nil
}

// Merge applies an update (the decoded PUT body) to the stored channel
// cur and returns the new channel, normalized, for Validate. PUT replaces
// the whole definition, as the API documents ("the same format as
// create"): keys left out go back to their defaults. The type cannot
// change: an update naming another type is an *Error, one naming none
// keeps the current type. addToDefaultNotificationGroup is a create-only
// key and is ignored.
func Merge(cur, upd *Channel) (*Channel, error) {
	next := *upd
	switch {
	case next.Type == "":
		next.Type = cur.Type
	case next.Type != cur.Type:
		return nil, errorf("type cannot be changed (from %s to %s): delete the channel and create a new one.", cur.Type, next.Type)
	}
	next.ID = cur.ID
	next.AddToDefaultNotificationGroup = false
	next.Normalize()
	return &next, nil
}
