/// Values numbered in the order first met (0, 1, …), each kept once: a structure that holds many
/// rows naming the same few values keeps their numbers, and reads of its rows compare and hash
/// integers rather than the values.
struct Interned<Value: Hashable & Sendable>: Sendable {
    /// The values by number.
    private(set) var values: [Value] = []
    private var numbers: [Value: Int] = [:]

    /// How many values are numbered.
    var count: Int { values.count }

    /// `value`'s number, given now when it has none.
    mutating func number(of value: Value) -> Int {
        if let number = numbers[value] { return number }
        numbers[value] = values.count
        values.append(value)
        return values.count - 1
    }
}
