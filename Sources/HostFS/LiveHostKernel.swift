import CEdgewatchLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// ``HostKernel`` backed by the running kernel's system calls.
public struct LiveHostKernel: HostKernel {
    public init() {}

    public func wallTime() -> WallTime {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var local = tm()
        localtime_r(&seconds, &local)
        let zone = local.tm_zone.map { String(cString: $0) } ?? "UTC"
        return WallTime(
            seconds: Double(now.tv_sec) + Double(now.tv_nsec) / 1e9,
            zoneName: zone,
            zoneOffsetSeconds: Int(local.tm_gmtoff)
        )
    }

    public func identity() -> SystemIdentity? {
        var names = utsname()
        guard uname(&names) == 0 else { return nil }
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        return SystemIdentity(
            sysname: field(names.sysname),
            nodename: field(names.nodename),
            release: field(names.release),
            version: field(names.version),
            machine: field(names.machine),
            domainname: field(names.__domainname)
        )
    }

    public func clockState() -> KernelClockState? {
        var reading = cew_timex_reading()
        guard cew_adjtimex_read(&reading) == 0 else { return nil }
        return KernelClockState(
            state: reading.state,
            status: reading.status,
            offset: reading.offset,
            frequency: reading.freq,
            maxError: reading.maxerror,
            estimatedError: reading.esterror,
            constant: reading.constant,
            precision: reading.precision,
            tolerance: reading.tolerance,
            tick: reading.tick,
            ppsFrequency: reading.ppsfreq,
            jitter: reading.jitter,
            shift: reading.shift,
            stability: reading.stabil,
            jitterCount: reading.jitcnt,
            calibrationCount: reading.calcnt,
            errorCount: reading.errcnt,
            stabilityExceededCount: reading.stbcnt,
            taiOffset: reading.tai
        )
    }

    public func filesystemUsage(atPath path: String) -> Result<FilesystemUsage, FileSystemError> {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return .failure(FileSystemError.from(errno: errno, path: path)) }
        let unit = Double(info.f_frsize == 0 ? info.f_bsize : info.f_frsize)
        return .success(
            FilesystemUsage(
                sizeBytes: Double(info.f_blocks) * unit,
                freeBytes: Double(info.f_bfree) * unit,
                availableBytes: Double(info.f_bavail) * unit,
                files: Double(info.f_files),
                filesFree: Double(info.f_ffree),
                readOnly: (info.f_flag & UInt(ST_RDONLY)) != 0
            )
        )
    }

    public var pageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }
}
