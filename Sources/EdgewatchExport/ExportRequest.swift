import EdgewatchCore
import EdgewatchEncoding

/// What `edgewatch export` was asked for.
public struct ExportRequest: Sendable {
    /// The parts a bundle can hold.
    public enum Part: String, Sendable, CaseIterable {
        case metrics, events, alerts, logs, podlogs
    }

    /// `raw`, `1m`, `1h`, or `auto` (the finest resolution the store still holds at each instant).
    public enum Resolution: String, Sendable, CaseIterable {
        case raw
        case minute = "1m"
        case hour = "1h"
        case auto

        var tier: Tier? {
            switch self {
            case .raw: return .raw
            case .minute: return .minute
            case .hour: return .hour
            case .auto: return nil
            }
        }
    }

    /// `bundle` (tar.gz with a manifest) or a single metrics file.
    public enum Format: String, Sendable, CaseIterable {
        case bundle, openmetrics, jsonl, csv
    }

    public var storePath: String
    public var from: Int64
    public var to: Int64
    public var parts: Set<Part>
    public var selector: Selector?
    public var selectorText: String?
    public var resolution: Resolution
    public var format: Format
    /// Where the bundle is written; `-` is standard output.
    public var output: String
    public var force: Bool
    /// The journal directory for the logs part (nil: the system journal) and the units read.
    public var journalDirectory: String?
    public var logUnits: [String] = ["k3s", "k3s-agent", "containerd", "edgewatch", "kernel"]
    /// The kubelet's container log tree for the podlogs part.
    public var podLogsDirectory = "/var/log/pods"

    public init(
        storePath: String,
        from: Int64,
        to: Int64,
        parts: Set<Part> = [.metrics, .events, .alerts, .logs],
        selector: Selector? = nil,
        selectorText: String? = nil,
        resolution: Resolution = .auto,
        format: Format = .bundle,
        output: String,
        force: Bool = false
    ) {
        self.storePath = storePath
        self.from = from
        self.to = to
        self.parts = parts
        self.selector = selector
        self.selectorText = selectorText
        self.resolution = resolution
        self.format = format
        self.output = output
        self.force = force
    }
}
