package ascode

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
)

// Resource is a kind of rule kept in a file, with what pull, diff and push
// need to know about it. Monitors keep upstream's own wording and checks
// and use the Spec alone; the kinds upstream has no commands for use this.
type Resource[R Rule] struct {
	Spec[R]
	FileKey string // the file's one key: {"notificationGroups": […]}
	Things  string // pull's log: "Notification groups are saved to '<file>' (3 groups)."
	Unit    string // "groups"
	// Find lists the rules on the server.
	Find func(ctx context.Context, cl *client.Client) ([]R, error)
	// Prepare, when set, adjusts both sides before they are matched (the
	// default notification group is matched as the default, never created
	// or deleted).
	Prepare func(remote, local []R) ([]R, []R, error)
}

// Pull saves the server's rules to path, and with verbose prints them too.
func (res Resource[R]) Pull(ctx context.Context, f *cmdutil.Factory, path string, verbose bool) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	rules, err := res.Find(ctx, cl)
	if err != nil {
		return err
	}
	if err := WriteFile(path, map[string][]R{res.FileKey: rules}); err != nil {
		return err
	}
	if verbose {
		if err := f.Printer(cmdutil.PrintOptions{Output: cmdutil.OutputJSON}).Print(cmdutil.Output{JSON: rules}); err != nil {
			return err
		}
	}
	f.Log().Info("%s are saved to '%s' (%d %s).", res.Things, path, len(rules), res.Unit)
	return nil
}

// Load reads the rules of a file written by pull or by hand.
func (res Resource[R]) Load(path string) ([]R, error) {
	var doc map[string]json.RawMessage
	if err := ReadFile(path, &doc); err != nil {
		return nil, err
	}
	raw, ok := doc[res.FileKey]
	if !ok {
		return nil, fmt.Errorf("reading %s: no %q in the file", path, res.FileKey)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("reading %s: %q must be a list: %w", path, res.FileKey, err)
	}
	rules := make([]R, len(items))
	for i, item := range items {
		if string(item) == "null" {
			return nil, fmt.Errorf("reading %s: %s %d is null", path, res.LongNoun, i+1)
		}
		if err := json.Unmarshal(item, &rules[i]); err != nil {
			return nil, fmt.Errorf("reading %s: %s %d: %w", path, res.LongNoun, i+1, err)
		}
	}
	return rules, nil
}

// Both reads the server's rules and the file, checks each side (every rule
// needs a name; names must be unique for name matching) and matches them.
func (res Resource[R]) Both(ctx context.Context, f *cmdutil.Factory, cl *client.Client, path string) (Diff[R], error) {
	remote, err := res.Find(ctx, cl)
	if err != nil {
		return Diff[R]{}, err
	}
	local, err := res.Load(path)
	if err != nil {
		return Diff[R]{}, err
	}
	for _, side := range []struct {
		rules []R
		where string
	}{{remote, "on the server"}, {local, "in " + path}} {
		for _, r := range side.rules {
			if r.Name() == "" {
				return Diff[R]{}, fmt.Errorf("%s %s has no \"name\"", withArticle(res.LongNoun), side.where)
			}
		}
	}
	unique := UniqueNames(f.Log(), remote, res.LongNoun+"s on the server")
	unique = UniqueNames(f.Log(), local, res.LongNoun+"s in "+path) && unique
	if res.Prepare != nil {
		if remote, local, err = res.Prepare(remote, local); err != nil {
			return Diff[R]{}, err
		}
	}
	return res.Match(remote, local, unique), nil
}

// DiffOptions are diff's flags.
type DiffOptions struct {
	FilePath string
	ExitCode bool // exit 1 when there are differences
	Reverse  bool
}

// RunDiff prints upstream's diff text between the server and the file.
func (res Resource[R]) RunDiff(ctx context.Context, f *cmdutil.Factory, opts DiffOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	d, err := res.Both(ctx, f, cl, opts.FilePath)
	if err != nil {
		return err
	}
	if err := f.Printer(cmdutil.PrintOptions{}).PrintText("%s", res.DiffText(d, opts.Reverse)); err != nil {
		return err
	}
	if opts.ExitCode && !d.Empty() {
		return &cmdutil.ExitError{Code: 1}
	}
	return nil
}

// RunPush makes the server match the file (Spec.Push); writes gets the
// client to write with (dumping HTTP with verbose).
func (res Resource[R]) RunPush(ctx context.Context, f *cmdutil.Factory, opts PushOptions, verbose bool, writes func(*client.Client) Writes[R]) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	d, err := res.Both(ctx, f, cl, opts.FilePath)
	if err != nil {
		return err
	}
	writer := cl
	if verbose {
		writer = cl.WithDebug(f.IO.ErrOut)
	}
	return res.Push(ctx, f, d, opts, writes(writer))
}

// withArticle puts "a" or "an" before noun.
func withArticle(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an " + noun
	}
	return "a " + noun
}
