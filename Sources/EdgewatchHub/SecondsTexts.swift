/// The text of timestamps in seconds (``PrometheusJSON/QueryData``'s `12`, `12.5`) as written
/// lately, by slot: a range query's series share its steps, so a fleet's answer writes the same
/// few instants thousands of times (a thirtieth of the hub's time answering one metric over 2000
/// nodes, written anew each time).
struct SecondsTexts {
    private static let slots = 64
    /// The longest text kept: a non-negative `Int64` of milliseconds as seconds is 20 bytes at most.
    private static let width = 24
    private var keys = [Int64](repeating: -1, count: slots)
    private var lengths = [Int](repeating: 0, count: slots)
    private var texts = [UInt8](repeating: 0, count: slots * width)

    /// Appends the text of `milliseconds` to `output`: the one kept when its slot holds it, else
    /// `write`'s, then kept (a time before 1970 is written each time).
    mutating func append(_ milliseconds: Int64, to output: inout [UInt8], write: (Int64, inout [UInt8]) -> Void) {
        guard milliseconds >= 0 else { return write(milliseconds, &output) }
        let slot = Int((milliseconds / 1000) % Int64(Self.slots))
        let start = slot * Self.width
        if keys[slot] == milliseconds {
            texts.withUnsafeBufferPointer { output.append(contentsOf: UnsafeBufferPointer(rebasing: $0[start..<start + lengths[slot]])) }
            return
        }
        let before = output.count
        write(milliseconds, &output)
        let length = output.count - before
        guard length <= Self.width else { return }
        texts.replaceSubrange(start..<start + length, with: output[before...])
        keys[slot] = milliseconds
        lengths[slot] = length
    }
}
