import EdgewatchCore

/// The series `top` read, by family name.
struct TableView {
    let table: [String: [SeriesPoints]]
    /// Whether history holds rollups (1 m, 1 h) rather than raw points.
    let rollup: Bool
    /// The newest cycle's time.
    let last: Int64

    func all(_ name: String) -> [SeriesPoints] { table[name] ?? [] }

    func first(_ name: String) -> SeriesPoints? { table[name]?.first }

    func latest(_ name: String) -> Double? { first(name)?.latest }

    /// Series of `name` with a current value (a stale or evicted series is left out).
    func current(_ name: String) -> [SeriesPoints] {
        all(name).filter { $0.latest != nil && ($0.recent.last?.0 ?? 0) >= last - 1 }
    }
}
