import EdgewatchCore
import EdgewatchEncoding

extension FuzzInput {
    /// A block as the store would make one, from fuzz bytes: 0–24 ascending timestamps with gaps
    /// of any size, 1 or 5 columns, 0–12 series with ascending ids, optional presence maps and
    /// values of any bit pattern (NaN payloads, stale markers, ±Inf, subnormals).
    mutating func block(columns: Int? = nil) -> Block {
        let columns = columns ?? (byte() & 1 == 0 ? 1 : 5)
        var timestamps: [Int64] = []
        var time = int64() >> UInt64(byte() % 64)
        for _ in 0..<count(24) {
            timestamps.append(time)
            let gap = Int64(bitPattern: uint64() >> UInt64(byte() % 64)) & Int64.max
            let (next, overflow) = time.addingReportingOverflow(max(1, gap))
            guard !overflow else { break }
            time = next
        }
        var series: [BlockSeries] = []
        var id = Int64(byte())
        for _ in 0..<count(12) {
            let present: [Bool]? = byte() & 1 == 0 ? nil : timestamps.map { _ in byte() & 1 == 1 }
            let rows = present.map { $0.filter { $0 }.count } ?? timestamps.count
            let values = (0..<columns).map { _ in (0..<rows).map { _ in value() } }
            series.append(BlockSeries(id: id, present: present, values: values))
            id += 1 + Int64(byte()) * Int64(byte())
        }
        return Block(timestamps: timestamps, columns: columns, series: series)
    }

    /// A sample value: mostly the shapes real series have, sometimes any bit pattern.
    mutating func value() -> Double {
        switch byte() % 8 {
        case 0: return double()
        case 1: return Double(bitPattern: 0x7ff0_0000_0000_0002)  // Prometheus' stale marker
        case 2: return [Double.infinity, -.infinity, .nan, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude][Int(byte()) % 6]
        case 3: return Double(int64() >> 40) / 8
        default: return Double(byte())
        }
    }
}

extension Block {
    /// Equal bit for bit (NaN payloads compared as bits), which `==` on doubles cannot say.
    func isIdentical(to other: Block) -> Bool {
        guard timestamps == other.timestamps, columns == other.columns, series.count == other.series.count else { return false }
        for (left, right) in zip(series, other.series) {
            guard left.id == right.id, (left.present ?? []) == (right.present ?? []), left.values.count == right.values.count else { return false }
            for (a, b) in zip(left.values, right.values) {
                guard a.map(\.bitPattern) == b.map(\.bitPattern) else { return false }
            }
        }
        return true
    }
}
