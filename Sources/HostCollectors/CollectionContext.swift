import HostFS

/// What collectors read from: the injected roots and kernel calls.
public struct CollectionContext: Sendable {
    public var proc: ProcFS
    public var sys: SysFS
    public var rootfs: RootFS
    public var kernel: any HostKernel
    /// Rarely changing values shared across cycles of one collection.
    public var cache: SlowChangingCache

    public init(
        proc: ProcFS = ProcFS(),
        sys: SysFS = SysFS(),
        rootfs: RootFS = RootFS(),
        kernel: any HostKernel = LiveHostKernel(),
        cache: SlowChangingCache = SlowChangingCache()
    ) {
        self.proc = proc
        self.sys = sys
        self.rootfs = rootfs
        self.kernel = kernel
        self.cache = cache
    }
}
