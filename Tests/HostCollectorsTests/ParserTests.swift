import HostCollectors
import HostFS
import Testing

@Suite("Parsers over odd input")
struct ParserTests {
    @Test("meminfo: units converted, parentheses renamed, malformed lines skipped with file:line and expectation")
    func meminfo() {
        let text = """
            MemTotal:        3882236 kB
            Active(anon):     902112 kB
            HugePages_Total:       0
            Garbage line without colon
            Broken:          12x kB
            Weird:   5 MB
            \tMemFree:\t\t1021556 kB   \r
            NewKernelField:     42 kB
            """
        let parsed = MeminfoParser.parse(text, file: "/proc/meminfo")
        #expect(
            parsed.value.map(\.metricSuffix) == ["MemTotal_bytes", "Active_anon_bytes", "HugePages_Total", "MemFree_bytes", "NewKernelField_bytes"]
        )
        #expect(parsed.value[0].value == 3882236 * 1024)
        #expect(parsed.issues.map(\.line) == [4, 5, 6])
        #expect(parsed.issues[0].description.hasPrefix("/proc/meminfo:4: expected \"Name: value [kB]\""))
        #expect(parsed.issues[1].message.contains("expected a number for Broken"))
        #expect(parsed.issues[2].message.contains("expected unit kB"))
    }

    @Test("numbers: overflow, hex floats, words and empty strings are rejected")
    func numbers() {
        #expect(NumberParsing.decimal("1e400") == nil)
        #expect(NumberParsing.decimal("0x1p3") == nil)
        #expect(NumberParsing.decimal("inf") == nil)
        #expect(NumberParsing.decimal("nan") == nil)
        #expect(NumberParsing.decimal("") == nil)
        #expect(NumberParsing.decimal("-") == nil)
        #expect(NumberParsing.decimal("1.5e3") == 1500)
        #expect(NumberParsing.decimal("-12") == -12)
        #expect(NumberParsing.decimal("18446744073709551615") == 18_446_744_073_709_551_615)
        #expect(NumberParsing.unsigned("18446744073709551616") == nil)
        #expect(NumberParsing.hexadecimal("0x50005") == 0x50005)
        #expect(NumberParsing.hexadecimal("zz") == nil)
    }

    @Test("empty and truncated files yield no values and no crash")
    func emptyAndTruncated() {
        #expect(MeminfoParser.parse("", file: "f").value.isEmpty)
        #expect(LoadavgParser.parse("", file: "/proc/loadavg").value == nil)
        #expect(LoadavgParser.parse("0.5 0.4", file: "/proc/loadavg").issues.first?.message.contains("three load averages") == true)
        let stat = ProcStatParser.parse("cpu0 1 2 3\nctxt", file: "/proc/stat")
        #expect(stat.value.cpus.isEmpty)
        #expect(stat.value.contextSwitches == nil)
        #expect(stat.issues.count == 2)
        let disks = DiskstatsParser.parse("   8       0 sda 812345 41234 9123", file: "/proc/diskstats")
        #expect(disks.value.isEmpty)
        #expect(disks.issues.first?.message.contains("at least 11 counters") == true)
        #expect(
            NetDevParser.parse("Inter-|\n face |\n  eth0: 1 2 3", file: "/proc/net/dev").issues.first?.message.contains("16 numeric counters") == true
        )
    }

    @Test("/proc/stat: per-CPU jiffies with old kernels' shorter rows and unknown keys")
    func procStat() {
        let parsed = ProcStatParser.parse(
            """
            cpu  10 0 10 100
            cpu0 10 0 10 100
            cpu1 1 2 3 4 5 6 7 8 9 10 11
            cpuX 1 2 3 4
            futurekey 17
            btime 1732512011
            procs_running 3
            """,
            file: "/proc/stat"
        )
        #expect(parsed.value.cpus.map(\.cpu) == ["0", "1"])
        #expect(parsed.value.cpus[1].jiffies.count == 11)
        #expect(parsed.value.bootTime == 1_732_512_011)
        #expect(parsed.issues.map(\.line) == [4])
    }

    @Test("mountinfo: optional fields, octal escapes; mounts fallback")
    func mounts() {
        let info = MountsParser.parseMountinfo(
            """
            36 35 98:0 / /mnt/usb\\040ssd ro,noatime master:1 shared:2 - ext4 /dev/sda1 rw,errors=continue
            37 35 0:5 / /dev rw - devtmpfs devtmpfs rw
            bad line
            """,
            file: "/proc/1/mountinfo"
        )
        #expect(info.value.map(\.mountPoint) == ["/mnt/usb ssd", "/dev"])
        #expect(info.value[0].isReadOnly)
        #expect(info.value[0].device == "/dev/sda1")
        #expect(info.issues.map(\.line) == [3])
        let plain = MountsParser.parseMounts("/dev/root / ext4 rw,noatime 0 0\nshort\n", file: "/proc/mounts")
        #expect(plain.value.first?.fsType == "ext4")
        #expect(plain.issues.count == 1)
    }

    @Test("os-release: quoting, escapes, comments and bad lines")
    func osRelease() {
        let parsed = OSReleaseParser.parse(
            """
            # comment
            NAME="Ubuntu"
            VARIANT="Server \\"Edition\\""
            BUILD_ID='2024-08-27'
            ID=ubuntu
            not a key value
            BAD="unterminated
            """,
            file: "/etc/os-release"
        )
        #expect(parsed.value["NAME"] == "Ubuntu")
        #expect(parsed.value["VARIANT"] == "Server \"Edition\"")
        #expect(parsed.value["BUILD_ID"] == "2024-08-27")
        #expect(parsed.value["ID"] == "ubuntu")
        #expect(parsed.issues.map(\.line) == [6, 7])
    }

    @Test("Raspberry Pi get_throttled bits decode to now and since-boot flags")
    func throttled() throws {
        let flags = try #require(ThrottledFlags(text: "50005\n"))
        #expect(flags.isActive(.underVoltage))
        #expect(!flags.isActive(.frequencyCapped))
        #expect(flags.isActive(.throttled))
        #expect(!flags.isActive(.softTemperatureLimit))
        #expect(flags.hasOccurred(.underVoltage))
        #expect(flags.hasOccurred(.throttled))
        #expect(!flags.hasOccurred(.frequencyCapped))
        let capped = try #require(ThrottledFlags(text: "0x80008"))
        #expect(capped.isActive(.softTemperatureLimit) && capped.hasOccurred(.softTemperatureLimit))
        #expect(ThrottledFlags(text: "throttled=0x0") == nil)
        #expect(ThrottledFlags(text: "") == nil)
    }

    @Test("hwmon names: sensor file split and chip name cleaning")
    func hwmonNames() {
        #expect(HwmonNaming.explode("temp1_input")! == ("temp", "1", "input"))
        #expect(HwmonNaming.explode("power1_average_interval")! == ("power", "1", "average_interval"))
        #expect(HwmonNaming.explode("update_interval")! == ("update_interval", "", ""))
        #expect(HwmonNaming.explode("temp1x") == nil)
        #expect(HwmonNaming.clean(" Package id 0\n") == "package_id_0")
        #expect(HwmonNaming.chipName(resolvedDevicePath: "/sys/devices/platform/coretemp.0") == "platform_coretemp_0")
    }

    @Test("sockstat and pressure lines")
    func sockstatAndPressure() {
        let sock = SockstatParser.parse(
            "sockets: used 412\nTCP: inuse 38 orphan 0 tw 21 alloc 45 mem 12\nUDP: inuse x mem 4\nodd\n",
            file: "/proc/net/sockstat"
        )
        #expect(sock.value.count == 6)
        #expect(sock.issues.map(\.line) == [3, 4])
        let psi = PressureParser.parse("some avg10=0.31 avg60=0.22 avg300=0.18 total=81234567\nfull avg10=0.20\n", file: "/proc/pressure/io")
        #expect(psi.value.someTotal == 81_234_567)
        #expect(psi.value.fullTotal == nil)
        #expect(psi.issues.first?.message.contains("total=") == true)
    }
}
