//go:build windows

package proc

import (
	"os"
	"syscall"
)

// Windows has neither process groups in the Unix sense nor SIGTERM: a
// console "process group" only decides who receives Ctrl-C and Ctrl-Break,
// and the only way to stop another process from Go's standard library is
// TerminateProcess (os.Process.Kill). So every way of ending a child kills
// its own process at once. Processes the child started are not killed with
// it (that would need a job object); callers set exec.Cmd.WaitDelay so that
// one of them holding the output open cannot block Wait forever.
const canTerminate = false

// stopSignal reports whether sig asks a process to stop.
func stopSignal(sig os.Signal) bool { return sig == os.Interrupt || sig == syscall.SIGTERM }

// SysProcAttr starts a child in a new console process group, which
// disables Ctrl-C in it: the terminal's Ctrl-C reaches mkr, which decides
// what happens to the child, as with a Unix process group.
func SysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// Group is a child's process. It never reads Process.Pid, which Wait
// resets concurrently on Windows.
type Group struct{ p *os.Process }

// NewGroup is the group of p.
func NewGroup(p *os.Process) Group { return Group{p: p} }

// Terminate kills the child: there is no SIGTERM to send.
func (g Group) Terminate() { g.Kill() }

// Kill ends the child with TerminateProcess. An already ended child is not
// an error.
func (g Group) Kill() { _ = g.p.Kill() }

// Signal kills the child for the signals that ask it to stop (Ctrl-C
// arrives as os.Interrupt); Windows cannot deliver any signal to another
// process, so the others are dropped.
func (g Group) Signal(sig os.Signal) {
	if stopSignal(sig) {
		g.Kill()
	}
}
