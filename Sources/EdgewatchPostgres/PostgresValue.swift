/// A statement parameter, sent in PostgreSQL's binary format with its type.
public enum PostgresValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case text(String)
    case bytes([UInt8])
    /// An int8[] (one dimension), for `= ANY($1)`, `&&` and `unnest($1)`.
    case intArray([Int64])
    /// A text[] (one dimension).
    case textArray([String])

    /// The type OID the server is told (0, unspecified, for NULL).
    var typeOID: UInt32 {
        switch self {
        case .null: return 0
        case .bool: return PostgresType.bool
        case .int: return PostgresType.int8
        case .double: return PostgresType.float8
        case .text: return PostgresType.text
        case .bytes: return PostgresType.bytea
        case .intArray: return PostgresType.int8Array
        case .textArray: return PostgresType.textArray
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
        case .intArray(let values):
            Self.appendArrayHeader(count: values.count, element: PostgresType.int8, to: &buffer)
            for value in values {
                Self.appendBigEndian32(8, to: &buffer)
                Self.appendBigEndian(UInt64(bitPattern: value), to: &buffer)
            }
        case .textArray(let values):
            Self.appendArrayHeader(count: values.count, element: PostgresType.text, to: &buffer)
            for value in values {
                Self.appendBigEndian32(UInt32(truncatingIfNeeded: value.utf8.count), to: &buffer)
                buffer.append(contentsOf: value.utf8)
            }
        }
        return true
    }

    /// An array's header in binary format: dimensions (none when empty), no NULLs, the element
    /// type, then the length and lower bound (1) of the one dimension.
    private static func appendArrayHeader(count: Int, element: UInt32, to buffer: inout [UInt8]) {
        appendBigEndian32(count == 0 ? 0 : 1, to: &buffer)
        appendBigEndian32(0, to: &buffer)
        appendBigEndian32(element, to: &buffer)
        guard count > 0 else { return }
        appendBigEndian32(UInt32(truncatingIfNeeded: count), to: &buffer)
        appendBigEndian32(1, to: &buffer)
    }

    private static func appendBigEndian32(_ value: UInt32, to buffer: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
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
    static let textArray: UInt32 = 1009
    static let int8Array: UInt32 = 1016
}
