/// The agent's settings: defaults, overridden by the YAML file, overridden by flags.
public struct AgentConfiguration: Sendable, Equatable {
    /// The node's name in uplinked data; empty means the host name.
    public var nodeName = ""
    /// The cluster the node belongs to, sent with every batch so the hub groups its fleet view.
    public var clusterName = ""
    /// Time between collection cycles.
    public var collectIntervalMilliseconds: Int64 = 10_000
    /// Collectors to run; nil means all.
    public var collectors: [String]?
    public var procfs = "/proc"
    public var sysfs = "/sys"
    public var rootfs = "/"
    /// The store file; empty means the default location (see `defaultStorePath`).
    public var storePath = ""
    /// Hard cap of the store (database + WAL) in bytes.
    public var storeMaxBytes: Int64 = 256 << 20
    /// Time between commits of buffered samples: at most this much data is at risk on a crash.
    public var storeFlushIntervalMilliseconds: Int64 = 60_000
    /// HTTP listen address (`host:port`); empty disables the endpoint.
    public var listen = "127.0.0.1:9909"
    /// Rule sets embedded in the binary that are evaluated (`edge`, `node-mixin`).
    public var builtinRuleSets = ["edge"]
    /// Prometheus rule files (globs allowed) evaluated on the device.
    public var ruleFiles: [String] = []
    /// Default interval of rule groups that set none.
    public var ruleEvaluationIntervalMilliseconds: Int64 = 60_000
    /// Labels added to every alert (and shown to templates as `$externalLabels`).
    public var externalLabels: [String: String] = [:]
    /// Alertmanager base URLs (`http://host:9093`); alerts are POSTed to `/api/v2/alerts`.
    public var alertmanagers: [String] = []
    /// How often firing alerts are re-sent to Alertmanager.
    public var alertResendIntervalMilliseconds: Int64 = 60_000
    /// The hub (`http://host:9910`); empty: no uplink.
    public var uplinkURL = ""
    /// File holding the hub's join token.
    public var uplinkTokenFile = ""
    /// CA (PEM) that signed the hub's certificate, for an https:// `uplink.url` (default: the system's roots).
    public var uplinkCAFile = ""
    /// Client certificate and key (PEM) for hubs that require one (its CN is the node name).
    public var uplinkClientCertificateFile = ""
    public var uplinkClientKeyFile = ""
    /// What goes upstream: `1m` summaries (default) or `raw` samples.
    public var uplinkResolution = "1m"
    /// Largest compressed batch; bigger windows are split by series.
    public var uplinkMaxBatchBytes: Int64 = 1 << 20
    /// Upload cap in bytes per second (0: none).
    public var uplinkBandwidth: Int64 = 0
    /// Width of an uplink batch window (0: 1 m for raw, 10 m for 1 m summaries).
    public var uplinkWindowMilliseconds: Int64 = 0
    /// This node's secret (created 0600 on first join); empty: `node-secret` beside the store.
    public var uplinkNodeSecretFile = ""
    /// How long after the kernel booted data taken before the first clock sync waits for it (and
    /// its correction) before going up as taken. A board without RTC boots with a stale clock.
    public var uplinkClockSyncWaitMilliseconds: Int64 = 30 * 60_000

    /// Kubernetes events: `auto` (on when credentials are found), `true` (credentials required) or `false`.
    public var kubernetesEvents = "auto"
    /// A kubeconfig to use (empty: in-cluster, then k3s's own).
    public var kubeconfig = ""
    /// `node` (events about this node and its pods) or `cluster` (all).
    public var kubernetesEventScope = "node"
    /// The Events API watched: `v1` or `events.k8s.io/v1`.
    public var kubernetesEventAPI = "v1"

    /// The kernel log read for OOM kill process names and GPU Xid errors ("" disables).
    public var kernelLogPath = "/dev/kmsg"

    /// Journal capture: `auto` (on with `journalDirectory` or a RAM-only system journal), `true` or `false`.
    public var logsEnabled = "auto"
    /// Units whose journal entries are captured and exported (`kernel` for kernel messages).
    public var logUnits = ["k3s", "k3s-agent", "containerd", "edgewatch", "kernel"]
    /// Another journal directory to read (empty: the system journal).
    public var journalDirectory = ""
    /// Entries of this syslog priority or more severe are captured into the store (0 emerg … 7 debug).
    public var logCapturePriority = 4
    /// Bytes the captured entries may take in the store.
    public var logsMaxBytes: Int64 = 4 << 20

    public init() {}

    /// `/var/lib/edgewatch/store.db` for root, else `$XDG_STATE_HOME` or `~/.local/state` + `/edgewatch/store.db`.
    public static func defaultStorePath(isRoot: Bool, environment: [String: String]) -> String {
        if isRoot { return "/var/lib/edgewatch/store.db" }
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/edgewatch/store.db" }
        return (environment["HOME"] ?? "/tmp") + "/.local/state/edgewatch/store.db"
    }
}
