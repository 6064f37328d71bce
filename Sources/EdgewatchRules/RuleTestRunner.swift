import EdgewatchCore
import EdgewatchPromQL
import EdgewatchYAML

/// Runs promtool-format rule unit tests and reports like `promtool test rules`.
public struct RuleTestRunner {
    /// The outcome of one test file.
    public struct FileResult: Sendable {
        public var path: String
        /// Per test group: its failures (empty: passed).
        public var groupFailures: [[String]]
        /// A problem loading the file or its rule files.
        public var loadError: String?

        public var passed: Bool { loadError == nil && groupFailures.allSatisfy(\.isEmpty) }

        /// The report promtool prints for the file.
        public var report: String {
            var text = "Unit Testing:  \(path)\n"
            if let loadError { return text + "  FAILED:\n    \(loadError)\n" }
            let failures = groupFailures.flatMap { $0 }
            text += failures.isEmpty ? "  SUCCESS\n" : "  FAILED:\n" + failures.joined(separator: "\n") + "\n"
            return text
        }
    }

    public var engine = Engine()

    public init() {}

    /// Runs the test file at `path`.
    public func run(path: String) -> FileResult {
        do {
            let text = try LocalFiles.read(path)
            let file = try RuleTestFile.parse(text, file: path)
            var groups: [RuleGroup] = []
            let directory = LocalFiles.directory(of: path)
            for pattern in file.ruleFiles {
                let resolved = pattern.hasPrefix("/") || directory == "." ? pattern : directory + "/" + pattern
                for rulePath in LocalFiles.glob(resolved) {
                    groups += try RuleFileParser.parse(try LocalFiles.read(rulePath), file: rulePath)
                }
            }
            if !file.groupEvalOrder.isEmpty {
                // As promtool 2.x: a repeated name is an error, unknown names are ignored and
                // unlisted groups sort first.
                var position: [String: Int] = [:]
                for (index, name) in file.groupEvalOrder.enumerated() {
                    guard position[name] == nil else {
                        return FileResult(path: path, groupFailures: [], loadError: "group name repeated in evaluation order: \(name)")
                    }
                    position[name] = index
                }
                groups = groups.enumerated().sorted { a, b in
                    let (x, y) = (position[a.element.name] ?? 0, position[b.element.name] ?? 0)
                    return x != y ? x < y : a.offset < b.offset
                }.map(\.element)
            }
            return FileResult(path: path, groupFailures: file.tests.map { run($0, groups: groups, evaluationInterval: file.evaluationInterval) })
        } catch let error as ConfigError {
            return FileResult(path: path, groupFailures: [], loadError: error.description)
        } catch {
            return FileResult(path: path, groupFailures: [], loadError: "\(error)")
        }
    }

    /// Runs one test group; returns its failure messages.
    public func run(_ test: RuleTestFile.TestGroup, groups: [RuleGroup], evaluationInterval: Int64) -> [String] {
        var storage = MemorySeriesSource()
        for series in test.inputSeries {
            for (index, value) in series.values.enumerated() {
                if let value { storage.append(series.labels, Point(Int64(index) * test.interval, value)) }
            }
        }
        var states = groups.map(RuleGroupState.init)
        let alertTimes = Set(test.alertTests.map(\.evalTime)).sorted()
        let maxTime = (test.alertTests.map(\.evalTime) + test.expressionTests.map(\.evalTime)).max() ?? 0
        var failures: [String] = []
        var nextAlertTime = 0
        var time: Int64 = 0
        while time <= maxTime {
            var evaluationErrors: [String] = []
            for index in states.indices {
                states[index].evaluate(
                    at: time,
                    engine: engine,
                    storage: &storage,
                    externalLabels: test.externalLabels,
                    externalURL: test.externalURL
                )
                for (ruleIndex, error) in states[index].lastErrors.sorted(by: { $0.key < $1.key }) {
                    evaluationErrors.append("    rule: \(states[index].group.rules[ruleIndex].name), time: \(Self.goDuration(time)), err: \(error)")
                }
            }
            if !evaluationErrors.isEmpty { return evaluationErrors }
            while nextAlertTime < alertTimes.count, alertTimes[nextAlertTime] >= time, alertTimes[nextAlertTime] < time + evaluationInterval {
                let evalTime = alertTimes[nextAlertTime]
                for alertTest in test.alertTests where alertTest.evalTime == evalTime {
                    if let failure = check(alertTest, states) { failures.append(failure) }
                }
                nextAlertTime += 1
            }
            time += evaluationInterval
        }
        for expressionTest in test.expressionTests {
            if let failure = check(expressionTest, storage) { failures.append(failure) }
        }
        if !failures.isEmpty, !test.name.isEmpty {
            failures.insert("    name: \(test.name),", at: 0)
        }
        return failures
    }

    func check(_ test: RuleTestFile.AlertTest, _ states: [RuleGroupState]) -> String? {
        var got: [(Labels, [String: String])] = []
        for state in states {
            for alerting in state.alerting.values where alerting.rule.name == test.alertName {
                for alert in alerting.active.values where alert.state == .firing {
                    got.append((alert.labels, alert.annotations))
                }
            }
        }
        let expected = test.expected.map { alert in
            (
                Labels(alert.labels.map { Label($0.0, $0.1) }).setting("alertname", test.alertName),
                Dictionary(alert.annotations, uniquingKeysWith: { $1 })
            )
        }
        let sortedGot = got.sorted { Self.alertOrder($0, $1) }
        let sortedExpected = expected.sorted { Self.alertOrder($0, $1) }
        let same =
            sortedGot.count == sortedExpected.count
            && zip(sortedGot, sortedExpected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        guard !same else { return nil }
        return
            "    alertname: \(test.alertName), time: \(PromDuration.format(test.evalTime)), \n        exp:\(Self.describe(sortedExpected)), \n        got:\(Self.describe(sortedGot))"
    }

    /// Go's time.Duration text for whole milliseconds (`0s`, `1m30s`, `1h0m0s`).
    static func goDuration(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        let hours = milliseconds / 3_600_000, minutes = milliseconds / 60_000 % 60
        let seconds = GoFloat.format(Double(milliseconds % 60_000) / 1000, style: .fixed)
        if hours > 0 { return "\(hours)h\(minutes)m\(seconds)s" }
        if minutes > 0 { return "\(minutes)m\(seconds)s" }
        return milliseconds < 1000 ? "\(milliseconds)ms" : "\(seconds)s"
    }

    static func alertOrder(_ a: (Labels, [String: String]), _ b: (Labels, [String: String])) -> Bool {
        if a.0 != b.0 { return a.0 < b.0 }
        return describeMap(a.1) < describeMap(b.1)
    }

    static func describe(_ alerts: [(Labels, [String: String])]) -> String {
        guard !alerts.isEmpty else { return "[]" }
        var text = "["
        for (index, alert) in alerts.enumerated() {
            text += (index == 0 ? "\n" : ",\n") + "            \(index):\n"
            text += "              Labels:\(describeLabels(alert.0))\n              Annotations:\(describeMap(alert.1))"
        }
        return text + "\n            ]"
    }

    static func describeLabels(_ labels: Labels) -> String {
        "{" + labels.map { "\($0.name)=\(quote($0.value))" }.joined(separator: ", ") + "}"
    }

    static func describeMap(_ map: [String: String]) -> String {
        "{" + map.keys.sorted().map { "\($0)=\(quote(map[$0] ?? ""))" }.joined(separator: ", ") + "}"
    }

    static func quote(_ text: String) -> String {
        var output = "\""
        TextEscaping.labelValue(text, into: &output)
        return output + "\""
    }

    func check(_ test: RuleTestFile.ExpressionTest, _ storage: MemorySeriesSource) -> String? {
        let header = "    expr: \(Self.quote(test.expression)), time: \(PromDuration.format(test.evalTime))"
        var got: [(Labels, Double)] = []
        do {
            let expression = try Parser.parse(test.expression)
            switch try engine.evaluate(expression, at: test.evalTime, source: storage) {
            case .vector(let samples): got = samples.map { ($0.labels, $0.value) }
            case .scalar(let value): got = [(Labels(), value)]
            default: return header + ", err: rule result is not a vector or scalar"
            }
        } catch {
            return header + ", err: \(error)"
        }
        var expected: [(Labels, Double)] = []
        for sample in test.expected {
            do {
                expected.append((try SeriesNotation.metric(sample.labels), sample.value))
            } catch {
                return header + ", err: could not parse labels \(Self.quote(sample.labels)): \(error)"
            }
        }
        got.sort { $0.0 < $1.0 }
        expected.sort { $0.0 < $1.0 }
        // Exact comparison as promtool does: NaN never equals NaN.
        let same = got.count == expected.count && zip(got, expected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        guard !same else { return nil }
        func describe(_ samples: [(Labels, Double)]) -> String {
            samples.map { "\(Self.describeLabels($0.0)) \(GoFloat.format($0.1))" }.joined(separator: ", ")
        }
        return header + ",\n        exp: \(describe(expected))\n        got: \(describe(got))"
    }
}
