package commands

// ExamplesOf lets the external tests read the examples of a command.
var ExamplesOf = examplesOf
