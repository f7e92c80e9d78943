package cmdutil

import (
	"time"

	"github.com/urfave/cli/v2"
)

func JQFlag() cli.Flag {
	return &cli.StringFlag{Name: "jq", Usage: "filter the JSON output with a jq `QUERY` (gojq)"}
}

func FormatFlag() cli.Flag {
	return &cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "print with a Go text/template `TEMPLATE`"}
}

func OutputFlag() cli.Flag {
	return &cli.StringFlag{Name: "output", Usage: "`FORMAT`: json or table (default: table on a terminal, JSON otherwise)"}
}

// printOptions reads the output flags a command defines.
func PrintOptionsFrom(c *cli.Context) PrintOptions {
	return PrintOptions{Output: c.String("output"), JQ: c.String("jq"), Format: c.String("format")}
}

// ISO8601 is upstream's "ISO 8601 extended" layout: a ±hh:mm offset, never Z.
func ISO8601(t time.Time) string {
	return t.Format("2006-01-02T15:04:05-07:00")
}
