import EdgewatchEncoding

extension Block {
    /// The block with its series numbered by position (0, 1, …). The hub stores beside each block
    /// the hub ids of its series in block order, and every reader (queries, compaction, retention)
    /// maps an entry through that list by the entry's id; a batch's own ids index its series table,
    /// which may list series the block does not hold.
    func numberedByPosition() -> Block {
        var numbered = self
        for index in numbered.series.indices { numbered.series[index].id = Int64(index) }
        return numbered
    }
}
