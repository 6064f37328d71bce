import HostFS

extension CollectionContext {
    /// A one-value file that changes with a reboot or an OS upgrade, not per cycle (board model,
    /// DMI names, boot id): read once per cache refresh period; nil when absent.
    func slowValue(_ relative: String, in tree: FileTree) -> String? {
        cache.value("value:" + tree.path(relative)) { tree.optionalValue(relative) }
    }

    /// A whole text file of that kind (os-release); nil when absent or unreadable.
    func slowText(_ relative: String, in tree: FileTree) -> String? {
        cache.value("text:" + tree.path(relative)) { try? tree.readText(relative) }
    }
}
