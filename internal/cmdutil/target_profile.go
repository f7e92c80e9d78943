package cmdutil

import (
	"fmt"

	"github.com/mkr-dev/mkr/client"
)

// profileTarget is the backend of the named profile. A profile is a whole
// target: --apibase or --db beside it would leave unclear which key goes
// to which server, so they are refused; the environment's keys, base and
// MKR_DB are ignored for the same reason.
func (f *Factory) profileTarget(name string) (*Target, error) {
	if f.Global.APIBase != "" || f.Global.DB != "" {
		return nil, FlagErrorf("--profile (or MKR_PROFILE) cannot be combined with --apibase or --db: the profile names its backend")
	}
	ps, err := f.LoadProfiles()
	if err != nil {
		return nil, err
	}
	p, err := ps.Get(name)
	if err != nil {
		return nil, err
	}
	return targetOf(p), nil
}

// currentProfileTarget is the target of the profile chosen with `mkr
// profiles use`, or nil when there is none.
func (f *Factory) currentProfileTarget() (*Target, error) {
	ps, err := f.LoadProfiles()
	if err != nil {
		return nil, err
	}
	if ps.Current == "" {
		return nil, nil
	}
	p, err := ps.Get(ps.Current)
	if err != nil {
		// `profiles remove` clears the current profile; an edited file may not.
		return nil, fmt.Errorf("the current profile %q does not exist: choose another with mkr profiles use", ps.Current)
	}
	return targetOf(p), nil
}

func targetOf(p *Profile) *Target {
	if p.Local() {
		return &Target{Local: true, DBPath: p.DB, Profile: p.Name}
	}
	return &Target{BaseURL: FirstNonEmpty(p.APIBase, client.DefaultBaseURL), apiKey: p.APIKey, Profile: p.Name}
}

// ForProfile returns a Factory for the same run whose backend is the named
// profile, for commands that query every profile (--all-profiles). Each
// has its own client, so they may run concurrently; what they open is
// closed with the run. f is not changed.
func (f *Factory) ForProfile(name string) *Factory {
	g := *f
	g.Global.Profile = name
	g.Global.APIBase, g.Global.DB, g.Global.Local = "", "", false
	g.lazy = &lazyValues{}
	return &g
}

// once reports whether key is new to this run (shared by the Factories of
// a fan-out), for warnings that must not repeat per profile.
func (r *runResources) once(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen[key] {
		return false
	}
	if r.seen == nil {
		r.seen = map[string]bool{}
	}
	r.seen[key] = true
	return true
}
