package commands

import (
	"time"

	"github.com/urfave/cli/v2"
)

func jqFlag() cli.Flag {
	return &cli.StringFlag{Name: "jq", Usage: "filter the JSON output with a jq `QUERY` (gojq)"}
}

func formatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "print with a Go text/template `TEMPLATE`"}
}

func outputFlag() cli.Flag {
	return &cli.StringFlag{Name: "output", Usage: "`FORMAT`: json or table (default: table on a terminal, JSON otherwise)"}
}

// printOptions reads the output flags a command defines.
func printOptions(c *cli.Context) PrintOptions {
	return PrintOptions{Output: c.String("output"), JQ: c.String("jq"), Format: c.String("format")}
}

// iso8601 is upstream's "ISO 8601 extended" layout: a ±hh:mm offset, never Z.
func iso8601(t time.Time) string {
	return t.Format("2006-01-02T15:04:05-07:00")
}
