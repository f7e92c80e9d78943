// Package completions holds mkr's shell completion scripts. The bash and
// zsh scripts ask mkr itself for candidates (urfave/cli's
// --generate-bash-completion), so they never list commands by hand.
package completions

import _ "embed"

// Bash is the bash completion script.
//
//go:embed mkr.bash
var Bash string

// Zsh is the zsh completion script.
//
//go:embed mkr.zsh
var Zsh string
