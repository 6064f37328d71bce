/// The `logs.units` names as sd-journal matches: `kernel` is the kernel's own transport, a bare
/// name is its `.service` unit, a full unit name is kept.
public enum JournalUnits {
    /// Units read when none are configured.
    public static let defaults = ["k3s", "k3s-agent", "containerd", "edgewatch", "kernel"]

    /// The match for one configured name.
    public static func match(_ name: String) -> String {
        if name == "kernel" { return "_TRANSPORT=kernel" }
        return "_SYSTEMD_UNIT=" + unit(name)
    }

    /// The full unit name (`k3s` → `k3s.service`).
    public static func unit(_ name: String) -> String {
        if name == "kernel" || name.contains(".") { return name }
        return name + ".service"
    }
}
