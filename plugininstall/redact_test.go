package plugininstall_test

import (
	"context"
	"strings"
	"testing"

	"github.com/mkr-dev/mkr/plugininstall"
)

// Credentials in a plugin URL are used for the download but never logged
// or stored in the install record.
func TestInstallFromURLWithCredentialsRedactsThem(t *testing.T) {
	t.Parallel()
	gh := newFakeGitHub(t)
	gh.assets["/dl/check-secret_linux_amd64.tar.gz"] = makeTarGz(t, exe("check-secret", "x"))
	prefix := t.TempDir()
	logs := &logLines{}
	in := mustNew(t, gh.config(prefix, logs))
	target := strings.Replace(gh.srv.URL, "http://", "http://deploy:s3cr3t-pw@", 1) + "/dl/check-secret_linux_amd64.tar.gz"
	if err := in.Install(context.Background(), []string{target}, plugininstall.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	all := strings.Join(logs.all(), "\n")
	if strings.Contains(all, "s3cr3t-pw") || strings.Contains(all, "deploy") || !strings.Contains(all, "[REDACTED]@") {
		t.Errorf("install logs show the URL's user-info:\n%s", all)
	}
	found := false
	for name, content := range tree(t, prefix+"/meta") {
		if strings.HasSuffix(name, "install.json") {
			found = true
			if strings.Contains(content, "s3cr3t-pw") || strings.Contains(content, "deploy") {
				t.Errorf("%s stores the URL's user-info:\n%s", name, content)
			}
		}
	}
	if !found {
		t.Error("no install.json written")
	}
}
