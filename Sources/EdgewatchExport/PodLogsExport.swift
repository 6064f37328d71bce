import EdgewatchBundle
import EdgewatchCore
import EdgewatchExposition

/// The podlogs part: container log lines of the range from the kubelet's log tree
/// (`<root>/<namespace>_<pod>_<uid>/<container>/<n>.log`, rotated files `<n>.log.<time>` and their
/// `.gz`), in the CRI format `<RFC 3339 time> <stdout|stderr> <P|F> <text>`; partial lines (`P`)
/// are joined with what follows. One JSON object per line:
/// `{"time","timestamp_ms","namespace","pod","container","stream","message"}`.
struct PodLogsExport {
    static let fileName = "podlogs.jsonl"

    let root: String
    let from: Int64
    let to: Int64

    func write(to output: OutputFile) throws(BundleError) -> PartTotals {
        var totals = PartTotals()
        for directory in LocalFiles.glob(root + "/*/*") {
            let parts = directory.split(separator: "/").suffix(2)
            guard parts.count == 2 else { continue }
            let pod = parts[parts.startIndex].split(separator: "_", omittingEmptySubsequences: false)
            guard pod.count == 3 else { continue }
            let origin = (namespace: String(pod[0]), pod: String(pod[1]), container: String(parts[parts.index(after: parts.startIndex)]))
            // Rotated files (older) first, then the current ones.
            let files = LocalFiles.glob(directory + "/*.log.*") + LocalFiles.glob(directory + "/*.log")
            for file in files { try copy(file, origin: origin, to: output, totals: &totals) }
        }
        return totals
    }

    private func copy(
        _ path: String,
        origin: (namespace: String, pod: String, container: String),
        to output: OutputFile,
        totals: inout PartTotals
    )
        throws(BundleError)
    {
        let input = try InputFile(path: path)
        var lines: LineReader
        if path.hasSuffix(".gz") {
            let gzip = try GzipReader(input: input)
            lines = LineReader { (raw) throws(BundleError) -> Int in try gzip.read(into: raw) }
        } else {
            lines = LineReader { (raw) throws(BundleError) -> Int in try input.read(into: raw) }
        }
        var partial = ""
        while let line = try lines.next(tooLong: { BundleError.io(path: path, reason: "a line at byte \($0) is longer than 1 MiB") }) {
            guard let entry = Self.parse(line) else { continue }
            if entry.partial {
                partial += entry.text
                continue
            }
            let message = partial + entry.text
            partial = ""
            guard entry.time >= from, entry.time <= to else { continue }
            var text = "{\"time\":\"" + RFC3339.format(milliseconds: entry.time) + "\",\"timestamp_ms\":" + String(entry.time)
            text += ",\"namespace\":" + SampleValueFormat.jsonString(origin.namespace) + ",\"pod\":" + SampleValueFormat.jsonString(origin.pod)
            text += ",\"container\":" + SampleValueFormat.jsonString(origin.container) + ",\"stream\":" + SampleValueFormat.jsonString(entry.stream)
            text += ",\"message\":" + SampleValueFormat.jsonString(message) + "}\n"
            try output.write(text)
            totals.add(entry.time)
        }
    }

    /// A CRI log line; nil when it is not one.
    static func parse(_ line: Substring) -> (time: Int64, stream: String, partial: Bool, text: Substring)? {
        let fields = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count >= 3, let time = RFC3339.milliseconds(String(fields[0])), fields[1] == "stdout" || fields[1] == "stderr",
            fields[2] == "P" || fields[2] == "F"
        else { return nil }
        return (time, String(fields[1]), fields[2] == "P", fields.count == 4 ? fields[3] : "")
    }
}
