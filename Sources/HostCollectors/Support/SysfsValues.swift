import HostFS

/// Reading single-value sysfs files: absent or unreadable files yield nil, never an error.
extension FileTree {
    /// A trimmed one-line value, or nil when the file is absent, unreadable (EINVAL, EAGAIN …) or empty.
    func optionalValue(_ relative: String) -> String? {
        guard let value = try? readValue(relative) else { return nil }
        return value
    }

    /// A decimal number from a one-value file, or nil.
    func optionalNumber(_ relative: String) -> Double? {
        guard let text = optionalValue(relative) else { return nil }
        return NumberParsing.decimal(text)
    }

    /// Names of subdirectories (or links to directories) of `relative` whose names start with `prefix`.
    func entries(_ relative: String, prefix: String) -> [String] {
        guard let entries = try? list(relative) else { return [] }
        return entries.filter { $0.name.hasPrefix(prefix) && $0.kind != .file }.map(\.name)
    }
}
