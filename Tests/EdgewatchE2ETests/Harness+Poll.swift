extension Harness {
    /// Calls `done` up to `times` times, `interval` apart, until it holds; returns whether it did.
    /// Polls are counted, not seconds: on two cores Swift's cooperative pool has two threads, and
    /// while the suite's blocking tests hold both, this task does not run, so a deadline would pass
    /// unpolled.
    @discardableResult
    static func poll(times: Int, every interval: Duration, _ done: () throws -> Bool) async throws -> Bool {
        for _ in 0..<times {
            if try done() { return true }
            try await Task.sleep(for: interval)
        }
        return try done()
    }
}
