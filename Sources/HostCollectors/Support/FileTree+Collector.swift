import HostFS

extension FileTree {
    /// Reads a file a collector cannot do without; a missing file makes the collector unavailable.
    func required(_ relative: String) throws(CollectorError) -> String {
        do {
            return try readText(relative)
        } catch {
            throw CollectorError(error)
        }
    }

    /// Reads a required one-number file; a malformed one is reported in `issues` and fails the collector.
    func requiredNumber(_ relative: String, issues: inout [ParseIssue]) throws(CollectorError) -> Double {
        let text = try required(relative)
        guard let value = NumberParsing.decimal(TextScanning.trimmed(text)) else {
            issues.append(ParseIssue(file: path(relative), line: 1, message: "expected a number, got \"\(TextScanning.trimmed(text.prefix(40)))\""))
            throw .failed("unreadable \(relative)")
        }
        return value
    }

    /// Lists a directory a collector cannot do without; a missing one makes the collector unavailable.
    func requiredListing(_ relative: String) throws(CollectorError) -> [DirectoryEntry] {
        do {
            return try list(relative)
        } catch {
            throw CollectorError(error)
        }
    }
}
