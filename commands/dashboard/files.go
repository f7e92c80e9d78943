package dashboard

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/mkr-dev/mkr/client"
)

// filePattern names pulled files: dashboard-<id>.json, as upstream.
const filePattern = "dashboard-*.json"

func fileName(dir, id string) string { return filepath.Join(dir, "dashboard-"+id+".json") }

// writeFile writes a dashboard as upstream's pull does: 4-space indent, no
// trailing newline, key order and every field as the server answered.
func writeFile(path string, d *client.Dashboard) error {
	raw, err := d.MarshalJSON()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, raw, "", "    "); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// localFile is one dashboard file.
type localFile struct {
	path string
	d    *client.Dashboard
}

// readFiles reads the given files, or every dashboard-*.json in dir when
// none are given. A file without a "widgets" array is refused: upstream
// mkr's pull without --id wrote "widgets": null, and pushing it would
// empty the dashboard.
func readFiles(dir string, paths []string) ([]localFile, error) {
	if len(paths) == 0 {
		var err error
		if paths, err = filepath.Glob(filepath.Join(dir, filePattern)); err != nil {
			return nil, err
		}
		sort.Strings(paths)
	}
	out := make([]localFile, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		d, err := client.NewDashboard(stripBOM(data))
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", p, err)
		}
		if !d.HasWidgets() {
			return nil, fmt.Errorf(`reading %s: "widgets" is not a list (upstream mkr's pull without --id saved "widgets": null); pull the dashboard again`, p)
		}
		out = append(out, localFile{p, d})
	}
	return out, nil
}

func stripBOM(data []byte) []byte { return bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF}) }
