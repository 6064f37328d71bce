import EdgewatchHTTPClient
import EdgewatchJournal
import EdgewatchKubernetes
import EdgewatchStore
import EdgewatchUplink
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// The checks of what the agent writes and talks to: store, journal, hub, apiserver.
extension NodeDoctor {
    func store() -> DoctorCheck {
        let path = agent.storePath
        guard access(path, F_OK) == 0 else {
            // The agent creates missing parent directories: the nearest existing one must be writable.
            var directory = path
            repeat {
                directory = directory.lastIndex(of: "/").map { String(directory[..<$0]) } ?? "."
            } while !directory.isEmpty && directory != "." && access(directory, F_OK) != 0
            let existing = directory.isEmpty ? "/" : directory
            guard access(existing, W_OK) == 0 else {
                return DoctorCheck(
                    "store",
                    .fail,
                    "\(path) does not exist and \(existing) is not writable",
                    advice: "create its directory for the agent's user, or set store.path"
                )
            }
            return DoctorCheck("store", .ok, "\(path) will be created (\(existing) is writable)")
        }
        guard access(path, W_OK) == 0 else {
            return DoctorCheck("store", .fail, "\(path) is not writable by this user", advice: "run as the agent's user, or fix the file's owner")
        }
        do {
            let reader = try StoreReader(path: path)
            let check = try reader.integrityCheck()
            guard check == "ok" else {
                return DoctorCheck(
                    "store",
                    .fail,
                    "\(path): integrity check says \(check.prefix(200))",
                    advice: "export what is readable, then move the file aside"
                )
            }
            return budget(path: path, tables: try? reader.tableBytes())
        } catch {
            return DoctorCheck("store", .fail, "\(path): \(error)", advice: "move the file aside; the agent creates a new store")
        }
    }

    /// A sound store whose series table takes over a third of `store.max_bytes`: with the events
    /// and logs, too little is left to keep the 1 m and 1 h summaries of evicted raw data.
    private func budget(path: String, tables: [String: Int64]?) -> DoctorCheck {
        let series = tables?["series"] ?? 0
        let budget = configuration.storeMaxBytes
        guard series > budget / 3 else { return DoctorCheck("store", .ok, "\(path): integrity ok") }
        return DoctorCheck(
            "store",
            .warn,
            "\(path): integrity ok; the series table takes \(series / 1024) KiB of store.max_bytes \(budget / 1024) KiB",
            advice: "raise store.max_bytes to at least \(series * 4 / 1024) KiB, or the summaries go with the raw data"
        )
    }

    func journal() -> DoctorCheck {
        let directory = configuration.journalDirectory.isEmpty ? nil : configuration.journalDirectory
        do {
            _ = try JournalReader(directory: directory, units: configuration.logUnits)
            return DoctorCheck("journal", .ok, "readable (\(directory ?? "system journal")); units \(configuration.logUnits.joined(separator: ", "))")
        } catch {
            return DoctorCheck(
                "journal",
                .warn,
                "\(error)",
                advice: "install libsystemd0 and run as root or in the systemd-journal group; logs.journal_dir names another journal"
            )
        }
    }

    /// Whether the hub answers with this node's token and secret: an empty batch is refused as
    /// malformed (400) only after both were accepted.
    func hub() async -> DoctorCheck {
        guard !configuration.uplinkURL.isEmpty else { return DoctorCheck("hub", .skip, "no uplink.url: nothing is sent upstream") }
        let settings: UplinkService.Settings
        do {
            guard let found = try agent.uplinkSettings() else {
                return DoctorCheck("hub", .fail, "uplink.url: expected http://host:port, got \(configuration.uplinkURL)")
            }
            settings = found
        } catch {
            return DoctorCheck("hub", .fail, "\(error)")
        }
        let reply: HTTPPost.Reply
        do {
            reply = try await HTTPPost.send(
                host: settings.url.host,
                port: settings.url.port,
                path: settings.url.pathPrefix + "/api/v1/ingest",
                body: [],
                headers: [
                    ("Content-Type", "application/x-edgewatch-batch"), ("Authorization", "Bearer " + settings.token),
                    ("X-Edgewatch-Node", settings.node), ("X-Edgewatch-Node-Secret", settings.nodeSecret),
                ],
                timeout: .seconds(10),
                group: MultiThreadedEventLoopGroup.singleton
            )
        } catch {
            return DoctorCheck("hub", .fail, "\(configuration.uplinkURL) unreachable: \(error)", advice: "check the address, the network and the hub")
        }
        switch reply.status {
        case 400: return DoctorCheck("hub", .ok, "\(configuration.uplinkURL) accepts node \(settings.node) with its token and secret")
        case 401:
            return DoctorCheck(
                "hub",
                .fail,
                "the hub refused the join token in \(configuration.uplinkTokenFile)",
                advice: "copy the token from the hub's data directory"
            )
        case 403:
            return DoctorCheck(
                "hub",
                .fail,
                "the hub refused node \(settings.node): \(reply.body.prefix(200))",
                advice: "node names are unique per hub; the hub keeps the secret the node first joined with"
            )
        default: return DoctorCheck("hub", .warn, "\(configuration.uplinkURL) answered \(reply.status): \(reply.body.prefix(200))")
        }
    }

    func kubernetes() -> DoctorCheck {
        guard configuration.kubernetesEvents != "false" else { return DoctorCheck("kubernetes", .skip, "events.kubernetes.enabled is false") }
        let kubeconfig = configuration.kubeconfig.isEmpty ? nil : configuration.kubeconfig
        do {
            guard let credentials = try CredentialDiscovery(kubeconfig: kubeconfig, environment: environment).discover() else {
                return DoctorCheck(
                    "kubernetes",
                    configuration.kubernetesEvents == "true" ? .fail : .warn,
                    "no credentials (kubeconfig, in-cluster ServiceAccount or /etc/rancher/k3s/k3s.yaml): Kubernetes events are off",
                    advice: "set events.kubernetes.kubeconfig, or run in a pod with the edgewatch ServiceAccount"
                )
            }
            return DoctorCheck("kubernetes", .ok, "credentials from \(credentials.origin), apiserver \(credentials.host):\(credentials.port)")
        } catch {
            return DoctorCheck("kubernetes", .fail, "\(error)", advice: "fix or remove events.kubernetes.kubeconfig")
        }
    }
}
