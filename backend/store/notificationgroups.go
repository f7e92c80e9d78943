package store

import "context"

// NotificationGroup is a stored notification group: Body is the canonical
// wire JSON of package notifygroup. IsDefault marks the one default group
// ("group-default"), which exists from the start and cannot be deleted.
type NotificationGroup struct {
	ID        string
	Body      []byte
	IsDefault bool
}

// AlertGroupSetting is a stored alert group setting (Body: canonical
// wire JSON of package notifygroup).
type AlertGroupSetting struct {
	ID   string
	Body []byte
}

// NotificationGroupStore keeps notification groups and alert group
// settings. Bodies are kept verbatim. References from a group to channels
// and child groups are removed when those are deleted (DeleteChannel,
// DeleteNotificationGroup, in the same transaction); references to
// monitors and services are not, and readers drop them
// (notifygroup.PruneGroup, PruneSetting).
type NotificationGroupStore interface {
	// ListNotificationGroups returns every group: the default group
	// first (a new store has it already), then the others in creation
	// order.
	ListNotificationGroups(ctx context.Context) ([]*NotificationGroup, error)
	// GetNotificationGroup returns one group (KindNotFound when none).
	GetNotificationGroup(ctx context.Context, id string) (*NotificationGroup, error)
	// CreateNotificationGroup stores g, which is never the default (its
	// IsDefault is ignored); the caller picks g.ID (NewID).
	CreateNotificationGroup(ctx context.Context, g *NotificationGroup) error
	// UpdateNotificationGroup replaces the body of group g.ID, which
	// stays the default or not (KindNotFound when none).
	UpdateNotificationGroup(ctx context.Context, g *NotificationGroup) error
	// DeleteNotificationGroup removes a group, and its id from every
	// group that has it as a child, and returns it as it was
	// (KindNotFound when none; KindInvalid for the default group, which
	// stays).
	DeleteNotificationGroup(ctx context.Context, id string) (*NotificationGroup, error)

	// ListAlertGroupSettings returns every setting in creation order.
	ListAlertGroupSettings(ctx context.Context) ([]*AlertGroupSetting, error)
	// GetAlertGroupSetting returns one setting (KindNotFound when none).
	GetAlertGroupSetting(ctx context.Context, id string) (*AlertGroupSetting, error)
	// CreateAlertGroupSetting stores s; the caller picks s.ID (NewID).
	CreateAlertGroupSetting(ctx context.Context, s *AlertGroupSetting) error
	// UpdateAlertGroupSetting replaces the body of setting s.ID
	// (KindNotFound when none).
	UpdateAlertGroupSetting(ctx context.Context, s *AlertGroupSetting) error
	// DeleteAlertGroupSetting removes a setting and returns it as it was
	// (KindNotFound when none).
	DeleteAlertGroupSetting(ctx context.Context, id string) (*AlertGroupSetting, error)
}
