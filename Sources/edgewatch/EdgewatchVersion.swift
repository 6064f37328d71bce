/// The version `edgewatch --version` prints.
enum EdgewatchVersion {
    static let current = "0.1.0"
}
