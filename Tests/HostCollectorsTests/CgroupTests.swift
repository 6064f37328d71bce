import EdgewatchCore
import HostCollectors
import HostFS
import Testing

@Suite("cgroups: naming, parsers, layouts")
struct CgroupTests {
    @Test("kubelet's cgroup names for both drivers")
    func naming() {
        #expect(KubepodsNaming.podUID("kubepods-burstable-pod7d9f2a3c_1b2e_4c5d_8e9f_0a1b2c3d4e5f.slice") == "7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f")
        #expect(KubepodsNaming.podUID("kubepods-pod0b1c2d3e_4f50_6172_8394_a5b6c7d8e9f0.slice") == "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0")
        #expect(KubepodsNaming.podUID("pod7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f") == "7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f")
        #expect(KubepodsNaming.podUID("kubepods-burstable.slice") == nil)
        #expect(KubepodsNaming.podUID("podman") == nil)
        let id = String(repeating: "ab", count: 32)
        #expect(KubepodsNaming.containerID("cri-containerd-\(id).scope") == id)
        #expect(KubepodsNaming.containerID("crio-\(id).scope") == id)
        #expect(KubepodsNaming.containerID(id) == id)
        #expect(KubepodsNaming.containerID("cri-containerd-xyz.scope") == nil)
    }

    @Test("io.stat, blkio, cpu.max, cpu.weight and keyed files")
    func parsers() {
        let io = CgroupFileParsers.ioStat("8:0 rbytes=1024 wbytes=2048 rios=1 wios=2 dbytes=0 dios=0\n179:0 rbytes=5 wbytes=6\ngarbage\n")
        #expect(io["8:0"]?.read == 1024 && io["8:0"]?.write == 2048)
        #expect(io["179:0"]?.write == 6)
        #expect(io.count == 2)
        let blkio = CgroupFileParsers.blkioServiceBytes("8:0 Read 10\n8:0 Write 20\n8:0 Total 30\nTotal 30\n")
        #expect(blkio["8:0"]?.read == 10 && blkio["8:0"]?.write == 20)
        #expect(CgroupFileParsers.cpuMax("max 100000\n").quota == nil)
        #expect(CgroupFileParsers.cpuMax("50000 100000\n").quota == 50000)
        #expect(CgroupFileParsers.shares(fromWeight: 100) == 2597)
        #expect(CgroupFileParsers.shares(fromWeight: 1) == 2)
        #expect(CgroupFileParsers.shares(fromWeight: 10000) == 262_144)
        #expect(CgroupFileParsers.values("usage_usec 12\nbad line here\nnr_periods x\n", ["usage_usec", "nr_periods", "bad"]) == [12, nil, nil])
        #expect(CgroupFileParsers.values("anon 1\nanon_thp 2\nfile 3\nanon 4\n", ["anon", "file", "shmem"]) == [4, 3, nil])
        #expect(CgroupFileParsers.single("max\n") == nil)
    }

    @Test("layout detection: v2 unified, v1 with co-mounted cpu,cpuacct, hybrid as v1, none")
    func layouts() throws {
        let v2 = try TemporaryTree()
        try v2.write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n")
        #expect(CgroupHierarchy.detect(FileTree(root: v2.root + "/sys"))?.version == .v2)
        let v1 = try TemporaryTree()
        try v1.write("sys/fs/cgroup/memory/memory.usage_in_bytes", "1\n")
        try v1.write("sys/fs/cgroup/cpu,cpuacct/cpu.shares", "1024\n")
        try v1.write("sys/fs/cgroup/unified/cgroup.procs", "")
        let hierarchy = try #require(CgroupHierarchy.detect(FileTree(root: v1.root + "/sys")))
        #expect(hierarchy.version == .v1)
        #expect(hierarchy.controllers["cpuacct"] == "fs/cgroup/cpu,cpuacct")
        #expect(hierarchy.controllers["cpu"] == "fs/cgroup/cpu,cpuacct")
        let none = try TemporaryTree()
        #expect(CgroupHierarchy.detect(FileTree(root: none.root + "/sys")) == nil)
    }

    @Test("pod and container names from kubelet's log trees, ids when unknown")
    func names() throws {
        let tree = try TemporaryTree()
        let uid = "7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f"
        let container = String(repeating: "4f", count: 32)
        try tree.write("root/var/log/pods/kube-system_coredns-6799fbcd5-x7k2p_\(uid)/coredns/0.log", "x\n")
        try tree.link("root/var/log/containers/coredns-6799fbcd5-x7k2p_kube-system_coredns-\(container).log", to: "/var/log/pods/x")
        try tree.write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n")
        try tree.write("sys/fs/cgroup/kubepods/burstable/pod\(uid)/\(container)/memory.current", "100\n")
        try tree.write("sys/fs/cgroup/kubepods/burstable/pod\(uid)/\(String(repeating: "9a", count: 32))/memory.current", "7\n")
        try tree.write("sys/fs/cgroup/kubepods/burstable/pod\(uid)/memory.current", "107\n")
        try tree.write("sys/fs/cgroup/kubepods/besteffort/podffffffff-0000-1111-2222-333333333333/memory.current", "3\n")
        let (metrics, _, error) = run(CgroupCollector(), tree.context())
        #expect(error == nil)
        #expect(
            metrics.value(
                "container_memory_usage_bytes",
                [
                    "id": "/kubepods/burstable/pod\(uid)/\(container)", "namespace": "kube-system", "pod": "coredns-6799fbcd5-x7k2p",
                    "container": "coredns",
                ]
            ) == 100
        )
        #expect(
            metrics.value(
                "container_memory_usage_bytes",
                ["id": "/kubepods/burstable/pod\(uid)", "namespace": "kube-system", "pod": "coredns-6799fbcd5-x7k2p", "container": ""]
            ) == 107
        )
        #expect(
            metrics.value(
                "container_memory_usage_bytes",
                [
                    "id": "/kubepods/besteffort/podffffffff-0000-1111-2222-333333333333", "namespace": "",
                    "pod": "ffffffff-0000-1111-2222-333333333333", "container": "",
                ]
            ) == 3
        )
        #expect(metrics.count("container_memory_usage_bytes") == 4, "two containers, two pods; the kubepods and QoS levels have no files here")
    }
}
