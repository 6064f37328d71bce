import CPostgres

/// The rows a statement returned, in binary format, read in place from libpq's result (freed
/// with this object). Accessors check the column's type and throw on NULL or a mismatch.
public final class PostgresResult {
    private let result: OpaquePointer
    public let rowCount: Int
    public let columnCount: Int

    init(_ result: OpaquePointer) {
        self.result = result
        rowCount = Int(cew_pq_rows(result))
        columnCount = Int(cew_pq_columns(result))
    }

    deinit { cew_pq_clear(result) }

    /// Rows an INSERT, UPDATE or DELETE touched (0 for other statements).
    public var affectedRows: Int {
        cew_pq_affected(result).flatMap { Int(String(cString: $0)) } ?? 0
    }

    public func isNull(_ row: Int, _ column: Int) -> Bool {
        cew_pq_is_null(result, Int32(row), Int32(column)) != 0
    }

    /// An integer column (int2, int4, int8 or oid).
    public func int(_ row: Int, _ column: Int) throws(PostgresError) -> Int64 {
        let raw = try value(row, column)
        switch (cew_pq_column_type(result, Int32(column)), raw.count) {
        case (PostgresType.int8, 8): return Int64(bitPattern: Self.bigEndian(raw))
        case (PostgresType.int4, 4): return Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: Self.bigEndian(raw))))
        case (PostgresType.oid, 4): return Int64(Self.bigEndian(raw))
        case (PostgresType.int2, 2): return Int64(Int16(bitPattern: UInt16(truncatingIfNeeded: Self.bigEndian(raw))))
        default: throw mismatch(row, column, expected: "an integer")
        }
    }

    /// A float8 or float4 column.
    public func double(_ row: Int, _ column: Int) throws(PostgresError) -> Double {
        let raw = try value(row, column)
        switch (cew_pq_column_type(result, Int32(column)), raw.count) {
        case (PostgresType.float8, 8): return Double(bitPattern: Self.bigEndian(raw))
        case (PostgresType.float4, 4): return Double(Float(bitPattern: UInt32(truncatingIfNeeded: Self.bigEndian(raw))))
        default: throw mismatch(row, column, expected: "a float")
        }
    }

    public func bool(_ row: Int, _ column: Int) throws(PostgresError) -> Bool {
        let raw = try value(row, column)
        guard cew_pq_column_type(result, Int32(column)) == PostgresType.bool, raw.count == 1 else {
            throw mismatch(row, column, expected: "a boolean")
        }
        return raw[0] != 0
    }

    /// A text column (text, varchar, name, char); invalid UTF-8 is repaired.
    public func string(_ row: Int, _ column: Int) throws(PostgresError) -> String {
        let raw = try value(row, column)
        // A switch, not a set of the types: this runs for every text cell of a listing.
        switch cew_pq_column_type(result, Int32(column)) {
        case PostgresType.text, PostgresType.varchar, PostgresType.name, PostgresType.char, PostgresType.unknown:
            return String(decoding: raw, as: UTF8.self)
        default:
            throw mismatch(row, column, expected: "text")
        }
    }

    /// A bytea column.
    public func bytes(_ row: Int, _ column: Int) throws(PostgresError) -> [UInt8] {
        let raw = try value(row, column)
        guard cew_pq_column_type(result, Int32(column)) == PostgresType.bytea else { throw mismatch(row, column, expected: "bytea") }
        return Array(raw)
    }

    /// An int8[] column of one dimension without NULLs (an empty array gives []).
    public func intArray(_ row: Int, _ column: Int) throws(PostgresError) -> [Int64] {
        let raw = try value(row, column)
        guard cew_pq_column_type(result, Int32(column)) == PostgresType.int8Array, raw.count >= 12 else {
            throw mismatch(row, column, expected: "int8[]")
        }
        let dimensions = Self.bigEndian(UnsafeRawBufferPointer(rebasing: raw[0..<4]))
        guard dimensions == 1 else {
            if dimensions == 0 { return [] }
            throw PostgresError(.result, "row \(row), column \(column): an array of \(dimensions) dimensions")
        }
        guard raw.count >= 20 else { throw mismatch(row, column, expected: "int8[]") }
        let count = Int(Self.bigEndian(UnsafeRawBufferPointer(rebasing: raw[12..<16])))
        guard raw.count == 20 + count * 12 else { throw PostgresError(.result, "row \(row), column \(column): a malformed int8[]") }
        var values: [Int64] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            let start = 20 + index * 12
            guard Self.bigEndian(UnsafeRawBufferPointer(rebasing: raw[start..<start + 4])) == 8 else {
                throw PostgresError(.result, "row \(row), column \(column): a NULL in an int8[]")
            }
            values.append(Int64(bitPattern: Self.bigEndian(UnsafeRawBufferPointer(rebasing: raw[start + 4..<start + 12]))))
        }
        return values
    }

    /// The raw bytes of a non-NULL cell, valid while this result lives.
    private func value(_ row: Int, _ column: Int) throws(PostgresError) -> UnsafeRawBufferPointer {
        guard row >= 0, row < rowCount, column >= 0, column < columnCount else {
            throw PostgresError(.result, "no cell at row \(row), column \(column) of \(rowCount)×\(columnCount)")
        }
        guard !isNull(row, column) else { throw PostgresError(.result, "row \(row), column \(column) is NULL") }
        let length = Int(cew_pq_length(result, Int32(row), Int32(column)))
        return UnsafeRawBufferPointer(start: cew_pq_value(result, Int32(row), Int32(column)), count: length)
    }

    private func mismatch(_ row: Int, _ column: Int, expected: String) -> PostgresError {
        let type = cew_pq_column_type(result, Int32(column))
        return PostgresError(.result, "row \(row), column \(column): expected \(expected), got type OID \(type)")
    }

    private static func bigEndian(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        raw.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
