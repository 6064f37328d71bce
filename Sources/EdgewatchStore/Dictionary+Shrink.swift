extension Dictionary {
    /// Reallocates the storage when it has room for over four times the entries (and some more):
    /// removing entries never shrinks a dictionary.
    mutating func shrinkIfSparse() {
        guard capacity > 4 * count + 1024 else { return }
        self = Dictionary(uniqueKeysWithValues: Array(self))
    }
}
