import Foundation

/// Certificates for the hub's TLS tests, made with the openssl command (`openssl ca`, so that
/// validity dates can lie in the past or the future): a hub CA and a client CA, the hub's
/// certificate for 127.0.0.1 (also expired, not yet valid, and renewed), one from another CA,
/// and client certificates named after nodes.
final class TLSFixture {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for ca in ["hub-ca", "client-ca", "other-ca"] { try makeCA(ca) }
        let server = "subjectAltName=IP:127.0.0.1,DNS:localhost"
        try issue("hub", ca: "hub-ca", extensions: server)
        try issue("hub-renewed", ca: "hub-ca", extensions: server)
        try issue("hub-expired", ca: "hub-ca", extensions: server, dates: ("20200101000000Z", "20210101000000Z"))
        try issue("hub-future", ca: "hub-ca", extensions: server, dates: ("20400101000000Z", "20410101000000Z"))
        try issue("hub-other", ca: "other-ca", extensions: server)
        try issue("edge-a", ca: "client-ca", extensions: "extendedKeyUsage=clientAuth")
        try issue("edge-b", ca: "client-ca", extensions: "extendedKeyUsage=clientAuth")
        try issue("edge-a-other", ca: "other-ca", extensions: "extendedKeyUsage=clientAuth", commonName: "edge-a")
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func path(_ name: String) -> String { directory + "/" + name }

    /// The serial number (hex) of the certificate in `name.crt`.
    func serial(_ name: String) throws -> String {
        try openssl(["x509", "-in", "\(name).crt", "-noout", "-serial"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func makeCA(_ name: String) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "\(name).key", "-out",
            "\(name).crt", "-subj", "/CN=\(name)", "-days", "30",
        ])
        try FileManager.default.createDirectory(atPath: path(name + ".db"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path(name + ".db/index.txt"), contents: nil)
        try "\(String(format: "%02X", Int.random(in: 16...250)))\n".write(toFile: path(name + ".db/serial"), atomically: true, encoding: .utf8)
        try """
        [ca]
        default_ca = this
        [this]
        database = \(path(name + ".db/index.txt"))
        new_certs_dir = \(path(name + ".db"))
        serial = \(path(name + ".db/serial"))
        default_md = sha256
        policy = anything
        copy_extensions = copy
        unique_subject = no
        [anything]
        commonName = supplied
        """.write(toFile: path(name + ".cnf"), atomically: true, encoding: .utf8)
    }

    private func issue(_ name: String, ca: String, extensions: String, dates: (String, String)? = nil, commonName: String? = nil) throws {
        try openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "\(name).key", "-out",
            "\(name).csr", "-subj", "/CN=\(commonName ?? (name.hasPrefix("hub") ? "hub" : name))", "-addext", extensions,
        ])
        let validity = dates.map { ["-startdate", $0.0, "-enddate", $0.1] } ?? ["-days", "30"]
        try openssl(
            [
                "ca", "-batch", "-notext", "-config", "\(ca).cnf", "-cert", "\(ca).crt", "-keyfile", "\(ca).key", "-in", "\(name).csr", "-out",
                "\(name).crt",
            ]
                + validity
        )
    }

    @discardableResult
    private func openssl(_ arguments: [String]) throws -> String {
        let output = try Harness.run("/usr/bin/openssl", arguments, workingDirectory: directory)
        guard output.status == 0 else { throw HarnessError("openssl \(arguments.joined(separator: " ")) failed: \(output.stderr.suffix(400))") }
        return output.stdout
    }
}
