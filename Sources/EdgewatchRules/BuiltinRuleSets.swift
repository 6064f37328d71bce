/// The rule files shipped with edgewatch, embedded in the binary: `rules.builtin` names the sets an
/// agent evaluates without any file installed (`edge` by default).
public enum BuiltinRuleSets {
    /// A named, embedded rule file.
    public struct RuleSet: Sendable {
        /// The name `rules.builtin` uses (`edge`, `node-mixin`).
        public var name: String
        /// The file it was embedded from, relative to the repository (`config/rules.yaml`).
        public var source: String
        /// The file's text.
        public var text: String
    }

    /// Every embedded set, in a fixed order.
    public static let all: [RuleSet] = [
        RuleSet(name: "edge", source: "config/rules.yaml", text: edgeText),
        RuleSet(name: "node-mixin", source: "config/node-mixin.rules.yaml", text: node_mixinText),
    ]

    /// The names of the embedded sets.
    public static var names: [String] { all.map(\.name) }

    /// The set called `name`, if there is one.
    public static func named(_ name: String) -> RuleSet? { all.first { $0.name == name } }

    /// The groups of the set called `name`, parsed; their file reads `builtin:<name>`.
    public static func groups(named name: String) throws -> [RuleGroup] {
        guard let set = named(name) else { return [] }
        return try RuleFileParser.parse(set.text, file: "builtin:" + name)
    }
}
