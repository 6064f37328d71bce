/// What ``RE2Translation/checkRepetitions(_:fail:)`` tracks for one group level: the items of the
/// alternative being read, and what the group amounts to once glibc has written its counts out.
struct RepetitionFrame {
    /// One atom, group or repetition, as glibc's compiler will see it.
    struct Item {
        /// The product of the repeat counts nested in it.
        var product = 1
        /// How many atoms it stands for once every count is written out.
        var size = 1
        /// Whether it can match the empty string.
        var nullable = false
        /// In how many places it can match empty one more way: an optional or counted copy of
        /// what can match empty, an alternative that can match empty beside another one. glibc's
        /// time grows with about their cube once anchored.
        var nullableCopies = 0
        /// How many optional copies its counts write out (`a{2,5}`: three).
        var optionalCopies = 0
        var isGroup = false

        /// Nothing: what an alternative is before its first item.
        static let empty = Item(size: 0, nullable: true)

        /// This sequence followed by `next`.
        func then(_ next: Item) -> Item {
            Item(
                size: size + next.size,
                nullable: nullable && next.nullable,
                nullableCopies: nullableCopies + next.nullableCopies,
                optionalCopies: optionalCopies + next.optionalCopies
            )
        }

        /// These alternatives beside `other`: one more way to match empty when both can.
        func or(_ other: Item) -> Item {
            Item(
                size: size + other.size,
                nullable: nullable || other.nullable,
                nullableCopies: nullableCopies + other.nullableCopies + (nullable && other.nullable ? 1 : 0),
                optionalCopies: optionalCopies + other.optionalCopies
            )
        }
    }

    /// A repeat operator: `*`, `+` and `?` are 0/1 to unbounded, 1 to unbounded and 0 to 1.
    struct Count {
        var low: Int
        var high: Int
        var unbounded: Bool
        var symbol: String
    }

    /// The largest product of nested repeat counts in the group so far.
    private(set) var widest = 1
    /// The finished alternatives, side by side; nil before the first `|` or the group's end.
    private var done: Item?
    /// The alternative being read, without its last item.
    private var branch = Item.empty
    /// The last item, while it can still take a repetition operator.
    private var last: Item?
    /// The last item is a repetition: another operator is an error, one `?` the lazy marker.
    private var repeated = false
    private var lazy = false

    /// The whole group so far, as an item of the level around it.
    var group: Item {
        var copy = self
        copy.alternate()
        var whole = copy.done ?? .empty
        whole.product = widest
        whole.size += 1
        whole.isGroup = true
        return whole
    }

    mutating func atom(_ item: Item) {
        settleLast()
        last = item
        widest = max(widest, item.product)
    }

    mutating func alternate() {
        settleLast()
        done = done?.or(branch) ?? branch
        branch = .empty
    }

    mutating func repeatLast(_ count: Count, fail: (String) -> RegexError) throws(RegexError) {
        if repeated {
            guard count.symbol == "?", !lazy else { throw fail("invalid nested repetition operator \(count.symbol)") }
            lazy = true
            return
        }
        guard let item = last else { throw fail("missing argument to repetition operator \(count.symbol)") }
        guard !item.isGroup || count.high <= RE2Translation.maxGroupRepeat else {
            throw fail("invalid repeat count: a group repeated more than \(RE2Translation.maxGroupRepeat) times is not supported")
        }
        // glibc's epsilon closures of a loop around what can match empty take exponential time
        // once such loops are made optional in turn (`((a*)*)?` forty times: minutes).
        guard !(count.unbounded && item.nullable) else {
            throw fail(
                "unsupported repetition \(count.symbol) of an expression that can match empty: repeat what must match, as in (a|b)* for (a|b*)*"
            )
        }
        let total = item.product * max(count.high, 1)
        guard total <= RE2Translation.maxRepeat else { throw fail("invalid repeat count: nested counts exceed \(RE2Translation.maxRepeat)") }
        let copies = count.high >= 2 ? count.high : 1
        last = Item(
            product: total,
            size: item.size * copies,
            nullable: count.low == 0 || item.nullable,
            nullableCopies: item.nullableCopies * copies + (item.nullable ? (copies >= 2 ? copies : 1 - count.low) : 0),
            optionalCopies: item.optionalCopies * copies + (copies >= 2 ? count.high - count.low : 0)
        )
        widest = max(widest, total)
        repeated = true
    }

    /// Adds the last item to the alternative being read.
    private mutating func settleLast() {
        if let item = last { branch = branch.then(item) }
        last = nil
        repeated = false
        lazy = false
    }
}
