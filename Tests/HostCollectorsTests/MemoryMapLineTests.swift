import HostFS
import Testing

/// /proc/PID/smaps as the agent reads it to drop clean code pages.
struct MemoryMapLineTests {
    @Test("code and constant data of files are candidates; writable, anonymous and special mappings are not")
    func headers() {
        let cases: [(String, MemoryMapLine.Mapping?)] = [
            (
                "55ae3ab10000-55ae3c54f000 r-xp 00000000 fd:01 1837392                    /usr/bin/edgewatch",
                .init(start: 0x55ae_3ab1_0000, end: 0x55ae_3c54_f000, readOnlyFile: true)
            ),
            (
                "7f4a1b61e000-7f4a1b644000 r--p 00000000 fd:01 2102  /usr/lib/x86_64-linux-gnu/libc.so.6",
                .init(start: 0x7f4a_1b61_e000, end: 0x7f4a_1b64_4000, readOnlyFile: true)
            ),
            (
                "7f4a1b800000-7f4a1b900000 rw-p 00100000 fd:01 2102  /usr/lib/x86_64-linux-gnu/libc.so.6",
                .init(start: 0x7f4a_1b80_0000, end: 0x7f4a_1b90_0000, readOnlyFile: false)
            ),
            (
                "7ffd5c3f0000-7ffd5c411000 rw-p 00000000 00:00 0                          [stack]",
                .init(start: 0x7ffd_5c3f_0000, end: 0x7ffd_5c41_1000, readOnlyFile: false)
            ),
            (
                "7ffd5c5f6000-7ffd5c5f8000 r-xp 00000000 00:00 0                          [vdso]",
                .init(start: 0x7ffd_5c5f_6000, end: 0x7ffd_5c5f_8000, readOnlyFile: false)
            ),
            ("7f0000000000-7f0000001000 r--p 00000000 00:00 0 ", .init(start: 0x7f00_0000_0000, end: 0x7f00_0000_1000, readOnlyFile: false)),
            (
                "7f4a1dd39000-7f4a1dd3b000 r-xp 00000000 fd:01 77 /usr/lib/libz.so.1 (deleted)",
                .init(start: 0x7f4a_1dd3_9000, end: 0x7f4a_1dd3_b000, readOnlyFile: true)
            ),
            ("Anonymous:             0 kB", nil),
            ("VmFlags: rd ex mr mw me dw sd", nil),
            (
                "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0  [vsyscall]",
                .init(start: 0xffff_ffff_ff60_0000, end: 0xffff_ffff_ff60_1000, readOnlyFile: false)
            ),
            ("zzzz-0000 r-xp 00000000 fd:01 1 /x", nil),
            ("2000-1000 r-xp 00000000 fd:01 1 /x", nil),
            ("", nil),
        ]
        for (line, expected) in cases {
            #expect(MemoryMapLine.mapping(line[...]) == expected, "\(line)")
        }
    }

    @Test("Anonymous: in kB; other fields and damaged lines are not it")
    func anonymous() {
        #expect(MemoryMapLine.anonymousKilobytes("Anonymous:           752 kB") == 752)
        #expect(MemoryMapLine.anonymousKilobytes("Anonymous:             0 kB") == 0)
        #expect(MemoryMapLine.anonymousKilobytes("AnonHugePages:         0 kB") == nil)
        #expect(MemoryMapLine.anonymousKilobytes("Anonymous:") == nil)
        #expect(MemoryMapLine.anonymousKilobytes("Anonymous: x kB") == nil)
    }

    @Test("a whole smaps text: code and unrelocated constants of files, not relocated, writable or anonymous mappings")
    func cleanMappings() {
        let smaps = """
            55ae3ab10000-55ae3c54f000 r-xp 00000000 fd:01 1837392  /usr/bin/edgewatch
            Size:              26796 kB
            Rss:                3700 kB
            Anonymous:             0 kB
            AnonHugePages:         0 kB
            VmFlags: rd ex mr mw me dw sd
            55ae3c54f000-55ae3c60b000 r--p 01a3e000 fd:01 1837392  /usr/bin/edgewatch
            Rss:                 752 kB
            Anonymous:           752 kB
            55ae3c60b000-55ae3ca00000 rw-p 01afa000 fd:01 1837392  /usr/bin/edgewatch
            Anonymous:           244 kB
            7f4a1b61e000-7f4a1b644000 r--p 00000000 fd:01 2102  /usr/lib/x86_64-linux-gnu/libc.so.6
            Anonymous:             0 kB
            7f4a1b700000-7f4a1b710000 r--p 00000000 00:00 0
            Anonymous:             0 kB
            7ffd5c5f6000-7ffd5c5f8000 r-xp 00000000 00:00 0  [vdso]
            Anonymous:             0 kB

            """
        #expect(
            MemoryMapLine.cleanReadOnlyMappings(smaps) == [
                .init(start: 0x55ae_3ab1_0000, end: 0x55ae_3c54_f000, readOnlyFile: true),
                .init(start: 0x7f4a_1b61_e000, end: 0x7f4a_1b64_4000, readOnlyFile: true),
            ]
        )
        #expect(MemoryMapLine.cleanReadOnlyMappings("").isEmpty)
        // A header without its Anonymous line (a truncated read) is not taken on trust.
        #expect(MemoryMapLine.cleanReadOnlyMappings("1000-2000 r-xp 00000000 fd:01 7 /x\n").isEmpty)
    }
}
