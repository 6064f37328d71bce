/// A statement parameter, sent in PostgreSQL's binary format with its type.
public enum PostgresValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case text(String)
    case bytes([UInt8])

    /// The type OID the server is told (0, unspecified, for NULL).
    var typeOID: UInt32 {
        switch self {
        case .null: return 0
        case .bool: return PostgresType.bool
        case .int: return PostgresType.int8
        case .double: return PostgresType.float8
        case .text: return PostgresType.text
        case .bytes: return PostgresType.bytea
        }
    }

    /// Appends the binary form to `buffer`; false for NULL (nothing appended).
    func append(to buffer: inout [UInt8]) -> Bool {
        switch self {
        case .null: return false
        case .bool(let value): buffer.append(value ? 1 : 0)
        case .int(let value): Self.appendBigEndian(UInt64(bitPattern: value), to: &buffer)
        case .double(let value): Self.appendBigEndian(value.bitPattern, to: &buffer)
        case .text(let value): buffer.append(contentsOf: value.utf8)
        case .bytes(let value): buffer.append(contentsOf: value)
        }
        return true
    }

    private static func appendBigEndian(_ value: UInt64, to buffer: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

/// The built-in type OIDs edgewatch sends and reads (pg_type.dat).
enum PostgresType {
    static let bool: UInt32 = 16
    static let bytea: UInt32 = 17
    static let char: UInt32 = 18
    static let name: UInt32 = 19
    static let int8: UInt32 = 20
    static let int2: UInt32 = 21
    static let int4: UInt32 = 23
    static let text: UInt32 = 25
    static let oid: UInt32 = 26
    static let float4: UInt32 = 700
    static let float8: UInt32 = 701
    static let unknown: UInt32 = 705
    static let varchar: UInt32 = 1043
}
