//go:build unix

package check

import (
	"os/exec"
	"syscall"
	"time"
)

// setupCheckProcess runs a plugin in its own process group, so that a
// timeout reaches every process it spawned. A process the plugin left
// running in the background (`daemon &`) would hold its output open and
// block Wait: WaitDelay closes the pipes shortly after the plugin exits.
func setupCheckProcess(cmd *exec.Cmd, _ time.Duration) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = checkPipeGrace
}

// stopProcessGroup sends SIGTERM to the plugin's process group, SIGKILL
// killAfter later if it has not ended, and returns cmd.Wait's error.
func stopProcessGroup(cmd *exec.Cmd, done <-chan error, killAfter time.Duration) error {
	syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	select {
	case err := <-done:
		return err
	case <-time.After(killAfter):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		return <-done
	}
}
