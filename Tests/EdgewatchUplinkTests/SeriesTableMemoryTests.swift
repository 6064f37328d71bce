import Testing

@testable import EdgewatchUplink

@Suite struct SeriesTableMemoryTests {
    @Test func tablesAreNamedOnlyOnceTheHubSaidItKeepsThemAndHeldATableSentInFormat4() {
        let memory = SeriesTableMemory()
        let a = [UInt8](repeating: 1, count: 32)
        // A hub that does not keep tables (an older hub): never referenced, format 3 stays.
        memory.acknowledged(a, hubKeepsTables: false, sentInFormat4: false)
        #expect(!memory.hubKeepsTables && !memory.isKnown(a))
        // It says it keeps them, but this batch went in format 3: the hub did not keep this table.
        memory.acknowledged(a, hubKeepsTables: true, sentInFormat4: false)
        #expect(memory.hubKeepsTables && !memory.isKnown(a))
        memory.acknowledged(a, hubKeepsTables: true, sentInFormat4: true)
        #expect(memory.isKnown(a))
        memory.forget(a)
        #expect(!memory.isKnown(a))
        // Bounded: the oldest table goes first.
        for index in 0...SeriesTableMemory.capacity {
            memory.acknowledged([UInt8](repeating: UInt8(index + 2), count: 32), hubKeepsTables: true, sentInFormat4: true)
        }
        #expect(
            !memory.isKnown([UInt8](repeating: 2, count: 32)) && memory.isKnown([UInt8](repeating: UInt8(SeriesTableMemory.capacity + 2), count: 32))
        )
        // A hub replaced by an older one: nothing is referenced any more.
        memory.acknowledged(a, hubKeepsTables: false, sentInFormat4: true)
        #expect(!memory.isKnown([UInt8](repeating: UInt8(SeriesTableMemory.capacity + 2), count: 32)))
    }
}
