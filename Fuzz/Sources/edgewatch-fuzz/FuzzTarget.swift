#if canImport(Glibc)
import Glibc
#endif

/// One fuzz target: a name (`EDGEWATCH_FUZZ_TARGET`, the corpus and dictionary file names under
/// `Fuzz/`) and what it does with an input.
struct FuzzTarget: Sendable {
    var name: String
    var run: @Sendable ([UInt8]) -> Void

    /// The target this process fuzzes, chosen once by `EDGEWATCH_FUZZ_TARGET` (`make fuzz` sets it).
    static let selected = fromEnvironment()

    /// Every target, in the order `make fuzz` runs them.
    static let all: [FuzzTarget] =
        hostTargets + configTargets + promQLTargets + ruleTargets + regexTargets + wireTargets + encodingTargets
        + expositionTargets + kubernetesTargets + bundleTargets

    /// The target `EDGEWATCH_FUZZ_TARGET` names; the list of names and exit status 2 otherwise.
    static func fromEnvironment() -> FuzzTarget {
        let wanted = getenv("EDGEWATCH_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        if let target = all.first(where: { $0.name == wanted }) { return target }
        FuzzCheck.report("EDGEWATCH_FUZZ_TARGET=\"\(wanted)\" is not a target; one of: \(all.map(\.name).joined(separator: " "))")
        exit(2)
    }
}
