import EdgewatchCore
import HostFS

/// The board's identity: model (device tree, else DMI) and the current boot id.
public struct BoardCollector: Collector {
    public let name = "board"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        var found = false
        if let model = boardModel(context) {
            let compatible = deviceTreeCompatible(context)
            metrics.add(
                "edgewatch_board_info",
                "Board model (device tree or DMI) and first device-tree compatible string; value is always 1.",
                .gauge,
                1,
                ["model": model, "compatible": compatible]
            )
            found = true
        }
        if let bootID = context.slowValue("sys/kernel/random/boot_id", in: context.proc.tree), !bootID.isEmpty {
            metrics.add("edgewatch_boot_info", "The kernel's random boot id, new at every boot; value is always 1.", .gauge, 1, ["boot_id": bootID])
            found = true
        }
        if !found { throw .unavailable("no device-tree model, DMI product name or boot id") }
    }

    /// `/proc/device-tree/model`, `/sys/firmware/devicetree/base/model`, else DMI vendor + product.
    func boardModel(_ context: CollectionContext) -> String? {
        if let model = context.slowValue("device-tree/model", in: context.proc.tree)
            ?? context.slowValue("firmware/devicetree/base/model", in: context.sys.tree),
            !model.isEmpty
        {
            return model
        }
        let vendor = context.slowValue("class/dmi/id/sys_vendor", in: context.sys.tree) ?? ""
        let product = context.slowValue("class/dmi/id/product_name", in: context.sys.tree) ?? ""
        let model = TextScanning.trimmed([vendor, product].filter { !$0.isEmpty }.joined(separator: " "))
        return model.isEmpty ? nil : model
    }

    /// The first NUL-separated entry of the device tree's `compatible`, or "".
    func deviceTreeCompatible(_ context: CollectionContext) -> String {
        let bytes =
            (try? context.proc.tree.readBytes("device-tree/compatible"))
            ?? (try? context.sys.tree.readBytes("firmware/devicetree/base/compatible")) ?? []
        let first = bytes.split(separator: 0).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return TextScanning.trimmed(first)
    }
}
