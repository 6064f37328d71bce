/// One finding of `edgewatch doctor`: what was checked, how it stands, and what to do about it.
public struct DoctorCheck: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok, warn, fail, skip
    }

    public var name: String
    public var status: Status
    public var detail: String
    /// What to do, for a warning or a failure.
    public var advice: String?

    public init(_ name: String, _ status: Status, _ detail: String, advice: String? = nil) {
        self.name = name
        self.status = status
        self.detail = detail
        self.advice = advice
    }

    /// `status  name        detail`, then `        → advice` when there is some.
    public var text: String {
        let head = status.rawValue.padding(5) + name.padding(12) + detail
        guard let advice else { return head }
        return head + "\n" + String(repeating: " ", count: 17) + "→ " + advice
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (at least one space).
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(1, width - count)) }
}
