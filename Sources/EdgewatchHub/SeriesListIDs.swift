import EdgewatchEncoding
import EdgewatchSQLite

/// The series ids of SQLite block series lists (varints), each distinct list decoded once: a
/// node's blocks mostly repeat its list.
struct SeriesListIDs {
    private var lists = Set<[UInt8]>()
    private var ids = Set<Int64>()

    /// Adds the lists in column 0 of `statement`'s rows.
    mutating func read(_ statement: SQLiteStatement) throws(SQLiteError) {
        while try statement.step() {
            let list = statement.withBlob(0) { [UInt8]($0) }
            guard lists.insert(list).inserted else { continue }
            for id in Varint.decodeAll(list) { ids.insert(Int64(bitPattern: id)) }
        }
    }

    /// Every id of the lists read.
    var all: Set<Int64> { ids }

    /// The names of `names` with a series in a list read.
    func listing(_ names: Set<String>, _ byName: SeriesIDsByName) -> Set<String> {
        names.filter { byName.ids(named: $0).contains(where: ids.contains) }
    }
}
