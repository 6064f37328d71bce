import EdgewatchEncoding

/// Which nodes hold blocks of a window, asked of either backend in one statement: per node and
/// tier, whether a block lies wholly inside the window past the tier's retention mark (then the
/// node has a point there, as ``BlockPoints/present(node:tier:from:to:selection:)`` reasons) and
/// whether any block reaches into it. A dashboard's `node` variable is answered from this, a few
/// index probes per node, instead of from every label set of the fleet.
enum NodePresence {
    /// The statement; `start` and `end` are parameters 1 and 2, written by `parameter`;
    /// `greatest` is the dialect's maximum of two values. Rows: node, inside (0/1), reaching (0/1).
    static func sql(parameter: (Int) -> String, greatest: String) -> String {
        let (start, end) = (parameter(1), parameter(2))
        let tiers = Tier.allCases.map { "SELECT \($0.rawValue) AS tier, '\(HubMaintenanceKind.retention($0))' AS kind" }
        return """
            SELECT n.name,
                CASE WHEN EXISTS (SELECT 1 FROM blocks b WHERE b.node = n.name AND b.tier = t.tier AND b.max_ts BETWEEN \(start) AND \(end)
                    AND b.min_ts >= \(greatest)(\(start), coalesce((SELECT m.mark FROM maintenance_marks m WHERE m.node = n.name AND m.kind = t.kind), \(start))))
                    THEN 1 ELSE 0 END,
                CASE WHEN EXISTS (SELECT 1 FROM blocks b WHERE b.node = n.name AND b.tier = t.tier AND b.max_ts >= \(start) AND b.min_ts <= \(end))
                    THEN 1 ELSE 0 END
            FROM nodes n CROSS JOIN (\(tiers.joined(separator: " UNION ALL "))) t
            """
    }

    /// Rows of (node, inside, reaching) folded per node: true when a block of some tier lies
    /// inside the window, false when blocks only reach into it; nodes without either are left out.
    static func fold(_ rows: [(node: String, inside: Bool, reaching: Bool)]) -> [String: Bool] {
        var nodes: [String: Bool] = [:]
        for row in rows where row.inside || row.reaching {
            nodes[row.node] = (nodes[row.node] ?? false) || row.inside
        }
        return nodes
    }
}
