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
        var groups: [[Item]] = counts.map { count in
            var group: [Item] = []
            group.reserveCapacity(count)
            return group
        }
        for (item, number) in zip(items, numbered) { groups[number].append(item) }
        return Array(zip(keys, groups))
    }
}
