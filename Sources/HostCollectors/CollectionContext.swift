import HostFS

/// What collectors read from: the injected roots and kernel calls.
public struct CollectionContext: Sendable {
    public var proc: ProcFS
    public var sys: SysFS
    public var rootfs: RootFS
    public var kernel: any HostKernel
    /// Rarely changing values shared across cycles of one collection.
    public var cache: SlowChangingCache
    /// Files several collectors read, read once per cycle.
    public var cycleFiles: CycleFiles
    /// Pod and container names from the apiserver, when the agent watches it.
    public var podDirectory: PodDirectory?
    /// The kernel files `proc` and `sys` keep open between cycles (swept each cycle); nil for a
    /// single collection, which would gain nothing and hold them to its end.
    public let keptFiles: KeptFiles?

    public init(
        proc: ProcFS = ProcFS(),
        sys: SysFS = SysFS(),
        rootfs: RootFS = RootFS(),
        kernel: any HostKernel = LiveHostKernel(),
        cache: SlowChangingCache = SlowChangingCache(),
        cycleFiles: CycleFiles = CycleFiles(),
        keepsFilesOpen: Bool = true
    ) {
        let kept = keepsFilesOpen ? KeptFiles() : nil
        self.proc = kept.map { ProcFS(tree: proc.tree.keeping($0)) } ?? proc
        self.sys = kept.map { SysFS(tree: sys.tree.keeping($0)) } ?? sys
        keptFiles = kept
        self.rootfs = rootfs
        self.kernel = kernel
        self.cache = cache
        self.cycleFiles = cycleFiles
    }
}
