import FoundationEssentials

extension BundleManifest {
    /// Pretty, key-sorted JSON with snake_case keys.
    public func encoded() throws(BundleError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        do {
            return Array(try encoder.encode(self)) + [0x0a]
        } catch {
            throw BundleError.manifest("cannot encode: \(error)")
        }
    }

    /// Parses a manifest; refuses another format, a newer version, and missing or mistyped fields.
    public static func decode(_ bytes: [UInt8]) throws(BundleError) -> BundleManifest {
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let data = Data(bytes)
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw BundleError.manifest("not a JSON object: \(error)")
        }
        guard header.format == "edgewatch-bundle" else {
            throw BundleError.manifest("field format: expected \"edgewatch-bundle\", got \(header.format.map { "\"\($0)\"" } ?? "none")")
        }
        guard let version = header.version, version >= 1 else { throw BundleError.manifest("field version: expected a positive integer") }
        guard version <= currentVersion else {
            throw BundleError.manifest(
                "version \(version) is newer than this edgewatch reads (\(currentVersion)); upgrade edgewatch to import this bundle"
            )
        }
        do {
            return try decoder.decode(BundleManifest.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw BundleError.manifest("missing field \(Self.path(context.codingPath + [key]))")
        } catch let DecodingError.typeMismatch(type, context) {
            throw BundleError.manifest("field \(Self.path(context.codingPath)): expected \(type)")
        } catch let DecodingError.valueNotFound(type, context) {
            throw BundleError.manifest("field \(Self.path(context.codingPath)): expected \(type), got null")
        } catch {
            throw BundleError.manifest("\(error)")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }
}
