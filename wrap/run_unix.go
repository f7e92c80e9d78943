//go:build unix

package wrap

import (
	"os"
	"syscall"
)

// jobSysProcAttr puts the job in a process group of its own, whose id is
// the job's pid, so that signals reach every process it spawned.
func jobSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// jobGroup is the job's process group, addressed by its id.
type jobGroup int

func newJobGroup(p *os.Process) jobGroup { return jobGroup(p.Pid) }

// terminate asks the group to stop: SIGTERM.
func (g jobGroup) terminate() { signalGroup(int(g), syscall.SIGTERM) }

// kill ends the group: SIGKILL.
func (g jobGroup) kill() { signalGroup(int(g), syscall.SIGKILL) }

// forward relays a signal the wrapper received to the group.
func (g jobGroup) forward(sig os.Signal) { signalGroup(int(g), sig) }

// signalGroup sends sig to every process in the group. A group that is
// already gone is not an error.
func signalGroup(pgid int, sig os.Signal) {
	s, ok := sig.(syscall.Signal)
	if !ok || pgid <= 0 {
		return
	}
	_ = syscall.Kill(-pgid, s)
}
