package cmdutil

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/big"

	"github.com/itchyny/gojq"
)

// RunJQ applies a gojq query to v (normalised through JSON, numbers kept as
// json.Number so no precision is lost) and prints each result on its own
// line: strings raw, null as an empty line, objects and arrays as compact
// JSON, numbers in full (upstream rounds to two decimals).
func RunJQ(w io.Writer, query string, v any) error {
	code, err := CompileJQ(query)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var input any
	if err := dec.Decode(&input); err != nil {
		return err
	}
	iter := code.Run(input)
	for {
		result, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := result.(error); ok {
			if _, halt := err.(*gojq.HaltError); halt {
				return nil
			}
			// %v, not %w: gojq's errors carry ExitCode() (5), which
			// exitCode would otherwise take for a cli.ExitCoder.
			return fmt.Errorf("jq: %v", err)
		}
		line, err := JQLine(result)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintln(w, line); err != nil {
			return err
		}
	}
}

func JQLine(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case bool:
		return fmt.Sprint(x), nil
	case json.Number:
		return x.String(), nil
	case int, float64, *big.Int:
		b, err := gojq.Marshal(x)
		return string(b), err
	default:
		b, err := json.Marshal(x)
		return string(b), err
	}
}

// CompileJQ parses and compiles a --jq query.
func CompileJQ(query string) (*gojq.Code, error) {
	q, err := gojq.Parse(query)
	if err != nil {
		return nil, FlagErrorf("invalid --jq query: %v", err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, FlagErrorf("invalid --jq query: %v", err)
	}
	return code, nil
}
