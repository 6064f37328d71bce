/// Why the journal cannot be read: libsystemd missing, a directory without journal files, or an
/// sd-journal call failing (with its errno).
public struct JournalError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
