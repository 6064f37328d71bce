import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

extension StoreReader {
    /// The latest annotations recorded for each alert, by its labels (empty before schema 4).
    public func alertAnnotations() throws(StoreError) -> [Labels: [String: String]] {
        do {
            guard try !database.columns(of: "alert_annotations").isEmpty else { return [:] }
            let statement = try database.statement("SELECT labels, annotations FROM alert_annotations")
            defer { statement.reset() }
            var result: [Labels: [String: String]] = [:]
            while try statement.step() {
                guard let labels = SeriesKey.decodeLabels(statement.string(0)), let annotations = SeriesKey.decodeLabels(statement.string(1)) else {
                    continue
                }
                result[labels] = Dictionary(annotations.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
            }
            return result
        } catch {
            throw StoreError.database(error)
        }
    }
}
