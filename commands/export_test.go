package commands

// GlobalFlagNames lets the external tests check that every command accepts
// the global flags.
var GlobalFlagNames = globalFlagNames
