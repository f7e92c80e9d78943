package host_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mkr-dev/mkr/backend/store"
)

// cpuFlags is a modern x86 flags line of /proc/cpuinfo: the agent sends it
// for every logical CPU, and it is most of a host's meta.
var cpuFlags = strings.Join([]string{
	"fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2",
	"ss ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid tsc_known_freq",
	"pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c",
	"rdrand hypervisor lahf_lm abm 3dnowprefetch invpcid_single ssbd ibrs ibpb stibp ibrs_enhanced fsgsbase",
	"tsc_adjust bmi1 avx2 smep bmi2 erms invpcid avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb",
	"avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves wbnoinvd ida arat avx512vbmi pku ospke",
	"avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg tme avx512_vpopcntdq rdpid md_clear flush_l1d",
	"arch_capabilities",
}, " ")

// agentMeta is host i's meta as mackerel-agent 0.87 on a 24-vCPU cloud VM
// sends it (about 28 KB): every logical CPU with its flags, the memory
// lines of /proc/meminfo, a dozen filesystems and block devices, the
// kernel and the EC2 metadata. Numbers vary by host so no two are equal.
func agentMeta(i int) ([]byte, error) {
	cpus := make([]map[string]string, 24)
	for c := range cpus {
		cpus[c] = map[string]string{
			"vendor_id": "GenuineIntel", "family": "6", "model": "106", "stepping": "6",
			"model_name":  "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz",
			"physical_id": "0", "core_id": fmt.Sprint(c / 2), "cores": "12",
			"cache_size": "55296 KB", "mhz": fmt.Sprintf("%d.%03d", 2900+i%7, c*37%1000),
			"flags": cpuFlags,
		}
	}
	memory := map[string]string{}
	for k, key := range []string{"total", "free", "available", "buffers", "cached", "swap_cached", "active",
		"inactive", "active_anon", "inactive_anon", "active_file", "inactive_file", "unevictable", "mlocked",
		"swap_total", "swap_free", "dirty", "writeback", "anon_pages", "mapped", "shmem", "kreclaimable",
		"slab", "sreclaimable", "sunreclaim", "kernel_stack", "page_tables", "nfs_unstable", "bounce",
		"writeback_tmp", "commit_limit", "committed_as", "vmalloc_total", "vmalloc_used", "vmalloc_chunk",
		"hardware_corrupted", "anon_huge_pages", "huge_pages_total", "huge_pages_free", "hugepagesize"} {
		memory[key] = fmt.Sprintf("%dkB", 64031232/(k+1)+i)
	}
	filesystem := map[string]any{}
	blockDevice := map[string]any{}
	for d := range 12 {
		dev := fmt.Sprintf("nvme%dn1", d)
		size := int64(104857600) * int64(d+1)
		used := size/3 + int64(i)
		filesystem["/dev/"+dev+"p1"] = map[string]any{
			"kb_size": size, "kb_used": used, "kb_available": size - used,
			"percent_used": fmt.Sprintf("%d%%", used*100/size), "mount": fmt.Sprintf("/data/%02d", d),
		}
		blockDevice[dev] = map[string]string{
			"size": fmt.Sprint(size * 2), "removable": "0", "model": "Amazon Elastic Block Store",
			"rev": "1.0", "state": "live", "timeout": "30", "vendor": "NVMe",
		}
	}
	return json.Marshal(map[string]any{
		"agent-name":     "mackerel-agent/0.87.0 (Revision 1a2b3c4)",
		"agent-revision": "1a2b3c4",
		"agent-version":  "0.87.0",
		"cpu":            cpus,
		"memory":         memory,
		"filesystem":     filesystem,
		"block_device":   blockDevice,
		"kernel": map[string]string{
			"name": "Linux", "release": "6.8.0-1015-aws", "machine": "x86_64", "os": "GNU/Linux",
			"version": "#16~22.04.1-Ubuntu SMP Mon Aug 19 19:38:17 UTC 2024", "platform_name": "Ubuntu",
			"platform_version": "22.04",
		},
		"cloud": map[string]any{"provider": "ec2", "metadata": map[string]string{
			"instance-id": fmt.Sprintf("i-0%016x", i), "instance-type": "m6i.6xlarge",
			"placement/availability-zone": "ap-northeast-1a", "security-groups": "default web",
			"ami-id": "ami-0123456789abcdef0", "hostname": fmt.Sprintf("ip-10-1-%d-%d", i>>8&255, i&255),
			"local-hostname": fmt.Sprintf("ip-10-1-%d-%d.ap-northeast-1.compute.internal", i>>8&255, i&255),
			"local-ipv4":     fmt.Sprintf("10.1.%d.%d", i>>8&255, i&255),
			"reservation-id": fmt.Sprintf("r-0%016x", i),
		}},
	})
}

// agentInterfaces is host i's interfaces as the server stores an agent's:
// eth0 and docker0, each with its derived ipAddress.
func agentInterfaces(i int) ([]byte, error) {
	ip := fmt.Sprintf("10.1.%d.%d", i>>8&255, i&255)
	return json.Marshal([]map[string]any{
		{"name": "eth0", "ipAddress": ip, "ipv4Addresses": []string{ip}, "ipv6Addresses": []string{fmt.Sprintf("fe80::%x:1", i)},
			"macAddress": fmt.Sprintf("06:00:00:%02x:%02x:%02x", i>>16&255, i>>8&255, i&255)},
		{"name": "docker0", "ipAddress": "172.17.0.1", "ipv4Addresses": []string{"172.17.0.1"},
			"macAddress": fmt.Sprintf("02:42:00:%02x:%02x:%02x", i>>16&255, i>>8&255, i&255)},
	})
}

// seedAgentFleet registers n hosts with agent meta. Each host has two
// roles of one service (so upstream's role order, which follows Go map
// iteration over services, is deterministic and the outputs compare byte
// for byte); a quarter are standby, one in 50 in maintenance (listed only
// with --status) and one in 100 retired (never listed).
func seedAgentFleet(ctx context.Context, st store.Store, n int) error {
	var retired []string
	for i := range n {
		meta, err := agentMeta(i)
		if err != nil {
			return err
		}
		ifaces, err := agentInterfaces(i)
		if err != nil {
			return err
		}
		status := "working"
		switch {
		case i%50 == 7:
			status = "maintenance"
		case i%4 == 3:
			status = "standby"
		}
		svc := fmt.Sprintf("service-%02d", i%10)
		id, err := st.CreateHost(ctx, store.NewHost{
			Name:   fmt.Sprintf("ip-10-1-%d-%d.ap-northeast-1.compute.internal", i>>8&255, i&255),
			Status: status, Meta: meta, Interfaces: ifaces,
			Roles: []store.RoleRef{{Service: svc, Role: fmt.Sprintf("role-%d", i%5)}, {Service: svc, Role: "web"}},
		})
		if err != nil {
			return fmt.Errorf("seeding host %d: %w", i, err)
		}
		if i%100 == 42 {
			retired = append(retired, id)
		}
	}
	return st.InTx(ctx, func(tx store.Tx) error { return tx.RetireHosts(ctx, retired, tx.Now().Unix()) })
}
