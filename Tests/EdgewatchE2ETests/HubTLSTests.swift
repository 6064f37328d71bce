import EdgewatchHTTPClient
import Foundation
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The hub over TLS (certificates from ``TLSFixture``) with the agent's own client code.
@Suite("Hub over TLS", .serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") || Harness.peersRequired))
struct HubTLSTests {
    static func tlsArguments(_ fixture: TLSFixture, _ certificate: String, clientCA: Bool = false) -> [String] {
        ["--tls-cert-file", fixture.path(certificate + ".crt"), "--tls-key-file", fixture.path(certificate + ".key")]
            + (clientCA ? ["--tls-client-ca-file", fixture.path("client-ca.crt")] : [])
    }

    /// An ingest POST (a body that is no batch: 400 once past TLS, the token and the certificate checks).
    func post(
        _ hub: HubProcess,
        _ fixture: TLSFixture,
        ca: String = "hub-ca",
        client: String? = nil,
        node: String = "edge-a"
    ) async throws
        -> HTTPPost.Reply
    {
        let context = try ClientTLS.context(
            caFile: fixture.path(ca + ".crt"),
            certificateFile: client.map { fixture.path($0 + ".crt") } ?? "",
            keyFile: client.map { fixture.path($0 + ".key") } ?? ""
        )
        return try await HTTPPost.send(
            host: "127.0.0.1",
            port: Int(hub.port),
            path: "/api/v1/ingest",
            body: Array("not a batch".utf8),
            headers: [
                ("Authorization", "Bearer " + hub.token), ("X-Edgewatch-Node", node), ("X-Edgewatch-Node-Secret", String(repeating: "s", count: 24)),
                ("Content-Type", "application/x-edgewatch-batch"),
            ],
            timeout: .seconds(60),  // generous: the whole suite runs beside this test on two cores
            group: MultiThreadedEventLoopGroup.singleton,
            tls: context
        )
    }

    /// The serial number of the certificate the hub presents now.
    func servedSerial(_ hub: HubProcess) throws -> String {
        let shown = try Harness.run("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(hub.port)", "-showcerts"], timeout: 60)
        let pem = shown.stdout.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst().first.map {
            "-----BEGIN CERTIFICATE-----" + $0.components(separatedBy: "-----END CERTIFICATE-----")[0] + "-----END CERTIFICATE-----\n"
        }
        let serial = try Harness.run("/usr/bin/openssl", ["x509", "-noout", "-serial"], input: pem ?? "")
        return serial.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("the agent's client refuses a hub certificate from another CA, expired or not yet valid; TLS 1.1 and plain HTTP are refused")
    func serverCertificatesAreChecked() async throws {
        let fixture = try TLSFixture()
        for (certificate, accepted) in [("hub", true), ("hub-other", false), ("hub-expired", false), ("hub-future", false)] {
            let hub = try HubProcess(extra: Self.tlsArguments(fixture, certificate))
            do {
                let reply = try await post(hub, fixture)
                #expect(accepted && reply.status == 400, "\(certificate): \(reply.status) \(reply.body)")
            } catch {
                #expect(!accepted, "\(certificate): \(error)")
                #expect("\(error)".lowercased().contains("certificate"), "\(certificate): \(error)")
            }
            guard accepted else { continue }
            // Plain HTTP to the TLS port: refused (no answer), and the hub goes on serving TLS.
            #expect((try? HTTPGet.fetch(port: hub.port, path: "/healthz"))?.0 != 200)
            let old = try Harness.run(
                "/usr/bin/openssl",
                ["s_client", "-connect", "127.0.0.1:\(hub.port)", "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"],
                timeout: 60
            )
            // The hub answers a TLS 1.1 hello with a protocol_version alert: no cipher is agreed.
            #expect(old.stdout.contains("Cipher is (NONE)"), "\(old.stdout.suffix(600))")
            #expect(try await post(hub, fixture).status == 400)
        }
    }

    @Test("with a client CA: no certificate, another node's or another CA's is refused; the node's own passes")
    func clientCertificatesNameTheNode() async throws {
        let fixture = try TLSFixture()
        let hub = try HubProcess(extra: Self.tlsArguments(fixture, "hub", clientCA: true))
        let none = try await post(hub, fixture)
        #expect(none.status == 403 && none.body.contains("requires a client certificate"))
        let other = try await post(hub, fixture, client: "edge-b")
        #expect(other.status == 403 && other.body.contains("the client certificate is for \\\"edge-b\\\""), "\(other.body)")
        #expect(try await post(hub, fixture, client: "edge-a").status == 400)
        await #expect(throws: (any Error).self) { try await post(hub, fixture, client: "edge-a-other") }
    }

    @Test("SIGHUP reloads the certificate; a file that does not load keeps the one in use")
    func reloadOnHangup() throws {
        let fixture = try TLSFixture()
        let hub = try HubProcess(extra: Self.tlsArguments(fixture, "hub"))
        #expect(try servedSerial(hub) == fixture.serial("hub"))
        for suffix in ["crt", "key"] {
            try FileManager.default.removeItem(atPath: fixture.path("hub." + suffix))
            try FileManager.default.copyItem(atPath: fixture.path("hub-renewed." + suffix), toPath: fixture.path("hub." + suffix))
        }
        kill(hub.process.processIdentifier, SIGHUP)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !hub.log.contains("reloaded the TLS certificate") { usleep(50_000) }
        #expect(try servedSerial(hub) == fixture.serial("hub-renewed"))
        try "garbage".write(toFile: fixture.path("hub.crt"), atomically: true, encoding: .utf8)
        kill(hub.process.processIdentifier, SIGHUP)
        while Date() < deadline.addingTimeInterval(10), !hub.log.contains("cannot reload") { usleep(50_000) }
        #expect(hub.log.contains("keeping the ones in use"))
        #expect(try servedSerial(hub) == fixture.serial("hub-renewed"))
        #expect(hub.process.isRunning)
    }

    @Test("a real agent over https with its client certificate: every acknowledged sample exactly once")
    func agentOverTLS() throws {
        let fixture = try TLSFixture()
        let hub = try HubProcess(extra: Self.tlsArguments(fixture, "hub", clientCA: true))
        let scratch = try AgentScratch(node: "edge-a")
        try UplinkTests.agentConfig(
            scratch,
            token: hub.token,
            port: hub.port,
            scheme: "https",
            extra: """
                  ca_file: \(fixture.path("hub-ca.crt"))
                  client_cert_file: \(fixture.path("edge-a.crt"))
                  client_key_file: \(fixture.path("edge-a.key"))
                """
        )
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        sleep(3)
        try UplinkTests.settleAndCompare(scratch, hub, agent: agent, node: "edge-a")
    }

    @Test("plain HTTP on a non-loopback address is logged as a warning; on loopback it is not")
    func plainHTTPIsWarnedAbout() throws {
        for (address, warned) in [("0.0.0.0", true), ("127.0.0.1", false)] {
            let port = try NodeExporterPeer.freePort()
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-hub-\(UUID().uuidString)").path
            defer { try? FileManager.default.removeItem(atPath: data) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Harness.edgewatch)
            process.arguments = ["hub", "--listen", "\(address):\(port)", "--data", data]
            let log = data + ".log"
            FileManager.default.createFile(atPath: log, contents: nil)
            defer { try? FileManager.default.removeItem(atPath: log) }
            process.standardError = FileHandle(forWritingAtPath: log)
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            LeftoverProcesses.track(process.processIdentifier, removing: [data, log])
            let deadline = Date().addingTimeInterval(15)
            var text = ""
            while Date() < deadline, !text.contains("hub listening") {
                usleep(50_000)
                text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            }
            process.terminate()
            process.waitUntilExit()
            LeftoverProcesses.untrack(process.processIdentifier)
            #expect(text.contains("hub listening"))
            #expect(text.contains("listening unencrypted on a non-loopback address") == warned, "\(address): \(text)")
        }
    }
}
