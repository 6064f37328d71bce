import EdgewatchSQLite

extension SQLiteHubStorage {
    public func labelValuesFromSummary(_ label: String?, start: Int64, end: Int64) throws -> [String]? {
        try reader.withLock { locked throws(SQLiteError) -> [String]? in
            let reader = locked
            try presenceMirror.refresh(reader)
            return try reader.snapshot { () throws(SQLiteError) -> [String]? in
                let (clusters, generation) = try self.clustersAndGeneration(reader)
                guard let (window, loader) = try self.presenceWindow(start: start, end: end, generation: generation, reader) else { return nil }
                // A fleet reporting as it should: answered from what earlier listings learned.
                if let known = window.knownValues(of: label, start: start, end: end) { return known }
                let presence = PresenceRows(window, loader: loader)
                defer {
                    presenceMirror.learn(presence.learned, contents: presence.learnedContents, generation: generation, numbering: presence.numbering)
                }
                let summary = SummaryLabelValues<SQLiteError>(
                    listLabels: { list throws(SQLiteError) in
                        try self.listLabels.labels(presence, list, cluster: clusters[presence.listNode(list)] ?? "") { ids throws(SQLiteError) in
                            try self.labelSets(of: ids, clusters: clusters, reader)
                        }
                    },
                    knownContent: { list in self.listLabels.content(presence, list, cluster: clusters[presence.listNode(list)] ?? "") },
                    labelSets: { ids throws(SQLiteError) in try self.labelSets(of: ids, clusters: clusters, reader) },
                    check: { left, span throws(SQLiteError) in
                        try self.gather(
                            left,
                            name: SummaryLabelValues<SQLiteError>.commonName(left),
                            start: span.lowerBound,
                            end: span.upperBound,
                            labelsOnly: true,
                            reader
                        ).presentIDs
                    }
                )
                let values = try summary.values(of: label, presence, start: start, end: end)
                // A list that did not decode: the caller reads every label set instead.
                return presence.complete ? values : nil
            }
        }
    }
}
