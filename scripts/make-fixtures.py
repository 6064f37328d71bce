#!/usr/bin/env python3
"""Builds the fixture trees under Tests/EdgewatchE2ETests/Fixtures/<board>/{proc,sys,root}.

The trees are committed; this script documents how they were made and rebuilds them
(run it, then `UPDATE_GOLDEN=1 make test` to refresh the golden files). Contents are
modelled on real boards: a Raspberry Pi 4 running k3s, a Jetson Orin Nano and an x86 server.
"""
import os, shutil, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "Tests", "EdgewatchE2ETests", "Fixtures")


class Tree:
    def __init__(self, base):
        self.base = base

    def write(self, rel, text, binary=False):
        path = os.path.join(self.base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb" if binary else "w") as f:
            f.write(text)

    def link(self, rel, target):
        path = os.path.join(self.base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.symlink(target, path)

    def mkdir(self, rel):
        os.makedirs(os.path.join(self.base, rel), exist_ok=True)


def proc_stat(cpus, intr, ctxt, btime, processes, running, blocked):
    total = [sum(c[i] for c in cpus) for i in range(10)]
    lines = ["cpu  " + " ".join(str(v) for v in total)]
    for i, c in enumerate(cpus):
        lines.append(f"cpu{i} " + " ".join(str(v) for v in c))
    lines += [f"intr {intr} 0 0 0 0 0 {intr // 3} 0 {intr // 5}", f"ctxt {ctxt}", f"btime {btime}",
              f"processes {processes}", f"procs_running {running}", f"procs_blocked {blocked}",
              "softirq 4826519 12 1249402 291 219372 0 0 1018212 1210381 0 1128849"]
    return "\n".join(lines) + "\n"


def meminfo(entries):
    out = []
    for key, value, unit in entries:
        out.append(f"{key + ':':<16}{value:>8}" + (" kB" if unit else ""))
    return "\n".join(out) + "\n"


def net_dev(rows):
    head = ("Inter-|   Receive                                                |  Transmit\n"
            " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n")
    body = ""
    for name, rx, tx in rows:
        body += f"{name:>6}: " + " ".join(f"{v:>8}" for v in rx) + " " + " ".join(f"{v:>8}" for v in tx) + "\n"
    return head + body


def netclass(sys_tree, name, devpath, attrs):
    """attrs: dict of sysfs file -> value; None values are left out (unreadable)."""
    base = f"devices/{devpath}/net/{name}"
    for key, value in attrs.items():
        if value is not None:
            sys_tree.write(f"{base}/{key}", f"{value}\n")
    depth = "../../"
    sys_tree.link(f"class/net/{name}", depth + base)


def iface(mac, index, mtu, state, speed=None, duplex=None, carrier=None, changes=None, kind=1, flags="0x1003",
          name_assign=None, qlen=1000, alias="", iflink=None, broadcast="ff:ff:ff:ff:ff:ff", assign=0):
    attrs = {
        "addr_assign_type": assign, "addr_len": 6, "address": mac, "broadcast": broadcast,
        "dev_id": "0x0", "dev_port": 0, "dormant": 0, "flags": flags, "ifalias": alias,
        "ifindex": index, "iflink": iflink if iflink is not None else index, "link_mode": 0, "mtu": mtu,
        "netdev_group": 0, "operstate": state, "proto_down": 0, "tx_queue_len": qlen, "type": kind,
    }
    if name_assign is not None:
        attrs["name_assign_type"] = name_assign
    if carrier is not None:
        attrs["carrier"] = carrier
        c_up, c_down = changes or (1, 0)
        attrs["carrier_changes"] = c_up + c_down
        attrs["carrier_up_count"] = c_up
        attrs["carrier_down_count"] = c_down
    if speed is not None:
        attrs["speed"] = speed
    if duplex is not None:
        attrs["duplex"] = duplex
    return attrs


def cpufreq_policy(sys_tree, policy, cpus, cur, lo, hi, governor, available, cpuinfo_cur=True, driver="cpufreq-dt"):
    base = f"devices/system/cpu/cpufreq/{policy}"
    sys_tree.write(f"{base}/scaling_driver", driver + "\n")
    sys_tree.write(f"{base}/scaling_setspeed", "<unsupported>\n")
    sys_tree.write(f"{base}/affected_cpus", " ".join(str(c) for c in cpus) + "\n")
    if cpuinfo_cur:
        sys_tree.write(f"{base}/cpuinfo_cur_freq", f"{cur}\n")
    sys_tree.write(f"{base}/cpuinfo_max_freq", f"{hi}\n")
    sys_tree.write(f"{base}/cpuinfo_min_freq", f"{lo}\n")
    sys_tree.write(f"{base}/cpuinfo_transition_latency", "355000\n")
    sys_tree.write(f"{base}/scaling_cur_freq", f"{cur}\n")
    sys_tree.write(f"{base}/scaling_max_freq", f"{hi}\n")
    sys_tree.write(f"{base}/scaling_min_freq", f"{lo}\n")
    sys_tree.write(f"{base}/scaling_governor", f"{governor}\n")
    sys_tree.write(f"{base}/scaling_available_governors", available + "\n")
    sys_tree.write(f"{base}/related_cpus", " ".join(str(c) for c in cpus) + "\n")
    for c in cpus:
        sys_tree.link(f"devices/system/cpu/cpu{c}/cpufreq", f"../cpufreq/{policy}")


def topology(sys_tree, cpu, package, core):
    sys_tree.write(f"devices/system/cpu/cpu{cpu}/topology/physical_package_id", f"{package}\n")
    sys_tree.write(f"devices/system/cpu/cpu{cpu}/topology/core_id", f"{core}\n")


def thermal_zone(sys_tree, n, kind, temp, policy="step_wise"):
    base = f"devices/virtual/thermal/thermal_zone{n}"
    sys_tree.write(f"{base}/type", kind + "\n")
    sys_tree.write(f"{base}/temp", f"{temp}\n")
    sys_tree.write(f"{base}/policy", policy + "\n")
    sys_tree.write(f"{base}/mode", "enabled\n")
    sys_tree.link(f"class/thermal/thermal_zone{n}", f"../../{base}")
    return base


def cooling_device(sys_tree, n, kind, cur, hi):
    base = f"devices/virtual/thermal/cooling_device{n}"
    sys_tree.write(f"{base}/type", kind + "\n")
    sys_tree.write(f"{base}/cur_state", f"{cur}\n")
    sys_tree.write(f"{base}/max_state", f"{hi}\n")
    sys_tree.link(f"class/thermal/cooling_device{n}", f"../../{base}")


def hwmon(sys_tree, n, device_path, name, files, device_link=True):
    """device_path: the parent device under devices/; the hwmon dir lives at <device_path>/hwmon/hwmonN."""
    base = f"devices/{device_path}/hwmon/hwmon{n}"
    sys_tree.write(f"{base}/name", name + "\n")
    for key, value in files.items():
        sys_tree.write(f"{base}/{key}", f"{value}\n")
    if device_link:
        sys_tree.link(f"{base}/device", "../../../" + device_path.split("/")[-1])
    sys_tree.link(f"class/hwmon/hwmon{n}", f"../../{base}")


def mounts(proc_tree, rows):
    """rows: (device, mountpoint, fstype, options, major:minor)"""
    info, plain = [], []
    for i, (dev, mnt, fstype, opts, majmin) in enumerate(rows):
        mid, parent = 20 + i, 1 if i == 0 else 20
        info.append(f"{mid} {parent} {majmin} / {mnt} {opts} shared:{i + 1} - {fstype} {dev} {opts}")
        plain.append(f"{dev} {mnt} {fstype} {opts} 0 0")
    proc_tree.write("1/mountinfo", "\n".join(info) + "\n")
    proc_tree.write("1/mounts", "\n".join(plain) + "\n")


def common_proc(proc, boot_id, entropy=256, filenr=(1856, 0, 9223372036854775807)):
    proc.write("sys/kernel/random/boot_id", boot_id + "\n")
    proc.write("sys/kernel/random/entropy_avail", f"{entropy}\n")
    proc.write("sys/kernel/random/poolsize", "256\n")
    proc.write("sys/fs/file-nr", f"{filenr[0]}\t{filenr[1]}\t{filenr[2]}\n")


VMSTAT_COMMON = [("nr_free_pages", 512345), ("nr_zone_inactive_anon", 2345), ("nr_dirty", 12),
                 ("pgpgin", 1843112), ("pgpgout", 9923840), ("pswpin", 0), ("pswpout", 0),
                 ("pgalloc_normal", 88812345), ("pgfree", 90123456), ("pgactivate", 123456),
                 ("pgfault", 251234567), ("pgmajfault", 4567), ("pgrefill", 0),
                 ("pgsteal_kswapd", 0), ("oom_kill", 2), ("thp_fault_alloc", 0)]


def vmstat(extra=()):
    return "".join(f"{k} {v}\n" for k, v in list(VMSTAT_COMMON) + list(extra))


def sockstat(used, tcp, udp):
    return (f"sockets: used {used}\nTCP: inuse {tcp[0]} orphan {tcp[1]} tw {tcp[2]} alloc {tcp[3]} mem {tcp[4]}\n"
            f"UDP: inuse {udp[0]} mem {udp[1]}\nUDPLITE: inuse 0\nRAW: inuse 0\nFRAG: inuse 0 memory 0\n")


SOCKSTAT6 = "TCP6: inuse 14\nUDP6: inuse 4\nUDPLITE6: inuse 0\nRAW6: inuse 1\nFRAG6: inuse 0 memory 0\n"


POD_A = ("7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f", "kube-system", "coredns-6799fbcd5-x7k2p", "coredns")
POD_B = ("0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "monitoring", "edgewatch-agent-qz9lm", "agent")
CID_A = "4f1c2e9a8b7d6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e"
CID_A_PAUSE = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d"
CID_B = "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b"


def kubelet_logs(root, pods):
    """var/log/pods/<ns>_<pod>_<uid>/<container>/0.log and var/log/containers/<pod>_<ns>_<container>-<id>.log links."""
    for (uid, namespace, pod, container), cid in pods:
        directory = f"var/log/pods/{namespace}_{pod}_{uid}/{container}"
        root.write(f"{directory}/0.log", "2026-11-25T04:00:00.000000000Z stdout F started\n")
        root.link(f"var/log/containers/{pod}_{namespace}_{container}-{cid}.log", f"/{directory}/0.log")


def cgroup_v2_files(sys_tree, path, usage, anon, file_, inactive_file, cpu_usec, periods, throttled, throttled_usec,
                    max_memory="max", cpu_max="max 100000", weight=100, pids=4, procs=(1,), oom_kill=0, io=None):
    files = {
        "cgroup.controllers": "cpuset cpu io memory pids",
        "cgroup.procs": "\n".join(str(p) for p in procs),
        "cpu.stat": f"usage_usec {cpu_usec}\nuser_usec {cpu_usec * 2 // 3}\nsystem_usec {cpu_usec // 3}\n"
                    f"core_sched.force_idle_usec 0\nnr_periods {periods}\nnr_throttled {throttled}\n"
                    f"throttled_usec {throttled_usec}\nnr_bursts 0\nburst_usec 0",
        "cpu.max": cpu_max,
        "cpu.weight": str(weight),
        "memory.current": str(usage),
        "memory.max": max_memory,
        "memory.stat": f"anon {anon}\nfile {file_}\nkernel 221184\nshmem 0\nactive_anon {anon}\n"
                       f"inactive_anon 0\nactive_file {file_ - inactive_file}\ninactive_file {inactive_file}\n"
                       f"unevictable 0\npgfault 12345\npgmajfault 12",
        "memory.swap.current": "0",
        "memory.events": f"low 0\nhigh 0\nmax {oom_kill * 3}\noom {oom_kill}\noom_kill {oom_kill}\noom_group_kill 0",
        "pids.current": str(pids),
        "io.stat": io or "179:0 rbytes=1310720 wbytes=40960 rios=40 wios=10 dbytes=0 dios=0",
    }
    for name, text in files.items():
        sys_tree.write(f"fs/cgroup{path}/{name}", text + "\n")


def cgroup_v1_files(sys_tree, path, usage, rss, cache, inactive_file, cpu_ns, periods, throttled, throttled_ns,
                    limit=9223372036854771712, quota=-1, period=100000, shares=1024, pids=3, procs=(1,), failcnt=0,
                    oom_kill=0, blkio="8:0 Read 2097152\n8:0 Write 524288\n8:0 Sync 0\n8:0 Async 0\n8:0 Total 2621440\nTotal 2621440"):
    per_controller = {
        "memory": {
            "memory.usage_in_bytes": str(usage), "memory.limit_in_bytes": str(limit), "memory.failcnt": str(failcnt),
            "memory.stat": f"cache {cache}\nrss {rss}\ntotal_cache {cache}\ntotal_rss {rss}\n"
                           f"total_inactive_file {inactive_file}\ntotal_active_file {cache - inactive_file}",
            "memory.oom_control": f"oom_kill_disable 0\nunder_oom 0\noom_kill {oom_kill}",
            "cgroup.procs": "\n".join(str(p) for p in procs),
        },
        "cpu,cpuacct": {
            "cpuacct.usage": str(cpu_ns), "cpuacct.stat": f"user {cpu_ns // 15000000}\nsystem {cpu_ns // 30000000}",
            "cpu.stat": f"nr_periods {periods}\nnr_throttled {throttled}\nthrottled_time {throttled_ns}",
            "cpu.cfs_quota_us": str(quota), "cpu.cfs_period_us": str(period), "cpu.shares": str(shares),
        },
        "blkio": {"blkio.throttle.io_service_bytes_recursive": blkio},
        "pids": {"pids.current": str(pids)},
    }
    for controller, files in per_controller.items():
        for name, text in files.items():
            sys_tree.write(f"fs/cgroup/{controller}{path}/{name}", text + "\n")


def tegra_gpu(sys_tree, device_path, name, node, cur_freq, max_freq, load):
    """A Tegra GPU as devfreq shows it: class/devfreq/<name> → the device's devfreq dir, whose
    `device` link leads to the platform device with `load` (per-mille) and `of_node/name`."""
    sys_tree.write(f"devices/{device_path}/load", f"{load}\n")
    sys_tree.write(f"devices/{device_path}/of_node/name", node + "\0", binary=False)
    sys_tree.write(f"devices/{device_path}/devfreq/{name}/cur_freq", f"{cur_freq}\n")
    sys_tree.write(f"devices/{device_path}/devfreq/{name}/max_freq", f"{max_freq}\n")
    sys_tree.write(f"devices/{device_path}/devfreq/{name}/governor", "nvhost_podgov\n")
    sys_tree.link(f"devices/{device_path}/devfreq/{name}/device", "../../../" + device_path.split("/")[-1])
    sys_tree.link(f"class/devfreq/{name}", f"../../devices/{device_path}/devfreq/{name}")


def jetson_xavier_jp4(base):
    """GPU-relevant parts of a Jetson Xavier NX on JetPack 4: gv11b, GPU-therm, ina3221x over iio."""
    proc, sysfs = Tree(f"{base}/proc"), Tree(f"{base}/sys")
    proc.write("device-tree/model", b"NVIDIA Jetson Xavier NX Developer Kit\x00", binary=True)
    tegra_gpu(sysfs, "17000000.gv11b", "17000000.gv11b", "gv11b", 114750000, 1109250000, 586)
    for n, (kind, temp) in enumerate([("CPU-therm", 44500), ("GPU-therm", 42000), ("AUX-therm", 43000)]):
        thermal_zone(sysfs, n, kind, temp)
    iio = "bus/i2c/drivers/ina3221x/7-0040/iio:device0"
    for channel, (rail, milliwatts) in enumerate([("VDD_IN", 4520), ("VDD_CPU_GPU_CV", 1220), ("VDD_SOC", 1410)]):
        sysfs.write(f"{iio}/rail_name_{channel}", rail + "\n")
        sysfs.write(f"{iio}/in_power{channel}_input", f"{milliwatts}\n")
    Tree(f"{base}/root").write("etc/hostname", "xavier-nx\n")


def amd_card(base):
    """An AMD Radeon RX 6400 beside an Intel iGPU: amdgpu's sysfs files and its hwmon."""
    sysfs = Tree(f"{base}/sys")
    Tree(f"{base}/proc").write("sys/kernel/random/boot_id", "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d\n")
    amd = "pci0000:00/0000:00:03.1/0000:0a:00.0"
    for key, value in [("vendor", "0x1002"), ("device", "0x743f"), ("gpu_busy_percent", "37"), ("mem_busy_percent", "12"),
                       ("mem_info_vram_used", "1073741824"), ("mem_info_vram_total", "4278190080"), ("product_name", "")]:
        sysfs.write(f"devices/{amd}/{key}", value + "\n")
    for key, value in [("name", "amdgpu"), ("temp1_input", "54000"), ("temp1_label", "edge"), ("power1_average", "18000000"),
                       ("freq1_input", "2100000000"), ("freq2_input", "1000000000")]:
        sysfs.write(f"devices/{amd}/hwmon/hwmon3/{key}", value + "\n")
    sysfs.write(f"devices/{amd}/drm/card0/dev", "226:0\n")
    sysfs.link(f"devices/{amd}/drm/card0/device", "../../../0000:0a:00.0")
    sysfs.link("class/drm/card0", f"../../devices/{amd}/drm/card0")
    sysfs.write(f"devices/{amd}/drm/card0/card0-HDMI-A-1/status", "connected\n")
    sysfs.link("class/drm/card0-HDMI-A-1", f"../../devices/{amd}/drm/card0/card0-HDMI-A-1")
    intel = "pci0000:00/0000:00:02.0"
    sysfs.write(f"devices/{intel}/vendor", "0x8086\n")
    sysfs.link(f"devices/{intel}/drm/card1/device", "../../../0000:00:02.0")
    sysfs.link("class/drm/card1", f"../../devices/{intel}/drm/card1")


def pi4(base):
    proc, sysfs, root = Tree(f"{base}/proc"), Tree(f"{base}/sys"), Tree(f"{base}/root")
    cpus = [[231402, 412, 98231, 8812345, 5621, 0, 3312, 0, 0, 0],
            [228811, 380, 96102, 8823012, 4410, 0, 1821, 0, 0, 0],
            [240123, 501, 99412, 8801123, 3912, 0, 1644, 0, 0, 0],
            [236601, 455, 97801, 8809987, 4102, 0, 1598, 0, 0, 0]]
    proc.write("stat", proc_stat(cpus, 182734561, 412398122, 1732512011, 1823412, 3, 0))
    proc.write("loadavg", "1.23 0.98 0.87 4/612 31337\n")
    proc.write("meminfo", meminfo([
        ("MemTotal", 3882236, 1), ("MemFree", 1021556, 1), ("MemAvailable", 2543124, 1), ("Buffers", 61452, 1),
        ("Cached", 1498112, 1), ("SwapCached", 0, 1), ("Active", 1612336, 1), ("Inactive", 878324, 1),
        ("Active(anon)", 902112, 1), ("Inactive(anon)", 32008, 1), ("Active(file)", 710224, 1),
        ("Inactive(file)", 846316, 1), ("Unevictable", 16, 1), ("Mlocked", 16, 1), ("SwapTotal", 102396, 1),
        ("SwapFree", 102396, 1), ("Zswap", 0, 1), ("Zswapped", 0, 1), ("Dirty", 244, 1), ("Writeback", 0, 1),
        ("AnonPages", 930912, 1), ("Mapped", 512344, 1), ("Shmem", 4508, 1), ("KReclaimable", 102236, 1),
        ("Slab", 180224, 1), ("SReclaimable", 102236, 1), ("SUnreclaim", 77988, 1), ("KernelStack", 9968, 1),
        ("PageTables", 14872, 1), ("SecPageTables", 0, 1), ("NFS_Unstable", 0, 1), ("Bounce", 0, 1),
        ("WritebackTmp", 0, 1), ("CommitLimit", 2043512, 1), ("Committed_AS", 3512008, 1),
        ("VmallocTotal", 261087232, 1), ("VmallocUsed", 21344, 1), ("VmallocChunk", 0, 1), ("Percpu", 3072, 1),
        ("CmaTotal", 524288, 1), ("CmaFree", 488124, 1)]))
    proc.write("vmstat", vmstat([("nr_unstable", 0)]))
    proc.write("diskstats", "".join(f"{l}\n" for l in [
        "   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
        "   7       0 loop0 112 0 2234 31 0 0 0 0 0 44 31 0 0 0 0 0 0",
        " 179       0 mmcblk0 48213 10221 3512234 312455 912334 801223 21334512 8123445 0 2012334 8501122 0 0 0 0 88123 65321",
        " 179       1 mmcblk0p1 412 1732 21234 2134 2 0 2 3 0 2211 2137 0 0 0 0 0 0",
        " 179       2 mmcblk0p2 47712 8489 3489012 310212 912332 801223 21334510 8123442 0 2009876 8433654 0 0 0 0 0 0",
        "   8       0 sda 8123 1201 912345 23451 45123 61234 3412356 412334 0 98123 436123 1234 0 812345 812 2312 4123",
    ]))
    mounts(proc, [
        ("/dev/root", "/", "ext4", "rw,noatime", "179:2"),
        ("devtmpfs", "/dev", "devtmpfs", "rw,relatime", "0:5"),
        ("proc", "/proc", "proc", "rw,relatime", "0:21"),
        ("sysfs", "/sys", "sysfs", "rw,nosuid,nodev,noexec,relatime", "0:20"),
        ("tmpfs", "/run", "tmpfs", "rw,nosuid,nodev", "0:23"),
        ("cgroup2", "/sys/fs/cgroup", "cgroup2", "rw,nosuid,nodev,noexec,relatime", "0:26"),
        ("/dev/mmcblk0p1", "/boot/firmware", "vfat", "rw,relatime", "179:1"),
        ("/dev/sda1", "/mnt/usb\\040ssd", "ext4", "ro,relatime", "8:1"),
        ("tmpfs", "/run/credentials/systemd-sysusers.service", "tmpfs", "ro,nosuid,nodev,noexec", "0:30"),
        ("shm", "/run/k3s/containerd/io.containerd.grpc.v1.cri/sandboxes/4f1c2e/shm", "tmpfs", "rw,nosuid,nodev,noexec", "0:52"),
        ("overlay", "/run/k3s/containerd/io.containerd.runtime.v2.task/k8s.io/4f1c2e/rootfs", "overlay", "rw,relatime", "0:53"),
        ("tmpfs", "/var/lib/kubelet/pods/7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f/volumes/kubernetes.io~projected/kube-api-access-x7k2p", "tmpfs", "rw,relatime", "0:54"),
    ])
    proc.write("net/dev", net_dev([
        ("lo", [81234512, 412345, 0, 0, 0, 0, 0, 0], [81234512, 412345, 0, 0, 0, 0, 0, 0]),
        ("eth0", [4123451234, 8123451, 0, 12, 0, 0, 0, 41234], [912345123, 3412345, 0, 0, 0, 0, 0, 0]),
        ("wlan0", [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]),
        ("flannel.1", [61234512, 412345, 0, 0, 0, 0, 0, 0], [51234512, 401234, 0, 0, 0, 0, 0, 0]),
        ("cni0", [712345123, 1234512, 0, 0, 0, 0, 0, 0], [812345123, 1334512, 0, 0, 0, 0, 0, 0]),
        ("veth3a4b5c6d", [112345, 1234, 0, 0, 0, 0, 0, 0], [212345, 2234, 0, 0, 0, 0, 0, 0]),
    ]))
    proc.write("net/sockstat", sockstat(412, (38, 0, 21, 45, 12), (9, 4)))
    proc.write("net/sockstat6", SOCKSTAT6)
    common_proc(proc, "6f1a9c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b")
    proc.write("device-tree/model", b"Raspberry Pi 4 Model B Rev 1.4\x00", binary=True)
    proc.write("device-tree/compatible", b"raspberrypi,4-model-b\x00brcm,bcm2711\x00", binary=True)
    # no /proc/pressure: Raspberry Pi OS kernels ship with PSI off unless psi=1

    for c in range(4):
        topology(sysfs, c, 0, c)
    cpufreq_policy(sysfs, "policy0", [0, 1, 2, 3], 1500000, 600000, 1800000, "ondemand",
                   "conservative ondemand userspace powersave performance schedutil")
    sysfs.write("devices/system/clocksource/clocksource0/available_clocksource", "arch_sys_counter \n")
    sysfs.write("devices/system/clocksource/clocksource0/current_clocksource", "arch_sys_counter\n")
    zone = thermal_zone(sysfs, 0, "cpu-thermal", 52582)
    cooling_device(sysfs, 0, "rpi-poe-fan", 2, 4)
    hwmon(sysfs, 0, "virtual/thermal/thermal_zone0", "cpu_thermal", {"temp1_input": 52582, "temp1_crit": 110000})
    hwmon(sysfs, 1, "platform/soc/soc:firmware/raspberrypi-hwmon", "rpi_volt", {"in0_lcrit_alarm": 1})
    sysfs.write("devices/platform/soc/soc:firmware/get_throttled", "50005\n")
    sysfs.write("firmware/devicetree/base/model", b"Raspberry Pi 4 Model B Rev 1.4\x00", binary=True)
    netclass(sysfs, "lo", "virtual", iface("00:00:00:00:00:00", 1, 65536, "unknown", flags="0x9", kind=772,
                                            broadcast="00:00:00:00:00:00", carrier=1, changes=(0, 0)))
    netclass(sysfs, "eth0", "platform/scb/fd580000.ethernet", iface("dc:a6:32:01:02:03", 2, 1500, "up", speed=1000,
                                                                     duplex="full", carrier=1, changes=(3, 2), name_assign=4))
    netclass(sysfs, "wlan0", "platform/soc/fe300000.mmcnr/mmc_host/mmc1/mmc1:0001/mmc1:0001:1",
             iface("dc:a6:32:01:02:04", 3, 1500, "down", flags="0x1002", name_assign=1))
    netclass(sysfs, "flannel.1", "virtual", iface("1a:2b:3c:4d:5e:6f", 4, 1450, "unknown", carrier=1,
                                                   flags="0x1043", qlen=0, assign=3))
    netclass(sysfs, "cni0", "virtual", iface("2e:3f:40:51:62:73", 5, 1450, "up", carrier=1, changes=(2, 1),
                                              flags="0x1003", qlen=1000, assign=3, name_assign=3))
    netclass(sysfs, "veth3a4b5c6d", "virtual", iface("4a:5b:6c:7d:8e:9f", 7, 1450, "up", speed=10000, duplex="full",
                                                      carrier=1, changes=(2, 1), iflink=3, assign=1, name_assign=3))
    sysfs.write("class/net/bonding_masters", "\n")

    # cgroup v2, kubelet's systemd driver (k3s on Raspberry Pi OS), no PSI (psi=0 kernel).
    uid_a = POD_A[0].replace("-", "_")
    uid_b = POD_B[0].replace("-", "_")
    sysfs.write("fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n")
    cgroup_v2_files(sysfs, "/kubepods.slice", 512000000, 300000000, 180000000, 90000000, 912345678, 0, 0, 0, pids=61)
    cgroup_v2_files(sysfs, "/kubepods.slice/kubepods-burstable.slice", 400000000, 250000000, 120000000, 60000000,
                    712345678, 0, 0, 0, pids=40)
    pod_a = f"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{uid_a}.slice"
    cgroup_v2_files(sysfs, pod_a, 52000000, 30000000, 20000000, 8000000, 412345678, 81234, 1234, 56789012,
                    max_memory="178257920", cpu_max="max 100000", weight=4, pids=12)
    cgroup_v2_files(sysfs, pod_a + f"/cri-containerd-{CID_A}.scope", 51000000, 29500000, 19800000, 7900000, 410000000,
                    81234, 1234, 56789012, max_memory="178257920", cpu_max="10000 100000", weight=4, pids=11,
                    procs=(4321,), oom_kill=2)
    cgroup_v2_files(sysfs, pod_a + f"/cri-containerd-{CID_A_PAUSE}.scope", 400000, 200000, 0, 0, 2345678, 0, 0, 0,
                    pids=1, procs=(4300,), io=" ")
    pod_b = f"/kubepods.slice/kubepods-pod{uid_b}.slice"
    cgroup_v2_files(sysfs, pod_b, 33554432, 25000000, 8000000, 1000000, 9123456, 0, 0, 0, max_memory="67108864",
                    cpu_max="50000 100000", weight=20, pids=6)
    cgroup_v2_files(sysfs, pod_b + f"/cri-containerd-{CID_B}.scope", 33000000, 24800000, 7900000, 990000, 9000000, 0, 0, 0,
                    max_memory="67108864", cpu_max="50000 100000", weight=20, pids=5, procs=(5511, 5512))
    cgroup_v2_files(sysfs, "/system.slice/k3s.service", 281018368, 220000000, 50000000, 20000000, 8123456789, 0, 0, 0,
                    pids=98, procs=(812,))
    sysfs.write("fs/cgroup/system.slice/ssh.service/cgroup.procs", "601\n")
    sysfs.write("fs/cgroup/system.slice/ssh.service/memory.current", "4194304\n")
    sysfs.write("dev/block/179:0/uevent", "MAJOR=179\nMINOR=0\nDEVNAME=mmcblk0\nDEVTYPE=disk\n")
    kubelet_logs(root, [(POD_A, CID_A), (POD_B, CID_B)])

    root.write("etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
               'VERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n'
               'HOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\n'
               'BUG_REPORT_URL="https://bugs.debian.org/"\n')
    root.write("run/udev/data/b179:0", "S:disk/by-path/platform-fe340000.mmc\nE:ID_PATH=platform-fe340000.mmc\n"
               "E:ID_PATH_TAG=platform-fe340000_mmc\nE:ID_NAME=SN64G\nE:ID_SERIAL=0x9a3f21c4\n"
               "E:ID_PART_TABLE_TYPE=dos\nG:systemd\n")
    root.write("run/udev/data/b179:2", "E:ID_PATH=platform-fe340000.mmc\nE:ID_FS_UUID=3a324232-335f-4617-84c3-d4889840dc93\n"
               "E:ID_FS_VERSION=1.0\nE:ID_FS_TYPE=ext4\nE:ID_FS_USAGE=filesystem\nE:ID_PART_ENTRY_NUMBER=2\n")
    root.write("run/udev/data/b8:0", "E:ID_PATH=platform-fd500000.pcie-pci-0000:01:00.0-usb-0:2:1.0-scsi-0:0:0:0\n"
               "E:ID_MODEL=Portable_SSD_T5\nE:ID_SERIAL_SHORT=S49WNP0N120245\nE:ID_REVISION=0\n"
               "E:ID_WWN=0x5002538e00000000\nE:ID_ATA_ROTATION_RATE_RPM=0\nE:ID_ATA_WRITE_CACHE=1\n"
               "E:ID_ATA_WRITE_CACHE_ENABLED=1\n")
    for d in ["boot/firmware", "run"]:
        root.mkdir(d)
        root.write(d + "/.keep", "")


def jetson(base):
    proc, sysfs, root = Tree(f"{base}/proc"), Tree(f"{base}/sys"), Tree(f"{base}/root")
    cpus = [[912345, 1234, 412345, 18123456, 12345, 0, 8123, 0, 0, 0] for _ in range(6)]
    for i, c in enumerate(cpus):
        c[0] += i * 1111
        c[3] -= i * 2222
    proc.write("stat", proc_stat(cpus, 912345678, 1823456789, 1732400000, 9123456, 5, 1))
    proc.write("loadavg", "3.41 2.87 2.55 7/1024 81234\n")
    proc.write("meminfo", meminfo([
        ("MemTotal", 7793076, 1), ("MemFree", 912344, 1), ("MemAvailable", 4123456, 1), ("Buffers", 123456, 1),
        ("Cached", 3123456, 1), ("SwapCached", 1234, 1), ("Active", 3512344, 1), ("Inactive", 2012344, 1),
        ("Active(anon)", 2012344, 1), ("Inactive(anon)", 312344, 1), ("Active(file)", 1500000, 1),
        ("Inactive(file)", 1700000, 1), ("Unevictable", 0, 1), ("Mlocked", 0, 1), ("SwapTotal", 3896524, 1),
        ("SwapFree", 3812344, 1), ("Dirty", 1234, 1), ("Writeback", 0, 1), ("AnonPages", 2312344, 1),
        ("Mapped", 812344, 1), ("Shmem", 12344, 1), ("KReclaimable", 212344, 1), ("Slab", 412344, 1),
        ("SReclaimable", 212344, 1), ("SUnreclaim", 200000, 1), ("KernelStack", 23456, 1), ("ShadowCallStack", 5864, 1),
        ("PageTables", 34567, 1), ("NFS_Unstable", 0, 1), ("Bounce", 0, 1), ("WritebackTmp", 0, 1),
        ("CommitLimit", 7793060, 1), ("Committed_AS", 9123456, 1), ("VmallocTotal", 133141626880, 1),
        ("VmallocUsed", 71234, 1), ("VmallocChunk", 0, 1), ("Percpu", 4608, 1), ("HardwareCorrupted", 0, 1),
        ("AnonHugePages", 0, 1), ("ShmemHugePages", 0, 1), ("ShmemPmdMapped", 0, 1), ("FileHugePages", 0, 1),
        ("FilePmdMapped", 0, 1), ("CmaTotal", 524288, 1), ("CmaFree", 412344, 1), ("HugePages_Total", 0, 0),
        ("HugePages_Free", 0, 0), ("HugePages_Rsvd", 0, 0), ("HugePages_Surp", 0, 0), ("Hugepagesize", 2048, 1),
        ("Hugetlb", 0, 1)]))
    proc.write("vmstat", vmstat([("pgpgin_extra_unknown_field", 5)]))
    proc.write("diskstats", "".join(f"{l}\n" for l in [
        "   7       0 loop0 44 0 612 8 0 0 0 0 0 20 8 0 0 0 0 0 0",
        " 259       0 nvme0n1 212345 41234 21234512 91234 812345 612345 81234512 712345 0 512345 812345 23456 0 4123456 1234 91234 41234",
        " 259       1 nvme0n1p1 211234 41000 21000000 91000 812000 612000 81200000 712000 0 512000 812000 23456 0 4123456 1234 0 0",
        " 259      15 nvme0n1p15 112 0 4512 12 0 0 0 0 0 16 12 0 0 0 0 0 0",
        " 179       0 mmcblk0 1234 12 81234 912 0 0 0 0 0 1012 912 0 0 0 0 0 0",
        " 179       1 mmcblk0p1 1200 12 80000 900 0 0 0 0 0 1000 900 0 0 0 0 0 0",
        " 251       0 zram0 1234 0 9872 12 4123 0 32984 45 0 112 57 0 0 0 0 0 0",
        " 251       1 zram1 1198 0 9584 11 4012 0 32096 41 0 108 52 0 0 0 0 0 0",
    ]))
    mounts(proc, [
        ("/dev/nvme0n1p1", "/", "ext4", "rw,relatime", "259:1"),
        ("sysfs", "/sys", "sysfs", "rw,nosuid,nodev,noexec,relatime", "0:21"),
        ("proc", "/proc", "proc", "rw,nosuid,nodev,noexec,relatime", "0:22"),
        ("tmpfs", "/run", "tmpfs", "rw,nosuid,noexec,relatime,size=779308k,mode=755", "0:25"),
        ("tmpfs", "/run/user/1000", "tmpfs", "rw,nosuid,nodev,relatime,size=779304k,mode=700,uid=1000,gid=1000", "0:48"),
        ("/dev/mmcblk0p1", "/media/sdcard", "ext4", "rw,nosuid,nodev,relatime", "179:1"),
        ("overlay", "/var/lib/docker/overlay2/8c1d2e3f/merged", "overlay", "rw,relatime", "0:60"),
        ("nsfs", "/run/docker/netns/1a2b3c", "nsfs", "rw", "0:4"),
        ("debugfs", "/sys/kernel/debug", "debugfs", "rw,nosuid,nodev,noexec,relatime", "0:7"),
    ])
    proc.write("net/dev", net_dev([
        ("lo", [1234512, 12345, 0, 0, 0, 0, 0, 0], [1234512, 12345, 0, 0, 0, 0, 0, 0]),
        ("eth0", [9123451234, 18123451, 0, 0, 0, 0, 0, 81234], [1912345123, 9412345, 0, 0, 0, 0, 0, 0]),
        ("wlan0", [123451, 1234, 0, 0, 0, 0, 0, 12], [12345, 123, 0, 0, 0, 0, 0, 0]),
        ("l4tbr0", [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]),
        ("usb0", [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]),
        ("docker0", [0, 0, 0, 0, 0, 0, 0, 0], [512, 6, 0, 0, 0, 0, 0, 0]),
    ]))
    proc.write("net/sockstat", sockstat(1024, (61, 1, 12, 75, 33), (21, 12)))
    proc.write("net/sockstat6", SOCKSTAT6)
    proc.write("pressure/cpu", "some avg10=4.12 avg60=3.55 avg300=2.98 total=912345678\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
    proc.write("pressure/io", "some avg10=0.31 avg60=0.22 avg300=0.18 total=81234567\nfull avg10=0.20 avg60=0.15 avg300=0.11 total=61234567\n")
    proc.write("pressure/memory", "some avg10=0.00 avg60=0.02 avg300=0.01 total=1234567\nfull avg10=0.00 avg60=0.01 avg300=0.00 total=912345\n")
    common_proc(proc, "0b8f7e6d-5c4b-4a39-8271-605f4e3d2c1b", entropy=256, filenr=(5632, 0, 9223372036854775807))
    proc.write("device-tree/model", b"NVIDIA Jetson Orin Nano Developer Kit\x00", binary=True)
    proc.write("device-tree/compatible", b"nvidia,p3768-0000+p3767-0005\x00nvidia,p3767-0005\x00nvidia,tegra234\x00", binary=True)

    for c in range(6):
        topology(sysfs, c, 0, c % 4)
    cpufreq_policy(sysfs, "policy0", [0, 1, 2, 3], 1510400, 115200, 1510400, "schedutil",
                   "interactive conservative ondemand userspace powersave performance schedutil", driver="tegra194")
    cpufreq_policy(sysfs, "policy4", [4, 5], 729600, 115200, 1510400, "schedutil",
                   "interactive conservative ondemand userspace powersave performance schedutil", driver="tegra194")
    sysfs.write("devices/system/clocksource/clocksource0/available_clocksource", "arch_sys_counter \n")
    sysfs.write("devices/system/clocksource/clocksource0/current_clocksource", "arch_sys_counter\n")
    for n, (kind, temp) in enumerate([("cpu-thermal", 51250), ("gpu-thermal", 49718), ("cv0-thermal", 48500),
                                      ("cv1-thermal", 48312), ("cv2-thermal", 48625), ("soc0-thermal", 49093),
                                      ("soc1-thermal", 48906), ("soc2-thermal", 48781), ("tj-thermal", 51250)]):
        thermal_zone(sysfs, n, kind, temp)
    cooling_device(sysfs, 0, "pwm-fan", 1, 3)
    cooling_device(sysfs, 1, "cpufreq-cpu0", 0, 14)
    hwmon(sysfs, 0, "platform/pwm-fan", "pwmfan", {"pwm1": 112, "pwm1_enable": 1})
    hwmon(sysfs, 1, "platform/bus@0/c240000.i2c/i2c-1/1-0040", "ina3221", {
        "in1_label": "VDD_IN", "in1_input": 5072, "curr1_input": 1216, "curr1_crit": 3920, "curr1_max": 3080, "curr1_crit_alarm": 0,
        "in2_label": "VDD_CPU_GPU_CV", "in2_input": 5064, "curr2_input": 408, "curr2_crit": 2000,
        "in3_label": "VDD_SOC", "in3_input": 5072, "curr3_input": 472, "curr3_crit": 2000, "update_interval": 139})
    sysfs.write("devices/platform/bus@0/c2a0000.rtc/rtc/rtc0/name", "tegra-rtc c2a0000.rtc\n")
    sysfs.link("class/rtc/rtc0", "../../devices/platform/bus@0/c2a0000.rtc/rtc/rtc0")
    sysfs.write("firmware/devicetree/base/model", b"NVIDIA Jetson Orin Nano Developer Kit\x00", binary=True)
    tegra_gpu(sysfs, "platform/bus@0/17000000.gpu", "17000000.gpu", "ga10b", 624750000, 1020000000, 312)
    netclass(sysfs, "lo", "virtual", iface("00:00:00:00:00:00", 1, 65536, "unknown", flags="0x9", kind=772,
                                            broadcast="00:00:00:00:00:00", carrier=1, changes=(0, 0)))
    netclass(sysfs, "eth0", "platform/bus@0/2310000.ethernet", iface("48:b0:2d:01:02:03", 2, 1500, "up", speed=1000, duplex="full",
                                                                      carrier=1, changes=(1, 0), name_assign=4, alias="uplink"))
    netclass(sysfs, "wlan0", "platform/bus@0/14100000.pcie/pci0001:00/0001:00:00.0/0001:01:00.0",
             iface("90:e8:68:01:02:03", 3, 1500, "dormant", carrier=0, changes=(4, 4), name_assign=4, flags="0x1003"))
    netclass(sysfs, "l4tbr0", "virtual", iface("9a:3b:4c:5d:6e:7f", 4, 1500, "down", flags="0x1002", assign=3, name_assign=3, qlen=1000))
    netclass(sysfs, "usb0", "platform/3550000.usb/gadget.0", iface("be:ef:00:01:02:03", 5, 1500, "down", flags="0x1002", assign=3))
    netclass(sysfs, "docker0", "virtual", iface("02:42:ac:11:00:01", 6, 1500, "down", carrier=0, changes=(0, 1),
                                                 flags="0x1003", assign=3, name_assign=3, qlen=0))

    root.write("etc/os-release", 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nNAME="Ubuntu"\nVERSION_ID="22.04"\n'
               'VERSION="22.04.4 LTS (Jammy Jellyfish)"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n'
               'HOME_URL="https://www.ubuntu.com/"\nUBUNTU_CODENAME=jammy\n')
    root.write("run/udev/data/b259:0", "E:ID_PATH=platform-14160000.pcie-pci-0004:01:00.0-nvme-1\n"
               "E:ID_MODEL=Samsung SSD 980 500GB\nE:ID_SERIAL_SHORT=S64DNF0R812345A\nE:ID_REVISION=3B4QFXO7\n"
               "E:ID_WWN=eui.0025385811b12345\nE:ID_PART_TABLE_TYPE=gpt\n")
    root.mkdir("run/user/1000")
    root.write("run/user/1000/.keep", "")


def x86(base):
    proc, sysfs, root = Tree(f"{base}/proc"), Tree(f"{base}/sys"), Tree(f"{base}/root")
    cpus = []
    for i in range(8):
        cpus.append([4123456 + i * 7919, 12345, 1234567 + i * 313, 81234567 - i * 9973, 23456, 0, 45678, 0, 91234, 0])
    proc.write("stat", proc_stat(cpus, 19123456789, 81234567890, 1730000000, 123456789, 9, 2))
    proc.write("loadavg", "5.12 4.98 4.77 12/2048 912345\n")
    proc.write("meminfo", meminfo([
        ("MemTotal", 131891232, 1), ("MemFree", 41234567, 1), ("MemAvailable", 98123456, 1), ("Buffers", 1234567, 1),
        ("Cached", 51234567, 1), ("SwapCached", 0, 1), ("Active", 41234567, 1), ("Inactive", 31234567, 1),
        ("Active(anon)", 21234567, 1), ("Inactive(anon)", 1234567, 1), ("Active(file)", 20000000, 1),
        ("Inactive(file)", 30000000, 1), ("Unevictable", 12345, 1), ("Mlocked", 12345, 1), ("SwapTotal", 8388604, 1),
        ("SwapFree", 8388604, 1), ("Zswap", 0, 1), ("Zswapped", 0, 1), ("Dirty", 12345, 1), ("Writeback", 0, 1),
        ("AnonPages", 22469134, 1), ("Mapped", 1234567, 1), ("Shmem", 123456, 1), ("KReclaimable", 4123456, 1),
        ("Slab", 6123456, 1), ("SReclaimable", 4123456, 1), ("SUnreclaim", 2000000, 1), ("KernelStack", 41234, 1),
        ("PageTables", 123456, 1), ("SecPageTables", 0, 1), ("NFS_Unstable", 0, 1), ("Bounce", 0, 1),
        ("WritebackTmp", 0, 1), ("CommitLimit", 74334220, 1), ("Committed_AS", 51234567, 1),
        ("VmallocTotal", 34359738367, 1), ("VmallocUsed", 312345, 1), ("VmallocChunk", 0, 1), ("Percpu", 81920, 1),
        ("HardwareCorrupted", 0, 1), ("AnonHugePages", 2048000, 1), ("ShmemHugePages", 0, 1), ("ShmemPmdMapped", 0, 1),
        ("FileHugePages", 0, 1), ("FilePmdMapped", 0, 1), ("Unaccepted", 0, 1), ("HugePages_Total", 16, 0),
        ("HugePages_Free", 12, 0), ("HugePages_Rsvd", 0, 0), ("HugePages_Surp", 0, 0), ("Hugepagesize", 2048, 1),
        ("Hugetlb", 32768, 1), ("DirectMap4k", 812345, 1), ("DirectMap2M", 41234432, 1), ("DirectMap1G", 93323264, 1)]))
    proc.write("vmstat", vmstat([("pgfault_custom", 7), ("pgpgin_from_swap", 3)]))
    proc.write("diskstats", "".join(f"{l}\n" for l in [
        "   8       0 sda 812345 41234 91234512 1234567 4123456 3123456 412345678 91234567 2 8123456 92469134 0 0 0 0 412345 812345",
        "   8       1 sda1 1234 12 81234 1234 12 0 96 12 0 1246 1246 0 0 0 0 0 0",
        "   8       2 sda2 811111 41222 91153278 1233333 4123444 3123456 412345582 91234555 2 8122210 92467888 0 0 0 0 0 0",
        "   8      16 sdb 712345 31234 81234512 1034567 3123456 2123456 312345678 81234567 0 7123456 82269134 0 0 0 0 312345 712345",
        " 259       0 nvme0n1 9123456 123456 912345678 1234567 8123456 912345 1912345678 3456789 0 4123456 4691356 123456 0 81234567 12345 612345 123456",
        " 259       1 nvme0n1p1 9123000 123400 912300000 1234500 8123400 912300 1912300000 3456700 0 4123400 4691300 123456 0 81234567 12345 0 0",
        "   9       0 md0 1523456 0 172469024 0 7246912 0 724691356 0 0 0 0 0 0 0 0 0 0",
        " 253       0 dm-0 9000000 0 900000000 1200000 9000000 0 1900000000 3400000 0 4100000 4600000 120000 0 81000000 12000 0 0",
        "   7       3 loop3 57 0 2284 12 0 0 0 0 0 24 12 0 0 0 0 0 0",
        "  11       0 sr0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0",
    ]))
    mounts(proc, [
        ("/dev/mapper/vg0-root", "/", "ext4", "rw,relatime,errors=remount-ro", "253:0"),
        ("/dev/sda2", "/boot", "ext4", "rw,relatime", "8:2"),
        ("/dev/sda1", "/boot/efi", "vfat", "rw,relatime,fmask=0077,dmask=0077", "8:1"),
        ("/dev/md0", "/srv/data", "xfs", "rw,noatime,attr2,inode64", "9:0"),
        ("tmpfs", "/run", "tmpfs", "rw,nosuid,nodev,noexec,relatime,size=13189124k,mode=755", "0:25"),
        ("tmpfs", "/dev/shm", "tmpfs", "rw,nosuid,nodev", "0:26"),
        ("/dev/nvme0n1p1", "/var/lib/docker", "ext4", "rw,relatime", "259:1"),
        ("overlay", "/var/lib/docker/overlay2/4a5b6c/merged", "overlay", "rw,relatime,lowerdir=/a,upperdir=/b,workdir=/c", "0:70"),
        ("backup.example:/export/backups", "/mnt/backups", "nfs4", "rw,relatime,vers=4.2,rsize=1048576,wsize=1048576", "0:80"),
        ("binfmt_misc", "/proc/sys/fs/binfmt_misc", "binfmt_misc", "rw,nosuid,nodev,noexec,relatime", "0:45"),
    ])
    proc.write("net/dev", net_dev([
        ("lo", [912345678, 1234567, 0, 0, 0, 0, 0, 0], [912345678, 1234567, 0, 0, 0, 0, 0, 0]),
        ("eno1", [91234512345, 81234512, 0, 123, 0, 0, 0, 812345], [71234512345, 61234512, 0, 0, 0, 0, 0, 0]),
        ("eno2", [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]),
        ("enp65s0f0", [812345123456, 612345123, 12, 3, 0, 4, 0, 1234], [712345123456, 512345123, 0, 0, 0, 0, 0, 0]),
        ("enp65s0f1", [812345123456, 612345123, 0, 0, 0, 0, 0, 1234], [712345123456, 512345123, 0, 0, 0, 0, 0, 0]),
        ("bond0", [1624690246912, 1224690246, 12, 3, 0, 4, 0, 2468], [1424690246912, 1024690246, 0, 0, 0, 0, 0, 0]),
        ("docker0", [123456, 1234, 0, 0, 0, 0, 0, 0], [234567, 2345, 0, 0, 0, 0, 0, 0]),
    ]))
    proc.write("net/sockstat", sockstat(2345, (412, 3, 123, 530, 812), (45, 23)))
    proc.write("net/sockstat6", SOCKSTAT6)
    proc.write("pressure/cpu", "some avg10=12.50 avg60=10.12 avg300=9.87 total=81234567890\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")
    proc.write("pressure/io", "some avg10=1.12 avg60=0.98 avg300=0.87 total=9123456789\nfull avg10=0.75 avg60=0.66 avg300=0.59 total=7123456789\n")
    proc.write("pressure/memory", "some avg10=0.00 avg60=0.00 avg300=0.00 total=912345\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=712345\n")
    common_proc(proc, "c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f", entropy=256, filenr=(23456, 0, 9223372036854775807))

    for c in range(8):
        package, core = c // 4, c % 4
        topology(sysfs, c, package, core)
        sysfs.write(f"devices/system/cpu/cpu{c}/thermal_throttle/core_throttle_count", f"{c * 3}\n")
        sysfs.write(f"devices/system/cpu/cpu{c}/thermal_throttle/package_throttle_count", f"{package * 17 + 5}\n")
        cpufreq_policy(sysfs, f"policy{c}", [c], 2800000 + c * 1000, 800000, 4200000, "powersave",
                       "performance powersave", cpuinfo_cur=False, driver="intel_pstate")
    sysfs.write("devices/system/cpu/online", "0-7\n")
    sysfs.write("devices/system/clocksource/clocksource0/available_clocksource", "tsc hpet acpi_pm \n")
    sysfs.write("devices/system/clocksource/clocksource0/current_clocksource", "tsc\n")
    thermal_zone(sysfs, 0, "acpitz", 27800, policy="step_wise")
    thermal_zone(sysfs, 1, "x86_pkg_temp", 48000, policy="step_wise")
    for n in range(4):
        cooling_device(sysfs, n, "Processor", 0, 10)
    cooling_device(sysfs, 4, "intel_powerclamp", -1, 50)
    hwmon(sysfs, 0, "platform/coretemp.0", "coretemp", {
        "temp1_label": "Package id 0", "temp1_input": 48000, "temp1_max": 84000, "temp1_crit": 100000, "temp1_crit_alarm": 0,
        "temp2_label": "Core 0", "temp2_input": 45000, "temp2_max": 84000, "temp2_crit": 100000, "temp2_crit_alarm": 0,
        "temp3_label": "Core 1", "temp3_input": 47000, "temp3_max": 84000, "temp3_crit": 100000, "temp3_crit_alarm": 0})
    hwmon(sysfs, 1, "platform/coretemp.1", "coretemp", {
        "temp1_label": "Package id 1", "temp1_input": 51000, "temp1_max": 84000, "temp1_crit": 100000, "temp1_crit_alarm": 0})
    hwmon(sysfs, 2, "platform/nct6775.656", "nct6795", {
        "in0_input": 1040, "in0_min": 0, "in0_max": 1744, "in0_alarm": 0, "in0_beep": 0, "in0_label": "Vcore",
        "in1_input": 1016, "fan1_input": 1205, "fan1_min": 0, "fan1_alarm": 0, "fan1_pulses": 2, "fan1_target": 0,
        "fan2_input": 0, "pwm1": 128, "pwm1_enable": 5, "pwm1_mode": 1, "temp7_input": 38000, "temp7_type": 3,
        "temp7_label": "SYSTIN", "intrusion0_alarm": 1, "intrusion0_beep": 0, "beep_enable": 0, "cpu0_vid": 0})
    hwmon(sysfs, 3, "pci0000:00/0000:00:1d.0/0000:3d:00.0/nvme/nvme0", "nvme", {
        "temp1_label": "Composite", "temp1_input": 39850, "temp1_max": 81850, "temp1_min": -273150, "temp1_crit": 84850,
        "temp1_alarm": 0, "temp2_label": "Sensor 1", "temp2_input": 39850})
    hwmon(sysfs, 4, "LNXSYSTM:00/device:00/ACPI000D:00", "power_meter", {
        "power1_average": 212000000, "power1_average_interval": 1000, "power1_accuracy": 95000,
        "power1_cap": 350000000, "power1_is_battery": 0, "energy1_input": 912345678901})
    hwmon(sysfs, 5, "virtual/hwmon_orphan", "acpi fan!", {"fan1_input": 900}, device_link=False)
    sysfs.write("class/dmi/id/sys_vendor", "Supermicro\n")
    sysfs.write("class/dmi/id/product_name", "SYS-5019C-MR\n")
    sysfs.write("devices/pnp0/00:02/rtc/rtc0/name", "rtc_cmos 00:02\n")
    sysfs.link("class/rtc/rtc0", "../../devices/pnp0/00:02/rtc/rtc0")
    netclass(sysfs, "lo", "virtual", iface("00:00:00:00:00:00", 1, 65536, "unknown", flags="0x9", kind=772,
                                            broadcast="00:00:00:00:00:00", carrier=1, changes=(0, 0)))
    netclass(sysfs, "eno1", "pci0000:00/0000:00:1f.6", iface("ac:1f:6b:01:02:03", 2, 1500, "up", speed=1000, duplex="full",
                                                              carrier=1, changes=(5, 4), name_assign=4))
    netclass(sysfs, "eno2", "pci0000:00/0000:00:1c.0/0000:03:00.0", iface("ac:1f:6b:01:02:04", 3, 1500, "down", flags="0x1002", name_assign=4))
    netclass(sysfs, "enp65s0f0", "pci0000:40/0000:40:01.0/0000:41:00.0", iface("3c:fd:fe:01:02:03", 4, 9000, "up", speed=10000,
                                                                                duplex="full", carrier=1, changes=(2, 1), name_assign=4, flags="0x1803"))
    netclass(sysfs, "enp65s0f1", "pci0000:40/0000:40:01.0/0000:41:00.1", iface("3c:fd:fe:01:02:03", 5, 9000, "up", speed=10000,
                                                                                duplex="full", carrier=1, changes=(2, 1), name_assign=4, flags="0x1803", assign=3))
    netclass(sysfs, "bond0", "virtual", iface("3c:fd:fe:01:02:03", 6, 9000, "up", speed=20000, duplex="full", carrier=1,
                                               changes=(1, 0), flags="0x1403", alias="storage \"A\" net\\1"))
    netclass(sysfs, "docker0", "virtual", iface("02:42:0a:0b:0c:0d", 7, 1500, "down", carrier=0, changes=(1, 2),
                                                 flags="0x1003", assign=3, name_assign=3, qlen=0))
    sysfs.write("class/net/bonding_masters", "bond0\n")

    # cgroup v1 hybrid, kubelet's cgroupfs driver (cpu and cpuacct co-mounted).
    sysfs.mkdir("fs/cgroup/unified")
    sysfs.write("fs/cgroup/unified/cgroup.procs", "")
    cgroup_v1_files(sysfs, "/kubepods", 812345678, 500000000, 300000000, 150000000, 91234567890, 0, 0, 0, pids=120)
    cgroup_v1_files(sysfs, "/kubepods/besteffort", 12345678, 8000000, 4000000, 1000000, 123456789, 0, 0, 0, pids=4)
    pod = f"/kubepods/burstable/pod{POD_A[0]}"
    cgroup_v1_files(sysfs, "/kubepods/burstable", 700000000, 450000000, 250000000, 120000000, 81234567890, 0, 0, 0, pids=80)
    cgroup_v1_files(sysfs, pod, 180000000, 150000000, 30000000, 10000000, 4123456789, 91234, 4321, 812345678901,
                    limit=268435456, quota=200000, period=100000, shares=204, pids=33, failcnt=17, oom_kill=1)
    cgroup_v1_files(sysfs, pod + "/" + CID_A, 179000000, 149500000, 29500000, 9900000, 4100000000, 91234, 4321,
                    812345678901, limit=268435456, quota=200000, period=100000, shares=204, pids=32, procs=(7001, 7002, 7003),
                    failcnt=17, oom_kill=1)
    cgroup_v1_files(sysfs, "/system.slice/containerd.service", 91234567, 61234567, 30000000, 12000000, 61234567890,
                    0, 0, 0, pids=45, procs=(911,))
    sysfs.write("dev/block/8:0/uevent", "MAJOR=8\nMINOR=0\nDEVNAME=sda\nDEVTYPE=disk\n")
    kubelet_logs(root, [(POD_A, CID_A)])

    root.write("etc/os-release", '# Ubuntu server\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\nNAME="Ubuntu"\nVERSION_ID="24.04"\n'
               'VERSION="24.04.1 LTS (Noble Numbat)"\nVERSION_CODENAME=noble\nID=ubuntu\nID_LIKE=debian\n'
               "BUILD_ID='2024-08-27'\nVARIANT=\"Server \\\"Edition\\\"\"\nVARIANT_ID=server\n")
    root.write("run/udev/data/b8:0", "E:ID_PATH=pci-0000:00:17.0-ata-1\nE:ID_MODEL=ST4000NM0035-1V4107\n"
               "E:ID_SERIAL_SHORT=ZC1A2B3C\nE:ID_REVISION=TN03\nE:ID_WWN=0x5000c500a1b2c3d4\n"
               "E:ID_ATA=1\nE:ID_ATA_ROTATION_RATE_RPM=7200\nE:ID_ATA_WRITE_CACHE=1\nE:ID_ATA_WRITE_CACHE_ENABLED=1\nE:ID_PART_TABLE_TYPE=gpt\n")
    root.write("run/udev/data/b8:16", "E:ID_PATH=pci-0000:00:17.0-ata-2\nE:ID_MODEL=ST4000NM0035-1V4107\n"
               "E:ID_SERIAL_SHORT=ZC1A2B3D\nE:ID_REVISION=TN03\nE:ID_WWN=0x5000c500a1b2c3d5\nE:ID_ATA=1\n"
               "E:ID_ATA=1\nE:ID_ATA_ROTATION_RATE_RPM=7200\nE:ID_ATA_WRITE_CACHE=1\nE:ID_ATA_WRITE_CACHE_ENABLED=0\n"
               "E:ID_FS_TYPE=linux_raid_member\nE:ID_FS_USAGE=raid\nE:ID_FS_UUID=6d1f2e3a-4b5c-6d7e-8f90-a1b2c3d4e5f6\nE:ID_FS_VERSION=1.2\n")
    root.write("run/udev/data/b259:0", "E:ID_PATH=pci-0000:3d:00.0-nvme-1\nE:ID_MODEL=INTEL SSDPE2KX010T8\n"
               "E:ID_SERIAL_SHORT=PHLJ912345671P0FGN\nE:ID_REVISION=VDV10131\nE:ID_WWN=eui.01000000010000005cd2e4a1b2c3d4e5\n")
    root.write("run/udev/data/b253:0", "E:DM_NAME=vg0-root\nE:DM_UUID=LVM-a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2\n"
               "E:DM_VG_NAME=vg0\nE:DM_LV_NAME=root\nE:DM_LV_LAYER=\nE:ID_FS_TYPE=ext4\nE:ID_FS_USAGE=filesystem\n"
               "E:ID_FS_UUID=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\nE:ID_FS_VERSION=1.0\n")
    root.write("run/udev/data/b9:0", "E:MD_LEVEL=raid1\nE:MD_DEVICES=2\nE:ID_FS_TYPE=xfs\nE:ID_FS_USAGE=filesystem\nE:ID_FS_UUID=1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d\n")
    for d in ["boot", "boot/efi", "srv/data", "run", "var/lib/docker"]:
        root.mkdir(d)
        root.write(d + "/.keep", "")


def main():
    for name, build in [("pi4-k3s", pi4), ("jetson-orin-nano", jetson), ("x86-server", x86),
                        ("jetson-xavier-nx-jp4", jetson_xavier_jp4), ("amd-rx6400", amd_card)]:
        base = os.path.join(OUT, name)
        shutil.rmtree(base, ignore_errors=True)
        build(base)
        print("wrote", os.path.relpath(base))


if __name__ == "__main__":
    sys.exit(main())
