import EdgewatchStore

#if canImport(Glibc)
import Glibc
#endif

/// Opening a store for `top`, with one-line errors a person can act on.
extension TopLoader {
    public enum OpenError: Error, CustomStringConvertible {
        case unreadable(String)
        case newer(Int64)

        public var description: String {
            switch self {
            case .unreadable(let message): message
            case .newer(let version):
                "the store was written by a newer edgewatch (schema \(version); this one reads up to \(StoreReader.supportedSchemaVersion))"
            }
        }
    }

    /// Opens `path` read-only, refusing what is not a store or a newer one.
    public static func open(_ path: String) throws(OpenError) -> TopLoader {
        guard access(path, R_OK) == 0 else { throw .unreadable("cannot read the store \(path): \(String(cString: strerror(errno)))") }
        let loader: TopLoader
        do {
            loader = try TopLoader(storePath: path)
        } catch {
            throw .unreadable("\(path) is not an edgewatch store: \(error)")
        }
        if let version = try? loader.reader.schemaVersion(), version > StoreReader.supportedSchemaVersion { throw .newer(version) }
        return loader
    }
}
