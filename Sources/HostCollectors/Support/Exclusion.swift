import EdgewatchCore

/// A collector's exclusion pattern, compiled once. A pattern that does not compile is kept as its
/// error, so the collector fails loudly (success 0, the reason logged) instead of silently
/// including everything.
struct Exclusion: Sendable {
    private let compiled: Result<PosixRegex, RegexError>

    init(_ pattern: String) {
        do {
            compiled = .success(try PosixRegex(pattern))
        } catch {
            compiled = .failure(error)
        }
    }

    /// The compiled pattern; a collector that needs it fails with the reason.
    func regex() throws(CollectorError) -> PosixRegex {
        switch compiled {
        case .success(let regex): return regex
        case .failure(let error): throw .failed("exclusion pattern does not compile: \(error)")
        }
    }
}
