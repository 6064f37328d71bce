extension Labels {
    /// A stable 64-bit hash of the label set (FNV-1a over each name and value, each followed by
    /// 0xFF, a byte UTF-8 never holds): the same in every process and release, so it can be stored.
    /// Two of a million sets share one with a chance of about 3 in 100 million.
    public var fingerprint: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            hash = (hash ^ 0xFF) &* 0x0000_0100_0000_01b3
        }
        for label in storage {
            mix(label.name)
            mix(label.value)
        }
        return hash
    }
}
