package cmdtest

import (
	"slices"
	"testing"
)

// Step is one run of a scenario: the steps of a table share one Env and
// run in order.
type Step struct {
	Name string
	Opts RunOpts
	Args []string
	Want Want
	// Asked is what the fake person must have been asked (with a
	// *FakePrompter in Opts.Prompter), each with default no.
	Asked []string
}

// RunSteps runs the steps in order, each checked in a subtest of t named
// after it.
func (e *Env) RunSteps(t *testing.T, steps []Step) {
	t.Helper()
	for _, s := range steps {
		r := e.RunWith(s.Opts, s.Args...)
		t.Run(s.Name, func(t *testing.T) {
			e.CheckT(t, r, s.Want)
			if p, ok := s.Opts.Prompter.(*FakePrompter); ok {
				if !slices.Equal(p.Questions, s.Asked) || slices.Contains(p.Defaults, true) {
					t.Errorf("asked %q (default yes: %v), want %q with default no", p.Questions, p.Defaults, s.Asked)
				}
			}
		})
	}
}
