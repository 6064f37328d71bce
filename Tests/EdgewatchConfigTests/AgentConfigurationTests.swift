import EdgewatchConfig
import EdgewatchCore
import EdgewatchYAML
import Foundation
import Testing

@Suite("Agent configuration")
struct AgentConfigurationTests {
    static let collectors = ["cpu", "meminfo", "loadavg"]

    func parse(_ text: String) throws(ConfigError) -> AgentConfiguration {
        try AgentConfiguration.parse(text, file: "/etc/edgewatch/edgewatch.yaml", knownCollectors: Self.collectors)
    }

    func message(_ text: String) -> String {
        do {
            _ = try parse(text)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test("an empty file gives the defaults; every key is read")
    func keys() throws {
        #expect(try parse("") == AgentConfiguration())
        let configuration = try parse(
            """
            node:
              name: pi-01
            collect:
              interval: 15s
              collectors: [cpu, meminfo]
              procfs: /host/proc
            store:
              path: /data/store.db
              max_bytes: 64MiB
              flush_interval: 30s
            listen: "[::1]:9100"
            """
        )
        #expect(configuration.nodeName == "pi-01")
        #expect(configuration.collectIntervalMilliseconds == 15_000)
        #expect(configuration.collectors == ["cpu", "meminfo"])
        #expect(configuration.procfs == "/host/proc")
        #expect(configuration.storePath == "/data/store.db")
        #expect(configuration.storeMaxBytes == 64 << 20)
        #expect(configuration.storeFlushIntervalMilliseconds == 30_000)
        #expect(configuration.listen == "[::1]:9100")
    }

    @Test("uplink.clock_sync_wait: 30 minutes by default, 0s allowed, a clear error otherwise")
    func clockSyncWait() throws {
        #expect(AgentConfiguration().uplinkClockSyncWaitMilliseconds == 30 * 60_000)
        #expect(try parse("uplink:\n  clock_sync_wait: 2h\n").uplinkClockSyncWaitMilliseconds == 7_200_000)
        #expect(try parse("uplink:\n  clock_sync_wait: 0s\n").uplinkClockSyncWaitMilliseconds == 0)
        #expect(
            message("uplink:\n  clock_sync_wait: soon\n")
                == "/etc/edgewatch/edgewatch.yaml:2:20: uplink.clock_sync_wait: expected a duration like 30m, or 0s to send unsynchronised data at once, got \"soon\""
        )
    }

    @Test("exact messages for unknown keys, wrong types, bad durations and sizes")
    func errors() {
        #expect(
            message("colect:\n  interval: 10s\n").hasPrefix(
                "/etc/edgewatch/edgewatch.yaml:1:1: unknown key \"colect\"; expected one of: alerting.alertmanagers, alerting.resend_interval, collect.collectors, collect.interval,"
            )
        )
        #expect(message("store:\n  max_byte: 1MiB\n").hasPrefix("/etc/edgewatch/edgewatch.yaml:2:3: unknown key \"store.max_byte\""))
        #expect(message("collect: 10s\n").hasPrefix("/etc/edgewatch/edgewatch.yaml:1:10: collect: expected a mapping"))
        #expect(
            message("collect:\n  interval: ten seconds\n")
                == "/etc/edgewatch/edgewatch.yaml:2:13: collect.interval: expected a duration like 10s, 1m30s or 500ms, got \"ten seconds\" (at least 100ms)"
        )
        #expect(
            message("store:\n  max_bytes: 12 parsecs\n")
                == "/etc/edgewatch/edgewatch.yaml:2:14: store.max_bytes: expected a size like 256MiB, 1GB or 1048576, got \"12 parsecs\" (at least 256KiB)"
        )
        #expect(
            message("store:\n  max_bytes: [1, 2]\n")
                == "/etc/edgewatch/edgewatch.yaml:2:14: store.max_bytes: expected a size like 256MiB, 1GB or 1048576, got a list"
        )
        #expect(
            message("collect:\n  collectors: [cpu, gpu]\n")
                == "/etc/edgewatch/edgewatch.yaml:2:21: collect.collectors: unknown collector \"gpu\"; expected one of: cpu, meminfo, loadavg"
        )
        #expect(
            message("listen: localhost\n")
                == "/etc/edgewatch/edgewatch.yaml:1:9: listen: expected host:port like 127.0.0.1:9909, or \"\" to disable, got \"localhost\""
        )
        #expect(message("- a\n- b\n") == "/etc/edgewatch/edgewatch.yaml:1:1: expected a mapping of settings at the top level, got a list")
        #expect(message("store:\n  path: a\n  path: b\n") == "/etc/edgewatch/edgewatch.yaml:3:3: duplicate key \"path\"")
        #expect(message("store: {path: a\n").hasPrefix("/etc/edgewatch/edgewatch.yaml:2:1: "))
        #expect(message("collect:\n  interval: 50ms\n").hasSuffix("got \"50ms\" (at least 100ms)"))
        #expect(
            message("rules:\n  files: rules.yaml\n")
                == "/etc/edgewatch/edgewatch.yaml:2:10: rules.files: expected a list of rule file paths or globs, got \"rules.yaml\""
        )
        #expect(
            message("alerting:\n  alertmanagers: [https://am:9093]\n")
                == "/etc/edgewatch/edgewatch.yaml:2:18: alerting.alertmanagers: expected a list of Alertmanager URLs like http://127.0.0.1:9093, got a list (\"https://am:9093\" is not an http:// URL with a host)"
        )
        #expect(
            message("events:\n  kubernetes:\n    scope: everything\n")
                == "/etc/edgewatch/edgewatch.yaml:3:12: events.kubernetes.scope: expected node or cluster, got \"everything\""
        )
        #expect(
            message("events:\n  kubernetes:\n    enabled: yes please\n")
                == "/etc/edgewatch/edgewatch.yaml:3:14: events.kubernetes.enabled: expected auto, true or false, got \"yes please\""
        )
        #expect(
            message("rules:\n  external_labels: {1x: a}\n")
                == "/etc/edgewatch/edgewatch.yaml:2:21: rules.external_labels: expected label_name: value, got \"1x\""
        )
    }

    @Test("lists and mappings nest at most 64 levels")
    func nestingIsBounded() {
        let deepest = String(repeating: "[", count: YAMLParser.maxNesting) + String(repeating: "]", count: YAMLParser.maxNesting)
        #expect(message(deepest + "\n") == "/etc/edgewatch/edgewatch.yaml:1:1: expected a mapping of settings at the top level, got a list")
        #expect(
            message("a: " + String(repeating: "{b: ", count: 100_000) + "\n")
                == "/etc/edgewatch/edgewatch.yaml:1:\(4 + 4 * 63): lists and mappings nest deeper than 64 levels"
        )
    }

    @Test("rules.builtin: the edge set by default, [] for none, unknown names located")
    func builtinRuleSets() throws {
        #expect(AgentConfiguration().builtinRuleSets == ["edge"])
        #expect(try parse("rules:\n  builtin: []\n").builtinRuleSets == [])
        let known = ["edge", "node-mixin"]
        let both = try AgentConfiguration.parse("rules:\n  builtin: [edge, node-mixin]\n", file: "a.yaml", knownCollectors: [], knownRuleSets: known)
        #expect(both.builtinRuleSets == known)
        do {
            _ = try AgentConfiguration.parse("rules:\n  builtin: [edge, mixin]\n", file: "a.yaml", knownCollectors: [], knownRuleSets: known)
            Issue.record("an unknown rule set was accepted")
        } catch {
            #expect(error.description == "a.yaml:2:12: rules.builtin: \"mixin\" is not a built-in rule set (there are: edge, node-mixin)")
        }
    }

    @Test("rules and alerting keys")
    func rulesAndAlerting() throws {
        let configuration = try parse(
            """
            rules:
              files: [/etc/edgewatch/rules.yaml, "rules.d/*.yaml"]
              evaluation_interval: 30s
              external_labels: {site: factory-3}
            alerting:
              alertmanagers: [http://10.0.0.2:9093, "http://[::1]:9093/am"]
              resend_interval: 2m
            """
        )
        #expect(configuration.ruleFiles == ["/etc/edgewatch/rules.yaml", "rules.d/*.yaml"])
        #expect(configuration.ruleEvaluationIntervalMilliseconds == 30_000)
        #expect(configuration.externalLabels == ["site": "factory-3"])
        #expect(configuration.alertmanagers.count == 2)
        #expect(HTTPURL("http://[::1]:9093/am/") == HTTPURL("http://[::1]:9093/am"))
        #expect(HTTPURL("http://[::1]:9093/am")?.pathPrefix == "/am")
        #expect(HTTPURL("http://host")?.port == 80)
        #expect(configuration.alertResendIntervalMilliseconds == 120_000)
    }

    @Test(
        "durations and sizes",
        arguments: [
            ("10s", Int64(10_000)), ("1m30s", 90_000), ("500ms", 500), ("2h", 7_200_000), ("1d", 86_400_000), ("1.5s", 1500),
        ]
    )
    func durations(text: String, milliseconds: Int64) {
        #expect(ValueParsing.duration(text) == milliseconds)
    }

    @Test("bad durations and sizes are refused")
    func badValues() {
        for text in ["", "10", "s", "10x", "30s1m", "-5s", "1e3s"] { #expect(ValueParsing.duration(text) == nil, "\(text)") }
        #expect(ValueParsing.size("256MiB") == 256 << 20)
        #expect(ValueParsing.size("1GB") == 1_000_000_000)
        #expect(ValueParsing.size("1048576") == 1_048_576)
        #expect(ValueParsing.size("512 KiB") == Int64(524_288))
        for text in ["", "MiB", "12 parsecs", "-1MiB", "1.5"] { #expect(ValueParsing.size(text) == nil, "\(text)") }
    }
}

@Suite("Shipped config")
struct ShippedConfigTests {
    @Test("config/edgewatch.yaml parses and documents the defaults")
    func shipped() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/edgewatch.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let parsed = try AgentConfiguration.parse(text, file: url.path, knownCollectors: ["cpu", "meminfo", "loadavg"])
        var expected = AgentConfiguration()
        expected.storePath = "/var/lib/edgewatch/store.db"
        #expect(parsed == expected)
    }
}
