/// An accumulator that collectors write samples into; yields families sorted by name.
///
/// Samples of one family are sorted by labels; a repeated series keeps its first value and is
/// reported in `duplicates`.
public struct MetricSet: Sendable {
    private var families: [MetricFamily] = []
    private var indexByName: [String: Int] = [:]

    public init() {}

    /// Adds one sample; the first call for a name fixes the family's help (built only then) and type.
    public mutating func add(
        _ name: String,
        _ help: @autoclosure () -> String,
        _ type: MetricType,
        _ value: Double,
        _ labels: Labels = Labels()
    ) {
        if let index = indexByName[name] {
            families[index].samples.append(MetricSample(labels: labels, value: value))
        } else {
            indexByName[name] = families.count
            families.append(
                MetricFamily(name: name, help: help(), type: type, samples: [MetricSample(labels: labels, value: value)])
            )
        }
    }

    /// Adds all families of another set.
    public mutating func merge(_ other: MetricSet) {
        for family in other.families {
            if let index = indexByName[family.name] {
                families[index].samples += family.samples
            } else {
                indexByName[family.name] = families.count
                families.append(family)
            }
        }
    }

    /// Whether no sample was added.
    public var isEmpty: Bool { families.isEmpty }

    /// The number of samples added.
    public var sampleCount: Int { families.reduce(0) { $0 + $1.samples.count } }

    /// Families sorted by name, samples sorted by labels, repeated series removed.
    public func sortedFamilies() -> (families: [MetricFamily], duplicates: [String]) {
        var duplicates: [String] = []
        let sorted = families.sorted { $0.name < $1.name }.map { family -> MetricFamily in
            // Collectors mostly add in label order already: then there is nothing to sort or drop.
            if zip(family.samples, family.samples.dropFirst()).allSatisfy({ $0.labels < $1.labels }) { return family }
            var copy = family
            let ordered = family.samples.enumerated().sorted {
                $0.element.labels == $1.element.labels ? $0.offset < $1.offset : $0.element.labels < $1.element.labels
            }
            var unique: [MetricSample] = []
            unique.reserveCapacity(ordered.count)
            for (_, sample) in ordered {
                if let last = unique.last, last.labels == sample.labels {
                    duplicates.append(family.name)
                    continue
                }
                unique.append(sample)
            }
            copy.samples = unique
            return copy
        }
        return (sorted, duplicates)
    }
}
