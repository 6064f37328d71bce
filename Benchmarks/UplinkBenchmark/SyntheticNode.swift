import EdgewatchEncoding

/// Values shaped like a node's: counters rising by a per-series step with noise, gauges that
/// change 30 % of the cycles by up to ±2 %. One generator for the bytes benchmark and the backlog.
struct SyntheticNode {
    let keys: [SeriesKey]
    private(set) var values: [Double]
    private let steps: [Double]

    @MainActor init(keys: [SeriesKey]) {
        self.keys = keys
        values = keys.map { key -> Double in key.type == .counter ? random() * 1e6 : random() * 1e9 }
        steps = keys.map { key -> Double in key.type == .counter ? (random() * 100).rounded() : 0 }
    }

    /// The values of the next cycle.
    @MainActor mutating func advance() -> [Double] {
        for index in keys.indices {
            switch keys[index].type {
            case .counter: values[index] += (steps[index] * (0.5 + random())).rounded()
            case .gauge: if random() < 0.3 { values[index] = (values[index] * (0.98 + random() * 0.04)).rounded() }
            case .unknown: break
            }
        }
        return values
    }
}
