//go:build windows

package check

import (
	"errors"
	"os/exec"
	"syscall"
	"time"
)

// setupCheckProcess runs a plugin in a new console process group, so that
// the terminal's Ctrl-C reaches mkr (which then stops the plugin) rather
// than the plugin, as with a Unix process group. Killing the plugin does
// not kill processes it started, so one of them could keep its stdout open
// and Wait blocked forever: WaitDelay closes the pipes shortly after the
// plugin itself has ended.
func setupCheckProcess(cmd *exec.Cmd, _ time.Duration) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
	cmd.WaitDelay = checkPipeGrace
}

// errCheckKilled stands for the plugin's exit status once mkr has killed it.
var errCheckKilled = errors.New("killed")

// stopProcessGroup kills the plugin's process (TerminateProcess) and waits
// for it. Windows has no SIGTERM to send first, so there is no grace period
// (killAfter is unused), and processes
// the plugin started are not killed. The exit code 1 that
// TerminateProcess leaves is mkr's, not the plugin's, and would read as
// WARNING; errCheckKilled makes exitCodeOf report 3 (UNKNOWN) instead, as
// a Unix plugin ended by SIGTERM (143) is.
func stopProcessGroup(cmd *exec.Cmd, done <-chan error, _ time.Duration) error {
	_ = cmd.Process.Kill()
	<-done
	return errCheckKilled
}
