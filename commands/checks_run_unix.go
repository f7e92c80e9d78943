//go:build unix

package commands

import (
	"os/exec"
	"syscall"
	"time"
)

// setupCheckProcess runs a plugin in its own process group, so that a
// timeout reaches every process it spawned.
func setupCheckProcess(cmd *exec.Cmd, _ time.Duration) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
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
