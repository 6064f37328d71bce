/// Why a remote_write body could not be made or read.
public struct RemoteWriteError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
