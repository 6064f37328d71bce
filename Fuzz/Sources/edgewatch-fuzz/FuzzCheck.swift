#if canImport(Glibc)
import Glibc
#endif

/// How a target reports a broken property: a message on standard error, then abort, which
/// libFuzzer records as a crash with the input that caused it.
enum FuzzCheck {
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        guard !condition else { return }
        report("property broken: \(message())")
        abort()
    }

    static func report(_ message: String) {
        let line = Array((message + "\n").utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
