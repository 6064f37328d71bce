/// A one-line progress display on standard error (a terminal only), redrawn at most every whole percent.
final class ExportProgress {
    private let enabled: Bool
    private var last = ""

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ phase: String, _ fraction: Double) {
        guard enabled else { return }
        let line = "\(phase) \(Int(fraction * 100))%"
        guard line != last else { return }
        last = line
        StandardError.write("\r\u{1B}[K" + line)
    }

    func done() {
        guard enabled, !last.isEmpty else { return }
        StandardError.write("\r\u{1B}[K")
    }
}
