import Foundation

/// A parsed JSON document navigated with optional chaining: `value["spec"]?["containers"]?.array`.
struct JSONValue {
    let raw: Any

    init(_ raw: Any) { self.raw = raw }

    init(parsing text: String) throws {
        raw = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    subscript(key: String) -> JSONValue? { (raw as? [String: Any])?[key].map(JSONValue.init) }
    var array: [JSONValue]? { (raw as? [Any])?.map(JSONValue.init) }
    var object: [String: JSONValue]? { (raw as? [String: Any])?.mapValues(JSONValue.init) }
    var string: String? { raw as? String }
    var bool: Bool? { raw as? Bool }
    var number: Double? { (raw as? NSNumber)?.doubleValue }
}
