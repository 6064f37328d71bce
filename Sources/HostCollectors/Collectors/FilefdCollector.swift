import EdgewatchCore
import HostFS

/// node_exporter's `filefd`: allocated and maximum file handles from /proc/sys/fs/file-nr.
public struct FilefdCollector: Collector {
    public let name = "filefd"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let path = "sys/fs/file-nr"
        let text = try context.proc.tree.required(path)
        let fields = TextScanning.fields(text)
        guard fields.count == 3, let allocated = NumberParsing.decimal(fields[0]), NumberParsing.decimal(fields[1]) != nil,
            let maximum = NumberParsing.decimal(fields[2])
        else {
            issues.append(
                ParseIssue(
                    file: context.proc.tree.path(path),
                    line: 1,
                    message: "expected three numbers \"allocated unused maximum\", got \"\(TextScanning.trimmed(text.prefix(80)))\""
                )
            )
            throw .failed("unreadable \(path)")
        }
        metrics.add("node_filefd_allocated", "File descriptor statistics: allocated.", .gauge, allocated)
        metrics.add("node_filefd_maximum", "File descriptor statistics: maximum.", .gauge, maximum)
    }
}
