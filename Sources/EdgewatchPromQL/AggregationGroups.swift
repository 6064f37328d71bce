import EdgewatchCore

/// One aggregation's groups over the steps of a query. A step's input mostly lists the same series
/// in the same order as the step before, so each input position remembers its label set and group:
/// an unchanged label set (usually the same storage, compared at once) needs no key made and hashed.
struct AggregationGroups {
    /// The group keys by number, in order of first appearance over the query.
    private(set) var keys: [Labels] = []
    private var numbers: [Labels: Int] = [:]
    /// Per input position in the previous step, its labels and group number.
    private var inputs: [Labels] = []
    private var inputGroups: [Int] = []
    /// This step's members (input indices) per group number, and the groups in order of first member.
    private(set) var members: [[Int]] = []
    private(set) var order: [Int] = []

    /// Starts a step: no group has members.
    mutating func beginStep() {
        for number in order { members[number].removeAll(keepingCapacity: true) }
        order.removeAll(keepingCapacity: true)
    }

    /// Adds the input at `position`, whose labels are `labels`, to its group; `key` makes the group
    /// key when the position held other labels before.
    mutating func add(position: Int, _ labels: Labels, key: (Labels) -> Labels) {
        if position < inputs.count, inputs[position] == labels {
            add(position, to: inputGroups[position])
            return
        }
        let number = self.number(of: key(labels))
        if position < inputs.count {
            inputs[position] = labels
            inputGroups[position] = number
        } else {
            inputs.append(labels)
            inputGroups.append(number)
        }
        add(position, to: number)
    }

    /// Adds the input at `position` to the group `groupKey` (for keys that depend on more than labels).
    mutating func add(position: Int, groupKey: Labels) {
        add(position, to: number(of: groupKey))
    }

    private mutating func number(of groupKey: Labels) -> Int {
        if let known = numbers[groupKey] { return known }
        let number = keys.count
        keys.append(groupKey)
        members.append([])
        numbers[groupKey] = number
        return number
    }

    private mutating func add(_ position: Int, to number: Int) {
        if members[number].isEmpty { order.append(number) }
        members[number].append(position)
    }
}
