import CPostgres

/// One libpq connection. Its calls block until the server answers: use it from a thread that may
/// block (NIO's blocking-I/O pool), lent by ``PostgresPool``, never kept past the loan.
public final class PostgresConnection {
    let handle: OpaquePointer
    /// What this session has prepared.
    var statements = PreparedStatements()
    /// Whether a command was sent whose answer has not been read (a read-only snapshot's COMMIT).
    private var unanswered = false
    /// A snapshot's BEGIN not sent yet: it goes with the snapshot's first statement, in one round
    /// trip (``run(_:_:_:)``).
    var deferredBegin: String?
    /// The most parameters one statement may carry (the protocol counts them in 16 bits).
    public static let maxParameters = 65_535

    init(conninfo: String) throws(PostgresError) {
        try Self.loadLibrary()
        guard let handle = cew_pq_connect(conninfo, "edgewatch-hub") else { throw PostgresError(.connection, "out of memory") }
        self.handle = handle
        guard cew_pq_connection_ok(handle) != 0 else { throw PostgresError(.connection, Self.text(cew_pq_error(handle))) }
    }

    deinit { cew_pq_finish(handle) }

    /// Loads libpq once per process; a clear error when it is not installed.
    static func loadLibrary() throws(PostgresError) {
        guard cew_pq_load(nil) == 0 else {
            throw PostgresError(
                .library,
                "cannot load libpq (\(text(cew_pq_load_error()))); install Debian's libpq5 to use storage.postgres"
            )
        }
    }

    /// The server's version as a number (150018 for 15.18).
    public var serverVersion: Int { Int(cew_pq_server_version(handle)) }

    /// False once the connection is lost (or was left inside a transaction, which no loan may do).
    /// The answer to a command sent last without waiting is read first.
    var isUsable: Bool {
        settle()
        return cew_pq_connection_ok(handle) != 0 && cew_pq_transaction_status(handle) == 0
    }

    /// Reads and drops the answer to a command sent without waiting for it (``snapshot(_:)``'s
    /// COMMIT), if one is owed: by then it has mostly come.
    private func settle() {
        guard unanswered else { return }
        unanswered = false
        cew_pq_discard_results(handle)
    }

    /// Reconnects with the same settings; false when the server still cannot be reached.
    func reconnect() -> Bool {
        (unanswered, deferredBegin) = (false, nil)
        statements.reset()
        cew_pq_reset(handle)
        return cew_pq_connection_ok(handle) != 0
    }

    /// Runs one statement with `$1…$n` parameters and returns its rows (binary format). A
    /// statement with parameters run a second time is prepared for the rest of the session
    /// (``PreparedStatements``): the server parses it once.
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresResult {
        guard parameters.count <= Self.maxParameters else {
            throw PostgresError(.statement, "\(parameters.count) parameters, at most \(Self.maxParameters) per statement")
        }
        var buffer: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int32] = []
        var present: [Bool] = []
        for parameter in parameters {
            let start = buffer.count
            present.append(parameter.append(to: &buffer))
            offsets.append(start)
            guard let length = Int32(exactly: buffer.count - start) else { throw PostgresError(.statement, "a parameter over 2 GiB") }
            lengths.append(length)
        }
        buffer.append(0)  // never empty, so its base address exists
        settle()
        let key = PreparedStatements.Key(sql: sql, types: parameters.map(\.typeOID))
        return try buffer.withUnsafeBytes { raw -> Result<PostgresResult, PostgresError> in
            guard let base = raw.baseAddress else { return .failure(PostgresError(.statement, "no parameter buffer")) }
            let values: [UnsafePointer<CChar>?] = parameters.indices.map { index in
                present[index] ? (base + offsets[index]).assumingMemoryBound(to: CChar.self) : nil
            }
            return Result { () throws(PostgresError) in try run(key, values, lengths) }
        }.get()
    }

    /// Runs a statement for its effect; returns the rows it inserted, updated or deleted.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs several `;`-separated commands without parameters (a schema migration) as one
    /// implicit transaction.
    public func executeScript(_ script: String) throws(PostgresError) {
        settle()
        if let begin = deferredBegin {
            deferredBegin = nil
            _ = try checked(cew_pq_exec_script(handle, begin))
        }
        _ = try checked(cew_pq_exec_script(handle, script))
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: (PostgresConnection) throws(PostgresError) -> T) throws(PostgresError) -> T {
        try transaction(beginning: "BEGIN", body)
    }

    /// Runs `body` in a read-only transaction that sees one snapshot throughout (repeatable read),
    /// begun in the same round trip. Its BEGIN goes with its first statement (libpq's pipeline
    /// mode, libpq 14 and later), and its COMMIT is sent without waiting for the answer, which the
    /// connection's next command reads first: a read-only transaction has nothing to lose, and a
    /// listing makes two round trips of what were four.
    public func snapshot<T>(_ body: (PostgresConnection) throws(PostgresError) -> T) throws(PostgresError) -> T {
        try transaction(beginning: "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY", answeredLater: true, body)
    }

    private func transaction<T>(
        beginning begin: String,
        answeredLater: Bool = false,
        _ body: (PostgresConnection) throws(PostgresError) -> T
    ) throws(PostgresError) -> T {
        if answeredLater, cew_pq_pipeline_supported() != 0 {
            deferredBegin = begin
        } else {
            try execute(begin)
        }
        let value: T
        do {
            value = try body(self)
        } catch {
            // A BEGIN never sent began nothing; a lost connection rolls back by itself.
            if deferredBegin == nil { _ = try? execute("ROLLBACK") }
            deferredBegin = nil
            throw error
        }
        guard deferredBegin == nil else {
            deferredBegin = nil  // no statement ran: no transaction to end
            return value
        }
        if answeredLater, cew_pq_send_script(handle, "COMMIT") == 1 {
            unanswered = true
        } else {
            try execute("COMMIT")
        }
        return value
    }

    func checked(_ result: OpaquePointer?) throws(PostgresError) -> PostgresResult {
        guard let result else { throw PostgresError(.connection, Self.text(cew_pq_error(handle))) }
        let owned = PostgresResult(result)
        switch cew_pq_result_kind(result) {
        case 0, 1:
            return owned
        case 2:
            let state = cew_pq_result_field(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            var message = cew_pq_result_field(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            if let detail = cew_pq_result_field(result, Int32(UInt8(ascii: "D"))) { message? += ": " + String(cString: detail) }
            let text = message ?? Self.text(cew_pq_result_error(result))
            let kind: PostgresError.Kind = cew_pq_connection_ok(handle) == 0 ? .connection : .statement
            throw PostgresError(kind, text, sqlState: state)
        default:
            throw PostgresError(.result, "unexpected result (COPY or pipeline) for a plain statement")
        }
    }

    /// libpq's message without its trailing newline.
    static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "unknown error" }
        var message = String(cString: pointer)
        while message.last?.isNewline == true { message.removeLast() }
        return message.isEmpty ? "unknown error" : message
    }
}
