import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL
import Hummingbird

/// `GET /api/v1/events?node=&reason=&type=&since=&until=&limit=`: stored events as a JSON array
/// of the objects `edgewatch events --format json` prints, oldest first.
extension HubRoutes {
    /// Most events one answer holds unless `limit` asks for fewer.
    static let maxEvents = 100_000

    func events(_ parameters: Parameters) throws -> Response {
        let now = HubClock.now()
        let until = try eventTime(parameters, "until", now: now) ?? .max
        let since = try eventTime(parameters, "since", now: now) ?? .min
        var limit = Self.maxEvents
        if let text = parameters.first("limit") {
            guard let value = Int(text), value > 0 else {
                throw QueryFailure("invalid parameter \"limit\": expected a positive integer, got \"\(text)\"")
            }
            limit = min(value, Self.maxEvents)
        }
        if let type = parameters.first("type"), type != "Normal", type != "Warning" {
            throw QueryFailure("invalid parameter \"type\": expected Normal or Warning, got \"\(type)\"")
        }
        let filter = HubEventFilter(
            node: parameters.first("node"),
            reason: parameters.first("reason"),
            type: parameters.first("type"),
            since: since,
            until: until
        )
        return Self.json(try storage.events(matching: filter, limit: limit).map(EventJSON.init))
    }

    /// A time parameter: Unix seconds, RFC 3339, or a duration back from now (`1h`).
    private func eventTime(_ parameters: Parameters, _ name: String, now: Int64) throws -> Int64? {
        guard let text = parameters.first(name) else { return nil }
        if let duration = PromDuration.parse(text), Double(text) == nil { return now - duration }
        guard let time = try parameters.time(name) else { return nil }
        return time
    }
}
