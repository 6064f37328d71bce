/// Items grouped by a key in one pass and each group's list made at its size: a fleet query
/// groups thousands of blocks or series by node, and lists grown item by item were most of its
/// allocations.
enum KeyedGroups {
    /// The groups of `items` by `key`, each in the items' order, the keys in the order first met.
    static func grouped<Item>(_ items: some Collection<Item>, by key: (Item) -> String) -> [(key: String, items: [Item])] {
        var numbers: [String: Int] = [:]
        var keys: [String] = []
        var counts: [Int] = []
        var numbered: [Int] = []
        numbered.reserveCapacity(items.count)
        for item in items {
            let name = key(item)
            let number = numbers[name] ?? keys.count
            if number == keys.count {
                numbers[name] = number
                keys.append(name)
                counts.append(0)
            }
            counts[number] += 1
            numbered.append(number)
        }
        return Array(zip(keys, lists(items, numbered, counts: counts)))
    }

    /// The groups of `items` by a `number` in `0..<count` (items without one, or with one outside
    /// it, are left out), each in the items' order: keys numbered beforehand
    /// (``ListedBlock/nodeNumber``) need no map made per call.
    static func grouped<Item>(_ items: some Collection<Item>, count: Int, by number: (Item) -> Int?) -> [[Item]] {
        var counts = [Int](repeating: 0, count: max(count, 0))
        var numbered: [Int] = []  // -1: left out
        numbered.reserveCapacity(items.count)
        for item in items {
            guard let number = number(item), counts.indices.contains(number) else {
                numbered.append(-1)
                continue
            }
            counts[number] += 1
            numbered.append(number)
        }
        return lists(items, numbered, counts: counts)
    }

    /// Each item in the list of its number (`numbered`, in the items' order; -1: none), each list
    /// made at its size (`counts`, by number).
    private static func lists<Item>(_ items: some Collection<Item>, _ numbered: [Int], counts: [Int]) -> [[Item]] {
        var groups: [[Item]] = counts.map { count in
            var group: [Item] = []
            group.reserveCapacity(count)
            return group
        }
        for (item, number) in zip(items, numbered) where number >= 0 { groups[number].append(item) }
        return groups
    }
}
