package alertgroupsetting

import (
	"context"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/ascode"
)

// writes are push's calls; a file's id is the server's to decide, so it
// is not sent.
func writes(cl *client.Client) ascode.Writes[*client.AlertGroupSetting] {
	return ascode.Writes[*client.AlertGroupSetting]{
		Create: func(ctx context.Context, s *client.AlertGroupSetting) error {
			_, err := cl.CreateAlertGroupSetting(ctx, s.Without("id"))
			return err
		},
		Delete: func(ctx context.Context, s *client.AlertGroupSetting) error {
			_, err := cl.DeleteAlertGroupSetting(ctx, s.ID())
			return err
		},
		Update: func(ctx context.Context, remote, local *client.AlertGroupSetting) error {
			_, err := cl.UpdateAlertGroupSetting(ctx, remote.ID(), local.Without("id"))
			return err
		},
	}
}
