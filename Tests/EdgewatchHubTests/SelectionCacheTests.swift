import EdgewatchEncoding
import Testing

@testable import EdgewatchHub

/// A query's selections by node and series list: a list met again gets the selection made the
/// first time; lists that share their length and first and last bytes, or another node's equal
/// list, get their own.
@Suite struct SelectionCacheTests {
    static func encoded(_ ids: [Int64]) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids { Varint.append(UInt64(id), to: &bytes) }
        return bytes
    }

    @Test func listsMetAgainAreNotWorkedOutAgain() {
        var cache = SelectionCache()
        var made = 0
        func select(_ node: String, _ ids: [Int64]) -> BlockSelection {
            Self.encoded(ids).withUnsafeBytes { bytes in
                cache.selection(node: node, encoded: bytes) {
                    made += 1
                    return BlockSelection(encoded: bytes, wantedAmong: [2])
                }
            }
        }
        // Same length, same first and last eight bytes, one id differing in the middle.
        let long = Array(Int64(1)...20)
        var middle = long
        middle[10] = 99
        let first = select("a", long)
        #expect(select("a", long) === first && made == 1)
        let other = select("a", middle)
        #expect(other !== first && made == 2)
        #expect(select("a", middle) === other && select("a", long) === first && made == 2)
        #expect(select("b", long) !== first && made == 3)
        #expect(first.positions == [1] && select("a", [5]).positions.isEmpty)
    }

    @Test func idListsAreKeptTheSameWay() {
        var cache = SelectionCache()
        var made = 0
        func select(_ ids: [Int64]) -> BlockSelection {
            cache.selection(node: "n", ids: ids) {
                made += 1
                return BlockSelection(ids: ids, wantedAmong: [7])
            }
        }
        let first = select([1, 7, 9])
        #expect(select([1, 7, 9]) === first && select([1, 8, 9]) !== first && made == 2)
        #expect(first.positionIDs == [7])
    }

    @Test func aQueryMeetingMoreListsThanTheLimitStartsOver() {
        var cache = SelectionCache()
        var made = 0
        func select(_ id: Int64) -> BlockSelection {
            cache.selection(node: "n", ids: [id]) {
                made += 1
                return BlockSelection(ids: [id], wantedAmong: [])
            }
        }
        let first = select(0)
        for id in 1..<Int64(SelectionCache.limit) { _ = select(id) }
        #expect(select(0) === first && made == SelectionCache.limit)
        _ = select(-1)  // over the limit: the cache starts over
        #expect(select(0) !== first && made == SelectionCache.limit + 2)
    }
}
