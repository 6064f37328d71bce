import Foundation

/// A Grafana dashboard in dashboards/, as the dashboards test reads it: its variables and every
/// panel's queries, with Grafana's variables replaced the way a dashboard showing "All" would.
struct DashboardFile {
    struct Panel {
        var id: Int
        var title: String
        var description: String
        var expressions: [String]
        var datasources: [String]
        var width: Int
        /// The hardware named by "Needs: X." in the description, if any.
        var needs: String? {
            guard let range = description.range(of: "Needs: ") else { return nil }
            return String(description[range.upperBound...].prefix { $0 != "." })
        }
    }

    let name: String
    let json: JSONValue
    var uid: String { json["uid"]?.string ?? "" }
    var schemaVersion: Int { Int(json["schemaVersion"]?.number ?? 0) }
    var variables: [JSONValue] { json["templating"]?["list"]?.array ?? [] }

    var panels: [Panel] {
        (json["panels"]?.array ?? []).map { panel in
            let targets = panel["targets"]?.array ?? []
            return Panel(
                id: Int(panel["id"]?.number ?? 0),
                title: panel["title"]?.string ?? "",
                description: panel["description"]?.string ?? "",
                expressions: targets.compactMap { $0["expr"]?.string },
                datasources: ([panel] + targets).compactMap { $0["datasource"]?["uid"]?.string },
                width: Int(panel["gridPos"]?["w"]?.number ?? 0) + Int(panel["gridPos"]?["x"]?.number ?? 0)
            )
        }
    }

    /// `label_values(selector, label)` of each query variable.
    var labelValueQueries: [(selector: String, label: String)] {
        variables.compactMap { variable in
            guard let definition = variable["definition"]?.string, definition.hasPrefix("label_values("), definition.hasSuffix(")") else {
                return nil
            }
            let inner = definition.dropFirst("label_values(".count).dropLast()
            guard let comma = inner.lastIndex(of: ",") else { return nil }
            return (Self.substitute(String(inner[..<comma])), inner[inner.index(after: comma)...].trimmingCharacters(in: .whitespaces))
        }
    }

    static func all() throws -> [DashboardFile] {
        let directory = Harness.packageRoot.appendingPathComponent("dashboards")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted().map { name in
            DashboardFile(name: name, json: try JSONValue(parsing: try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)))
        }
    }

    /// Grafana's variables as "All" and a short time range would set them.
    static func substitute(_ expression: String) -> String {
        var text = expression
        for (variable, value) in [
            ("$__rate_interval", "10s"), ("$__range", "2m"), ("$__interval", "2s"), ("$instance", ".*"), ("$namespace", ".*"), ("$node", ".*"),
            ("$gpu", ".*"),
        ] {
            text = text.replacingOccurrences(of: variable, with: value)
        }
        return text
    }
}
