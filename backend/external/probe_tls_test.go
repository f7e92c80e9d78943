package external_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mkr-dev/mkr/backend/external"
)

// testCA issues certificates for 127.0.0.1 with chosen validity windows.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pool *x509.CertPool
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mkr test CA"},
		NotBefore:             probeNow.AddDate(-1, 0, 0),
		NotAfter:              probeNow.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &testCA{cert: cert, key: key, pool: pool}
}

// server starts an HTTPS server whose leaf certificate is valid until
// notAfter.
func (ca *testCA) server(t *testing.T, notAfter time.Time) *httptest.Server {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    probeNow.AddDate(0, 0, -30),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("secure ok"))
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	quietTLSErrors(srv)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// trusting returns Options whose probes trust ca.
func (ca *testCA) trusting() external.Options {
	return external.Options{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.pool}}}
}

func TestProbeCertificateExpiry(t *testing.T) {
	ca := newTestCA(t)
	day := 24 * time.Hour
	tests := []struct {
		name               string
		left               time.Duration
		warning, critical  *int64
		skipVerification   bool
		status, message    string
		messagePrefixMatch bool
	}{
		{"no thresholds", 3*day + time.Hour, nil, nil, false, "OK", "200", false},
		{"outside both windows", 30 * day, int64p(14), int64p(7), false, "OK", "200", false},
		{"inside the warning window", 3*day + time.Hour, int64p(7), int64p(2), false, "WARNING", "certificate expires in 3 days", false},
		{"inside the critical window", 3*day + time.Hour, int64p(7), int64p(5), false, "CRITICAL", "certificate expires in 3 days", false},
		{"critical only", 3*day + time.Hour, nil, int64p(4), false, "CRITICAL", "certificate expires in 3 days", false},
		{"exactly the threshold is not inside", 3 * day, int64p(3), nil, false, "OK", "200", false},
		{"a second less is", 3*day - time.Second, int64p(3), nil, false, "WARNING", "certificate expires in 2 days", false},
		{"one day left", day + time.Hour, int64p(7), nil, false, "WARNING", "certificate expires in 1 day", false},
		{"expired, verified", -time.Hour, int64p(7), int64p(3), false, "CRITICAL", "certificate verification failed: certificate has expired or is not yet valid", true},
		{"expired, not verified", -time.Hour, int64p(7), int64p(3), true, "CRITICAL", "certificate has expired", false},
		{"expired, not verified, no thresholds", -time.Hour, nil, nil, true, "OK", "200", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := ca.server(t, probeNow.Add(tt.left))
			m := externalMonitor(srv.URL)
			m.ContainsString = "secure"
			m.CertificationExpirationWarning, m.CertificationExpirationCritical = tt.warning, tt.critical
			m.SkipCertificateVerification = tt.skipVerification
			got := external.Probe(context.Background(), m, probeNow, ca.trusting())
			if tt.messagePrefixMatch {
				if got.Status != tt.status || !strings.HasPrefix(got.Message, tt.message) {
					t.Errorf("status, message = %q, %q; want %q, %q…", got.Status, got.Message, tt.status, tt.message)
				}
				return
			}
			checkResult(t, got, tt.status, tt.message, true)
		})
	}
}

// The certificate is judged at the probe's now, not at the wall clock: the
// same server is fine today and inside the window a week later.
func TestProbeCertificateJudgedAtNow(t *testing.T) {
	ca := newTestCA(t)
	srv := ca.server(t, probeNow.AddDate(0, 0, 10))
	m := externalMonitor(srv.URL)
	m.CertificationExpirationWarning = int64p(7)

	got := external.Probe(context.Background(), m, probeNow, ca.trusting())
	checkResult(t, got, "OK", "200", true)

	later := external.Probe(context.Background(), m, probeNow.AddDate(0, 0, 5), ca.trusting())
	if later.Status != "WARNING" || later.Message != "certificate expires in 5 days" {
		t.Errorf("five days later: %q, %q; want WARNING, certificate expires in 5 days", later.Status, later.Message)
	}
}

func TestProbeSelfSignedCertificate(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	quietTLSErrors(srv)
	srv.StartTLS()
	t.Cleanup(srv.Close)

	m := externalMonitor(srv.URL)
	got := external.Probe(context.Background(), m, probeNow, external.Options{})
	checkResult(t, got, "CRITICAL", "certificate verification failed: certificate signed by unknown authority", false)

	m.SkipCertificateVerification = true
	got = external.Probe(context.Background(), m, probeNow, external.Options{})
	checkResult(t, got, "OK", "200", true)
}

// A certificate for another name fails verification even from a trusted CA.
func TestProbeCertificateForAnotherHost(t *testing.T) {
	ca := newTestCA(t)
	srv := ca.server(t, probeNow.AddDate(0, 1, 0))
	url := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	got := external.Probe(context.Background(), externalMonitor(url), probeNow, ca.trusting())
	if got.Status != "CRITICAL" || !strings.HasPrefix(got.Message, "certificate verification failed: certificate is not valid for any names, but wanted to match localhost") {
		t.Errorf("got %q, %q", got.Status, got.Message)
	}
}

// quietTLSErrors keeps the handshakes these tests fail on purpose out of
// the test log.
func quietTLSErrors(srv *httptest.Server) {
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
}

// A wrong body outranks a certificate about to expire: both are reported
// by the first failing check, and the body is checked first.
func TestProbeBodyBeforeCertificate(t *testing.T) {
	ca := newTestCA(t)
	srv := ca.server(t, probeNow.AddDate(0, 0, 3).Add(time.Hour))
	m := externalMonitor(srv.URL)
	m.ContainsString = "a very long string that the page would have to contain, longer than sixty-four characters"
	m.CertificationExpirationWarning = int64p(7)
	got := external.Probe(context.Background(), m, probeNow, ca.trusting())
	checkResult(t, got, "CRITICAL", `body does not contain "a very long string that the page would have to contain, longer t…"`, true)
}

// Probes clone the transport they are given: skipping verification for one
// monitor must not leak into the caller's transport or the next probe.
func TestProbeLeavesTheTransportAlone(t *testing.T) {
	ca := newTestCA(t)
	srv := ca.server(t, probeNow.AddDate(0, 1, 0))
	opts := external.Options{Transport: &http.Transport{TLSClientConfig: &tls.Config{}}} // trusts nothing
	skip := externalMonitor(srv.URL)
	skip.SkipCertificateVerification = true
	checkResult(t, external.Probe(context.Background(), skip, probeNow, opts), "OK", "200", true)

	if opts.Transport.TLSClientConfig.InsecureSkipVerify || opts.Transport.TLSClientConfig.Time != nil {
		t.Errorf("the caller's TLS config was changed: %+v", opts.Transport.TLSClientConfig)
	}
	verify := externalMonitor(srv.URL)
	checkResult(t, external.Probe(context.Background(), verify, probeNow, opts), "CRITICAL", "certificate verification failed: certificate signed by unknown authority", false)
}
