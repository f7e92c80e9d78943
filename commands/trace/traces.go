// Package trace is `mkr traces`: distributed traces of Mackerel's APM.
package trace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/mkr-dev/mkr/client"
	"github.com/mkr-dev/mkr/internal/cmdutil"
	"github.com/urfave/cli/v2"
)

func NewCmdTraces(f *cmdutil.Factory) *cli.Command {
	return &cli.Command{
		Name:  "traces",
		Usage: "Get traces",
		Description: `Read distributed traces. mkr's backend receives no traces (it has no OpenTelemetry
   receiver), so there every trace is not found.

   Example:
     mkr traces get 0123456789abcdef0123456789abcdef`,
		Subcommands: []*cli.Command{{
			Name:      "get",
			Usage:     "Get the spans of a trace",
			ArgsUsage: "[--jq <formula>] <traceId>",
			Description: `Print the spans of a trace as the API returns them.
   Requests "GET /api/v0/traces/<traceId>". See https://mackerel.io/api-docs/entry/traces .

   Examples:
     mkr traces get 0123456789abcdef0123456789abcdef
     mkr traces get --jq '.spans[].name' 0123456789abcdef0123456789abcdef`,
			Flags: []cli.Flag{cmdutil.JQFlag()},
			Action: func(c *cli.Context) error {
				if c.NArg() != 1 {
					return cmdutil.UsageError(c, "traces get needs exactly one <traceId>")
				}
				return runGet(c.Context, f, c.Args().First(), cmdutil.PrintOptionsFrom(c))
			},
		}},
	}
}

func runGet(ctx context.Context, f *cmdutil.Factory, id string, opts cmdutil.PrintOptions) error {
	cl, err := f.Client(ctx)
	if err != nil {
		return err
	}
	raw, err := cl.GetTrace(ctx, id)
	var ae *client.APIError
	if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
		return fmt.Errorf("trace %s not found (%s)", id, ae.Message)
	} else if err != nil {
		return err
	}
	// Numbers stay as written (json.Number): span attributes may hold
	// 64-bit integers a float64 would round.
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return f.Printer(opts).Print(cmdutil.Output{JSON: v})
}
