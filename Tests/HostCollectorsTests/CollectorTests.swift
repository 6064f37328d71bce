import EdgewatchCore
import HostCollectors
import HostFS
import Logging
import Testing

@Suite("Collectors over small trees")
struct CollectorTests {
    @Test("node_exporter's default exclusion patterns compile and exclude what they should")
    func defaultExclusionsCompile() throws {
        let mountPoints = try PosixRegex(FilesystemCollector.defaultMountPointsExclude)
        let types = try PosixRegex(FilesystemCollector.defaultFSTypesExclude)
        let devices = try PosixRegex(DiskstatsCollector.defaultExclude)
        #expect(mountPoints.matches("/proc") && mountPoints.matches("/var/lib/docker/overlay2/x") && !mountPoints.matches("/var"))
        #expect(types.matches("tmpfs") == false && types.matches("overlay") && types.matches("cgroup2"))
        #expect(
            devices.matches("sda1") && devices.matches("loop0") && devices.matches("nvme0n1p2") && !devices.matches("sda")
                && !devices.matches("nvme0n1")
        )
    }

    @Test("a missing file makes a collector unavailable and its success 0, others keep working")
    func missingFile() throws {
        let tree = try TemporaryTree()
        try tree.write("proc/loadavg", "0.50 0.40 0.30 1/100 42\n")
        let collection = HostCollection(collectors: [LoadavgCollector(), MeminfoCollector()], context: tree.context(), logger: Logger(label: "test"))
        let families = collection.collect().families
        let success = try #require(families.first { $0.name == "node_scrape_collector_success" })
        #expect(success.samples.map(\.value) == [1, 0])
        #expect(success.samples.map { $0.labels["collector"] } == ["loadavg", "meminfo"])
        #expect(families.first { $0.name == "node_load5" }?.samples.first?.value == 0.4)
        let (_, _, error) = run(MeminfoCollector(), tree.context())
        guard case .unavailable(let reason) = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("meminfo: no such file"))
    }

    @Test("a cycle's timestamp and its clock-sync flag come from one reading of a stepped test clock")
    func clockReadOnce() throws {
        let tree = try TemporaryTree()
        try tree.write("clock", "-259200000 synced\n")
        let kernel = ClockFileKernel(base: FixedKernel(), path: tree.root + "/clock")
        let snapshot = HostCollection(collectors: [], context: tree.context(kernel: kernel), logger: Logger(label: "test")).collect()
        #expect(snapshot.timestampMilliseconds == 1_732_000_000_500 - 259_200_000)
        #expect(snapshot.clockSynchronized == true)
        try tree.write("clock", "0 unsynced\n")
        let reading = kernel.clockReading()
        #expect(reading.wall.milliseconds == 1_732_000_000_500 && reading.state?.isSynchronized == false)
        try tree.write("clock", "garbage\n")
        #expect(kernel.clockReading().wall.milliseconds == 1_732_000_000_500, "a malformed file leaves the base clock")
    }

    @Test("a directory where a file should be fails without crashing")
    func directoryInsteadOfFile() throws {
        let tree = try TemporaryTree()
        try tree.write("proc/meminfo/oops", "x")
        let (_, _, error) = run(MeminfoCollector(), tree.context())
        guard case .failed = error else {
            Issue.record("expected failed, got \(String(describing: error))")
            return
        }
    }

    @Test("Raspberry Pi throttling flags become one gauge per condition and scope")
    func raspberryPi() throws {
        let tree = try TemporaryTree()
        try tree.write("sys/devices/platform/soc/soc:firmware/get_throttled", "50005\n")
        let (metrics, issues, error) = run(RaspberryPiThrottleCollector(), tree.context())
        #expect(error == nil && issues.isEmpty)
        #expect(metrics.value("edgewatch_rpi_throttle_state", ["condition": "under_voltage", "scope": "now"]) == 1)
        #expect(metrics.value("edgewatch_rpi_throttle_state", ["condition": "frequency_capped", "scope": "since_boot"]) == 0)
        #expect(metrics.value("edgewatch_rpi_throttle_state", ["condition": "throttled", "scope": "since_boot"]) == 1)
        #expect(metrics.value("edgewatch_rpi_throttled_flags") == 0x50005)
        #expect(metrics.count("edgewatch_rpi_throttle_state") == 8)

        try tree.write("sys/devices/platform/soc/soc:firmware/get_throttled", "garbage\n")
        let (_, badIssues, badError) = run(RaspberryPiThrottleCollector(), tree.context())
        #expect(badError != nil)
        #expect(badIssues.first?.description.contains("get_throttled:1: expected a hexadecimal bitmask") == true)
    }

    @Test("board model from the device tree (NUL-terminated), boot id, clock sync and RTC")
    func boardAndClock() throws {
        let tree = try TemporaryTree()
        try tree.write("proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.4\u{0}")
        try tree.write("proc/device-tree/compatible", "raspberrypi,4-model-b\u{0}brcm,bcm2711\u{0}")
        try tree.write("proc/sys/kernel/random/boot_id", "6f1a9c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b\n")
        let (board, _, _) = run(BoardCollector(), tree.context())
        #expect(board.value("edgewatch_board_info", ["model": "Raspberry Pi 4 Model B Rev 1.4", "compatible": "raspberrypi,4-model-b"]) == 1)
        #expect(board.value("edgewatch_boot_info", ["boot_id": "6f1a9c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b"]) == 1)

        var unsynced = FixedKernel()
        unsynced.clock.status = 0x0040
        let (clock, _, _) = run(ClockSyncCollector(), tree.context(kernel: unsynced))
        #expect(clock.value("edgewatch_clock_synchronized") == 0)
        #expect(clock.value("edgewatch_clock_rtc_present") == 0)
        try tree.write("sys/devices/rtc0/name", "rtc_cmos\n")
        try tree.link("sys/class/rtc/rtc0", to: "../../devices/rtc0")
        let (synced, _, _) = run(ClockSyncCollector(), tree.context())
        #expect(synced.value("edgewatch_clock_synchronized") == 1)
        #expect(synced.value("edgewatch_clock_rtc_present") == 1)
    }

    @Test("timex converts like node_exporter (STA_NANO offsets, ppm16 frequencies)")
    func timex() throws {
        let tree = try TemporaryTree()
        let (metrics, _, error) = run(TimexCollector(), tree.context())
        #expect(error == nil)
        #expect(metrics.value("node_timex_offset_seconds") == -1500 / 1e6)
        #expect(metrics.value("node_timex_frequency_adjustment_ratio") == 1 + 655_360 / 65_536e6)
        #expect(metrics.value("node_timex_sync_status") == 1)
        #expect(metrics.value("node_timex_tai_offset_seconds") == 37)
        var nano = FixedKernel()
        nano.clock.status = 0x2000
        let (nanoMetrics, _, _) = run(TimexCollector(), tree.context(kernel: nano))
        #expect(nanoMetrics.value("node_timex_offset_seconds") == -1500 / 1e9)
    }

    @Test("filesystem: exclusions, rootfs-relative mount points and statvfs failures")
    func filesystem() throws {
        let tree = try TemporaryTree()
        try tree.write(
            "proc/1/mountinfo",
            """
            20 1 179:2 / / rw,noatime shared:1 - ext4 /dev/root rw
            21 20 0:5 / /dev rw - devtmpfs devtmpfs rw
            22 20 0:53 / /run/k3s/x/rootfs rw - overlay overlay rw
            23 20 8:1 / /mnt/usb\\040ssd ro,relatime - ext4 /dev/sda1 ro
            """
        )
        var failing = FixedKernel()
        failing.usage = .failure(.notFound(path: "/x"))
        let (metrics, _, error) = run(FilesystemCollector(), tree.context())
        #expect(error == nil)
        #expect(metrics.count("node_filesystem_size_bytes") == 2)
        #expect(metrics.value("node_filesystem_readonly", ["device": "/dev/sda1", "fstype": "ext4", "mountpoint": "/mnt/usb ssd"]) == 1)
        let (failed, _, _) = run(FilesystemCollector(), tree.context(kernel: failing))
        #expect(failed.value("node_filesystem_device_error", ["device": "/dev/root", "fstype": "ext4", "mountpoint": "/"]) == 1)
        #expect(failed.count("node_filesystem_size_bytes") == 0)
    }

    @Test("hwmon: a vanished sensor file and an unreadable chip are skipped")
    func hwmonVanished() throws {
        let tree = try TemporaryTree()
        try tree.write("sys/devices/platform/coretemp.0/hwmon/hwmon0/name", "coretemp\n")
        try tree.write("sys/devices/platform/coretemp.0/hwmon/hwmon0/temp1_input", "48000\n")
        try tree.write("sys/devices/platform/coretemp.0/hwmon/hwmon0/temp2_input", "not-a-number\n")
        try tree.link("sys/devices/platform/coretemp.0/hwmon/hwmon0/device", to: "../../../coretemp.0")
        try tree.link("sys/class/hwmon/hwmon0", to: "../../devices/platform/coretemp.0/hwmon/hwmon0")
        try tree.link("sys/class/hwmon/hwmon9", to: "../../devices/gone/hwmon9")
        let (metrics, _, error) = run(HwmonCollector(), tree.context())
        #expect(error == nil)
        #expect(metrics.value("node_hwmon_temp_celsius", ["chip": "platform_coretemp_0", "sensor": "temp1"]) == 48)
        #expect(metrics.value("node_hwmon_temp_celsius", ["chip": "platform_coretemp_0", "sensor": "temp2"]) == nil)
    }

    @Test("collector selection names unknown collectors and lists the valid ones")
    func selection() {
        #expect(throws: CollectorSelectionError.self) { try CollectorCatalog.select(["cpu", "nope"]) }
        do {
            _ = try CollectorCatalog.select(["nope"])
        } catch {
            #expect(error.description.contains("unknown collector(s) nope"))
            #expect(error.description.contains("meminfo"))
        }
        #expect(CollectorCatalog.names.count == 27)
    }
}

@Suite("Slow-changing cache")
struct SlowChangingCacheTests {
    @Test("values are reused for refreshCycles cycles, then read again; nil results are cached too")
    func refresh() {
        let cache = SlowChangingCache(refreshCycles: 3)
        var reads = 0
        func read() -> String? {
            reads += 1
            return reads.isMultiple(of: 2) ? nil : "v\(reads)"
        }
        var seen: [String?] = []
        for _ in 0..<7 {
            cache.nextCycle()
            seen.append(cache.value("k", read: read))
        }
        #expect(reads == 3)
        #expect(seen == ["v1", "v1", "v1", nil, nil, nil, "v3"])
    }

    @Test("isDue says yes once per refresh period")
    func due() {
        let cache = SlowChangingCache(refreshCycles: 2)
        var answers: [Bool] = []
        for _ in 0..<5 {
            cache.nextCycle()
            answers.append(cache.isDue("message"))
        }
        #expect(answers == [true, false, true, false, true])
    }
}
