package cmdutil

import (
	"context"
	"strings"

	"github.com/mkr-dev/mkr/client"
)

// DeleteEach is the body of the `<noun> delete <id>...` commands: it asks
// once for all ids (refusing without force when not interactive, see
// ConfirmDestructive), then deletes them in order, stopping at the first
// failure, and logs each deletion as "deleted <what>" where what is what
// del returns (id and name).
func DeleteEach(ctx context.Context, f *Factory, noun string, ids []string, force bool,
	del func(ctx context.Context, cl *client.Client, id string) (what string, err error)) error {
	question := "Delete following " + noun + ".\n  " + strings.Join(ids, "\n  ") + "\nAre you sure?"
	if err := ConfirmDestructive(f, force, question); err != nil {
		var cancel *CancelError
		if AsCancel(err, &cancel) {
			return &CancelError{Msg: "deletion is canceled."}
		}
		return err
	}
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		what, err := del(ctx, cl, id)
		if err != nil {
			return err
		}
		f.Log().Log("deleted", "%s", what)
	}
	return nil
}
