/// Sizes of a mounted filesystem from statvfs(3), in bytes and inodes.
public struct FilesystemUsage: Sendable, Hashable {
    public var sizeBytes: Double
    public var freeBytes: Double
    public var availableBytes: Double
    public var files: Double
    public var filesFree: Double
    public var readOnly: Bool

    public init(sizeBytes: Double, freeBytes: Double, availableBytes: Double, files: Double, filesFree: Double, readOnly: Bool) {
        self.sizeBytes = sizeBytes
        self.freeBytes = freeBytes
        self.availableBytes = availableBytes
        self.files = files
        self.filesFree = filesFree
        self.readOnly = readOnly
    }
}
