//go:build windows

package wrap

import (
	"os"
	"syscall"
)

// Windows has neither process groups in the Unix sense nor SIGTERM: a
// console "process group" only decides who receives Ctrl-C and Ctrl-Break,
// and the only way to stop another process from Go's standard library is
// TerminateProcess (os.Process.Kill). So on Windows every way of ending the
// job (timeout, context, a forwarded Ctrl-C) kills the job's own process at
// once; KillAfter has nothing left to do. Processes the job started are not
// killed with it (that would need a job object); Options.WaitDelay still
// bounds the wait for any that keep its output open.

// jobSysProcAttr starts the job in a new console process group, which
// disables Ctrl-C in it: the terminal's Ctrl-C reaches the wrapper, which
// decides what happens to the job, as with a Unix process group.
func jobSysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// jobGroup is the job's process. It never reads Process.Pid, which Wait
// resets concurrently on Windows.
type jobGroup struct{ p *os.Process }

func newJobGroup(p *os.Process) jobGroup { return jobGroup{p: p} }

// terminate kills the job: there is no SIGTERM to send.
func (g jobGroup) terminate() { g.kill() }

// kill ends the job with TerminateProcess (exit code 1). An already ended
// job is not an error.
func (g jobGroup) kill() { _ = g.p.Kill() }

// forward kills the job for the signals that ask the wrapper to stop
// (Ctrl-C arrives as os.Interrupt, that is SIGINT); Windows cannot deliver
// any signal to another process, so the others are dropped.
func (g jobGroup) forward(sig os.Signal) {
	if sig == os.Interrupt || sig == syscall.SIGTERM {
		g.kill()
	}
}
