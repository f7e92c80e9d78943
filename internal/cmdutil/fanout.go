package cmdutil

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/urfave/cli/v2"
)

// maxProfilesInFlight bounds how many profiles are queried at once: a
// hosting company may have dozens, and each query is a few requests.
const maxProfilesInFlight = 8

// AllProfilesFlag is --all-profiles of the commands that can fan out.
func AllProfilesFlag() cli.Flag {
	return &cli.BoolFlag{Name: "all-profiles", Usage: "query every profile concurrently; each row names its profile (see mkr profiles)"}
}

// ProfileResult is what one profile answered.
type ProfileResult[T any] struct {
	Profile string
	Value   T
	Err     error
}

// FanOut runs fetch once per profile, concurrently, each with a Factory
// whose backend is that profile (ForProfile), and returns every result in
// profile-name order, failures included. It fails only when it cannot
// start: no profiles, or flags that choose another backend.
func FanOut[T any](ctx context.Context, f *Factory, fetch func(ctx context.Context, pf *Factory) (T, error)) ([]ProfileResult[T], error) {
	if f.Global.Local || Truthy(f.Getenv("MKR_LOCAL")) || f.Global.Profile != "" || f.Global.APIBase != "" || f.Global.DB != "" {
		return nil, FlagErrorf("--all-profiles cannot be combined with --local (or MKR_LOCAL), --profile, --apibase or --db")
	}
	ps, err := f.LoadProfiles()
	if err != nil {
		return nil, err
	}
	names := ps.Names()
	if len(names) == 0 {
		return nil, errors.New("no profiles: add one with mkr profiles add NAME --apikey-stdin")
	}
	results := make([]ProfileResult[T], len(names))
	sem := make(chan struct{}, maxProfilesInFlight)
	var wg sync.WaitGroup
	for i, name := range names {
		results[i].Profile = name
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i].Value, results[i].Err = fetch(ctx, f.ForProfile(name))
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		// Interrupted: that, not each profile's cancelled request, is the news.
		return nil, context.Cause(ctx)
	}
	return results, nil
}

// ReportProfileFailures logs each failed profile on stderr, after the
// others' results were printed, and returns an error that makes mkr exit
// 1 if any failed (nil otherwise).
func ReportProfileFailures[T any](f *Factory, results []ProfileResult[T]) error {
	failed := false
	for _, r := range results {
		if r.Err != nil {
			failed = true
			f.Log().Error("profile %s: %v", r.Profile, r.Err)
		}
	}
	if failed {
		return SilentError
	}
	return nil
}

// Succeeded returns the results of the profiles that answered.
func Succeeded[T any](results []ProfileResult[T]) []ProfileResult[T] {
	var ok []ProfileResult[T]
	for _, r := range results {
		if r.Err == nil {
			ok = append(ok, r)
		}
	}
	return ok
}

// WithProfile is v's JSON object with a "profile" member first, for the
// rows of --all-profiles: the other members stay as the command prints
// them for one profile, whatever v's type.
func WithProfile(profile string, v any) (json.RawMessage, error) {
	obj, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if len(obj) < 2 || obj[0] != '{' {
		return nil, fmt.Errorf("a %T is not a JSON object", v)
	}
	name, err := json.Marshal(profile)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"profile":`)
	b.Write(name)
	if !bytes.Equal(obj, []byte("{}")) {
		b.WriteByte(',')
	}
	b.Write(obj[1:])
	return b.Bytes(), nil
}
