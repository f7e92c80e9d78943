package notificationgroup

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
)

// writes are push's calls. The id and type of a file's group are the
// server's to decide, so they are not sent.
func writes(cl *client.Client) ascode.Writes[*client.NotificationGroup] {
	return ascode.Writes[*client.NotificationGroup]{
		Create: func(ctx context.Context, g *client.NotificationGroup) error {
			_, err := cl.CreateNotificationGroup(ctx, g.Without("id", "type"))
			return err
		},
		Delete: func(ctx context.Context, g *client.NotificationGroup) error {
			_, err := cl.DeleteNotificationGroup(ctx, g.ID())
			return err
		},
		Update: func(ctx context.Context, remote, local *client.NotificationGroup) error {
			_, err := cl.UpdateNotificationGroup(ctx, remote.ID(), local.Without("id", "type"))
			return err
		},
	}
}
