// Package notifygroup is the model of notification groups
// (/api/v0/notification-groups) and alert group settings
// (/api/v0/alert-group-settings): their Go form, wire JSON, validation and
// the reference rules between them and the channels, monitors and
// services they name. It holds no storage and no routing: package store
// keeps both as the canonical JSON this package encodes, and package
// notify routes alerts through them.
package notifygroup

import (
	"github.com/mkr-dev/mkr/backend/internal/invalid"

	"slices"
)

// Notification levels: which alerts a group passes on.
const (
	LevelAll      = "all"
	LevelCritical = "critical" // CRITICAL and UNKNOWN, and OK after CRITICAL
)

// Group types, as answered (never read from a request).
const (
	TypeGroup        = "group"
	TypeGroupDefault = "group-default"
)

// DefaultName is the default group's name. The API does not document it;
// it cannot be changed.
const DefaultName = "Default"

// MonitorRule routes a monitor's alerts to a group. With SkipDefault
// they go to this group only, not also to the default group.
type MonitorRule struct {
	ID          string `json:"id"`
	SkipDefault bool   `json:"skipDefault"`
}

// ServiceRule routes a service's alerts to a group.
type ServiceRule struct {
	Name string `json:"name"`
}

// Group is one notification group.
type Group struct {
	ID string
	// IsDefault marks the organization's default group, which takes every
	// alert, exists from the start and cannot be renamed or deleted.
	IsDefault         bool
	Name              string
	NotificationLevel string
	ChildGroupIDs     []string // childNotificationGroupIds
	ChildChannelIDs   []string
	Monitors          []MonitorRule
	Services          []ServiceRule
}

// NewDefault returns the default group as it starts: level all, no
// channels, no child groups.
func NewDefault(id string) *Group {
	g := &Group{ID: id, IsDefault: true, Name: DefaultName}
	g.Normalize()
	return g
}

// Normalize fills in the default level (all), makes every list non-nil
// and drops repeats (for monitors, a repeated id: the first rule wins).
func (g *Group) Normalize() {
	if g.NotificationLevel == "" {
		g.NotificationLevel = LevelAll
	}
	g.ChildGroupIDs = unique(g.ChildGroupIDs)
	g.ChildChannelIDs = unique(g.ChildChannelIDs)
	monitors := make([]MonitorRule, 0, len(g.Monitors))
	for _, m := range g.Monitors {
		if !slices.ContainsFunc(monitors, func(x MonitorRule) bool { return x.ID == m.ID }) {
			monitors = append(monitors, m)
		}
	}
	g.Monitors = monitors
	services := make([]ServiceRule, 0, len(g.Services))
	for _, s := range g.Services {
		if !slices.Contains(services, s) {
			services = append(services, s)
		}
	}
	g.Services = services
}

// Type is the group's wire type.
func (g *Group) Type() string {
	if g.IsDefault {
		return TypeGroupDefault
	}
	return TypeGroup
}

// AddChannel makes channel id a child of g (a no-op if it is one) and
// reports whether g changed.
func (g *Group) AddChannel(id string) bool {
	if slices.Contains(g.ChildChannelIDs, id) {
		return false
	}
	g.ChildChannelIDs = append(g.ChildChannelIDs, id)
	return true
}

// RemoveChannel drops channel id from g's children and reports whether g
// changed.
func (g *Group) RemoveChannel(id string) bool {
	n := len(g.ChildChannelIDs)
	g.ChildChannelIDs = slices.DeleteFunc(g.ChildChannelIDs, func(x string) bool { return x == id })
	return len(g.ChildChannelIDs) != n
}

// RemoveChildGroup drops group id from g's child groups and reports
// whether g changed.
func (g *Group) RemoveChildGroup(id string) bool {
	n := len(g.ChildGroupIDs)
	g.ChildGroupIDs = slices.DeleteFunc(g.ChildGroupIDs, func(x string) bool { return x == id })
	return len(g.ChildGroupIDs) != n
}

// AlertGroupSetting is one alert group setting: the open alerts its
// scopes match form one alert group.
type AlertGroupSetting struct {
	ID            string
	Name          string
	Memo          string
	ServiceScopes []string
	RoleScopes    []string // "service: role"
	MonitorScopes []string // monitor ids
	// NotificationInterval: minutes between repeated notifications of an
	// open alert group; 0 never repeats.
	NotificationInterval int64
}

// Normalize makes every scope list non-nil.
func (s *AlertGroupSetting) Normalize() {
	s.ServiceScopes = nonNil(s.ServiceScopes)
	s.RoleScopes = nonNil(s.RoleScopes)
	s.MonitorScopes = nonNil(s.MonitorScopes)
}

// unique returns s without repeats, in first-seen order, never nil.
func unique(s []string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Error is a group or setting the API refuses (see package invalid).
type Error = invalid.Error

var errorf = invalid.Errorf

// IsInvalid reports whether err is a refused definition and returns it.
func IsInvalid(err error) (*Error, bool) { return invalid.As(err) }
