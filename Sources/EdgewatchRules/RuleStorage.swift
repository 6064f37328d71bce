import EdgewatchCore
import EdgewatchPromQL

/// Where rule evaluation reads series and writes its results (recorded series, `ALERTS`, staleness markers).
public protocol RuleStorage: SeriesSource {
    mutating func append(_ labels: Labels, _ point: Point)
}

extension MemorySeriesSource: RuleStorage {}
