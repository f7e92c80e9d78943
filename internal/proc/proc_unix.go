//go:build unix

package proc

import (
	"os"
	"syscall"
)

const canTerminate = true

// SysProcAttr puts a child in a process group of its own, whose id is the
// child's pid, so that signals reach every process it spawned.
func SysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// Group is a child's process group, addressed by its id.
type Group int

// NewGroup is the group of p, started with SysProcAttr.
func NewGroup(p *os.Process) Group { return Group(p.Pid) }

// Terminate asks the group to stop: SIGTERM.
func (g Group) Terminate() { g.Signal(syscall.SIGTERM) }

// Kill ends the group: SIGKILL.
func (g Group) Kill() { g.Signal(syscall.SIGKILL) }

// Signal sends sig to every process in the group. A group that is
// already gone is not an error.
func (g Group) Signal(sig os.Signal) {
	s, ok := sig.(syscall.Signal)
	if !ok || g <= 0 {
		return
	}
	_ = syscall.Kill(-int(g), s)
}
