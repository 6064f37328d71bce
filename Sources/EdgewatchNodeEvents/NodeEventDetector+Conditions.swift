import EdgewatchCore

/// Conditions that begin and end: filesystems full (≥ 95 % used, cleared below 90 %) or
/// remounted read-only, Raspberry Pi under-voltage, throttling and frequency capping, GPUs lost
/// and recovered; Xid errors from the GPU collector's counters and the kernel log.
extension NodeEventDetector {
    mutating func filesystemEvents(_ families: [String: MetricFamily], at time: Int64) -> [EventRecord] {
        var events: [EventRecord] = []
        var sizes: [String: Double] = [:]
        for sample in families["node_filesystem_size_bytes"]?.samples ?? [] {
            if let mount = sample.labels["mountpoint"] { sizes[mount] = sample.value }
        }
        for sample in families["node_filesystem_avail_bytes"]?.samples ?? [] {
            guard let mount = sample.labels["mountpoint"], let size = sizes[mount], size > 0 else { continue }
            let used = 1 - sample.value / size
            let key = "fs-full:" + mount
            let holds = conditions[key] != nil ? used >= 0.90 : used >= 0.95
            let device = sample.labels["device"] ?? ""
            if case .began(let start) = transition(key, holds: holds, at: time) {
                let percent = Int((used * 100).rounded())
                events.append(
                    event(
                        .filesystemFull,
                        at: time,
                        message: "Filesystem \(mount) (\(device)) is \(percent) % full",
                        key: "\(bootID)/\(mount)/\(start)"
                    )
                )
            }
        }
        for sample in families["node_filesystem_readonly"]?.samples ?? [] {
            guard let mount = sample.labels["mountpoint"] else { continue }
            let device = sample.labels["device"] ?? ""
            if case .began(let start) = transition("fs-ro:" + mount, holds: sample.value == 1, at: time) {
                events.append(
                    event(
                        .filesystemReadOnly,
                        at: time,
                        message: "Filesystem \(mount) (\(device)) was remounted read-only",
                        key: "\(bootID)/\(mount)/\(start)"
                    )
                )
            }
        }
        return events
    }

    mutating func throttleEvents(_ families: [String: MetricFamily], at time: Int64) -> [EventRecord] {
        let reasons: [String: (NodeEventReason, NodeEventReason, String)] = [
            "under_voltage": (.underVoltage, .underVoltageEnded, "Supply voltage below 4.63 V (Raspberry Pi firmware)"),
            "throttled": (.throttled, .throttledEnded, "CPU throttled by the Raspberry Pi firmware"),
            "frequency_capped": (.frequencyCapped, .frequencyCappedEnded, "ARM frequency capped by the Raspberry Pi firmware"),
        ]
        var events: [EventRecord] = []
        for sample in families["edgewatch_rpi_throttle_state"]?.samples ?? [] where sample.labels["scope"] == "now" {
            guard let condition = sample.labels["condition"], let (begin, end, text) = reasons[condition] else { continue }
            switch transition("rpi:" + condition, holds: sample.value == 1, at: time) {
            case .began(let start): events.append(event(begin, at: time, message: text, key: "\(bootID)/\(start)"))
            case .ended(let start):
                events.append(
                    event(end, at: time, message: text + " no more (since \(RFC3339.format(milliseconds: start)))", key: "\(bootID)/\(start)")
                )
            case nil: break
            }
        }
        return events
    }

    mutating func gpuEvents(_ families: [String: MetricFamily], at time: Int64, kernelLog: [KernelLogRecord]?) -> [EventRecord] {
        var events: [EventRecord] = []
        for sample in families["edgewatch_gpu_up"]?.samples ?? [] {
            let gpu = sample.labels["gpu"] ?? "?"
            let object = EventRecord.InvolvedObject(kind: "Node", name: node)
            switch transition("gpu-lost:" + gpu, holds: sample.value == 0, at: time) {
            case .began(let start):
                events.append(event(.gpuLost, at: time, object: object, message: "GPU \(gpu) does not answer NVML", key: "\(bootID)/\(gpu)/\(start)"))
            case .ended(let start):
                events.append(
                    event(.gpuRecovered, at: time, object: object, message: "GPU \(gpu) answers NVML again", key: "\(bootID)/\(gpu)/\(start)")
                )
            case nil: break
            }
        }
        if let kernelLog {
            return events
                + kernelLog.compactMap { record in
                    record.xid.map { xid in
                        event(
                            .gpuXidError,
                            at: time,
                            message: "GPU at PCI \(xid.pci) reported Xid \(xid.code): \(xid.text)",
                            key: "\(bootID)/kmsg/\(record.sequence)"
                        )
                    }
                }
        }
        // Without kernel log access, the collector's Xid counters tell which errors occurred.
        for sample in families["edgewatch_gpu_xid_errors_total"]?.samples ?? [] {
            let key = (sample.labels["gpu"] ?? "?") + "/" + (sample.labels["xid"] ?? "?")
            let before = xidCounts[key]
            xidCounts[key] = sample.value
            guard let before, sample.value > before, let count = sample.value.roundedInt64(.down),
                let more = (sample.value - before).roundedInt64(.down)
            else { continue }
            events.append(
                event(
                    .gpuXidError,
                    at: time,
                    message: "GPU \(sample.labels["gpu"] ?? "?") reported Xid \(sample.labels["xid"] ?? "?") (\(more) more)",
                    key: "\(bootID)/\(key)/\(count)"
                )
            )
        }
        return events
    }
}
