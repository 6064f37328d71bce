/// A command that failed for a reason its message names (the file, part or answer); printed by
/// the argument parser as `Error: <message>` with exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
