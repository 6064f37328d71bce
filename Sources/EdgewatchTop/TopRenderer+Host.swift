/// Header, uplink and the node's lines.
extension TopRenderer {
    func header(_ frame: inout Frame) {
        let header = snapshot.header
        var segments: [Frame.Segment] = [.styled("edgewatch top", .header)]
        for part in [header.node, header.board, header.kernel] where !part.isEmpty { segments.append(.plain(" · " + part)) }
        if let uptime = header.uptimeSeconds { segments.append(.plain(" · up " + Text.duration(uptime))) }
        if let synced = header.clockSynchronized { segments.append(synced ? .plain(" · clock ok") : .styled(" · clock not synced", .warn)) }
        frame.add(segments)
        var status: [Frame.Segment] = []
        if let last = header.lastCycle {
            if header.agentRunning {
                status.append(.styled("agent running", .good))
                status.append(.plain(", last cycle \(Text.duration(header.lastCycleAgeSeconds)) ago"))
            } else {
                status.append(
                    .styled("agent not running, data as of \(Text.clock(last)) UTC (\(Text.duration(header.lastCycleAgeSeconds)) ago)", .bad)
                )
            }
        }
        let uplink = snapshot.uplink
        if uplink.configured {
            status.append(.plain(" · uplink "))
            status.append(uplink.current ? .styled("delivering", .good) : .styled("behind", .warn))
            status.append(.plain(", backlog \(uplink.backlogWindows)"))
            if let acknowledged = uplink.lastAcknowledged { status.append(.plain(", acked to \(Text.clock(acknowledged))")) }
            if uplink.deadLetters > 0 { status.append(.styled(", \(uplink.deadLetters) dead letters", .bad)) }
        } else {
            status.append(.styled(" · uplink off", .dim))
        }
        let window = Text.duration(Double(snapshot.windowMilliseconds) / 1000)
        status.append(.styled(" · history \(window) (\(snapshot.historyTier))" + (state.paused ? " · PAUSED" : ""), .dim))
        frame.add(status)
    }

    func host(_ frame: inout Frame) {
        let spark = max(8, min(30, frame.width / 5))
        let cpu = snapshot.cpu
        var cpuLine: [Frame.Segment] = [.styled("CPU  ", .bold), level(cpu.total, warn: 0.8, bad: 0.95, width: 4)]
        cpuLine.append(.plain(" " + Text.sparkline(cpu.history, width: spark, maximum: 1) + " "))
        if !cpu.load.isEmpty { cpuLine.append(.plain(" load " + cpu.load.map { Text.decimal($0, 2) }.joined(separator: " "))) }
        if let pressure = cpu.pressure { cpuLine.append(.plain("  psi " + Text.percent(pressure))) }
        frame.add(cpuLine)
        // Tall screens give each core a sparkline; otherwise one line of percentages.
        if frame.height >= 40, cpu.cores.count <= 16, cpu.coreHistory.count == cpu.cores.count {
            for (index, busy) in cpu.cores.enumerated() {
                frame.add([
                    .styled(Text.fit(" \(index)", 5), .dim), level(busy, warn: 0.8, bad: 0.95, width: 4),
                    .plain(" " + Text.sparkline(cpu.coreHistory[index], width: spark, maximum: 1)),
                ])
            }
        } else {
            var cores: [Frame.Segment] = [.plain("     ")]
            for (index, busy) in cpu.cores.enumerated() {
                cores.append(.styled("\(index):", .dim))
                cores.append(level(busy, warn: 0.8, bad: 0.95, width: 4))
                cores.append(.plain(" "))
            }
            frame.add(cores)
        }
        frame.add(memoryLine(spark))
        var disks: [Frame.Segment] = [.styled("DISK ", .bold)]
        for disk in snapshot.disks.prefix(3) { disks.append(.plain("\(disk.name) r \(Text.rate(disk.inRate)) w \(Text.rate(disk.outRate))  ")) }
        disks.append(.styled("FS ", .bold))
        for filesystem in snapshot.filesystems.prefix(6) {
            disks.append(.plain(filesystem.mountpoint + " "))
            disks.append(level(filesystem.usedFraction, warn: 0.85, bad: 0.95, width: 0))
            disks.append(.plain("  "))
        }
        frame.add(disks)
        var network: [Frame.Segment] = [.styled("NET  ", .bold)]
        for device in snapshot.network.prefix(4) {
            network.append(.plain("\(device.name) rx \(Text.rate(device.inRate)) tx \(Text.rate(device.outRate))  "))
        }
        frame.add(network)
        frame.add(sensorsLine())
        for gpu in snapshot.gpus.prefix(2) where frame.height >= 30 || gpu.gpu == snapshot.gpus.first?.gpu {
            frame.add(gpuLine(gpu))
        }
    }

    private func memoryLine(_ spark: Int) -> [Frame.Segment] {
        let memory = snapshot.memory
        let used = memory.totalBytes.flatMap { total in memory.availableBytes.map { total - $0 } }
        let fraction = used.flatMap { used in memory.totalBytes.map { used / max($0, 1) } }
        var line: [Frame.Segment] = [.styled("MEM  ", .bold), level(fraction, warn: 0.85, bad: 0.95, width: 4)]
        line.append(.plain(" " + Text.sparkline(memory.history, width: spark, maximum: 1) + " "))
        line.append(.plain(" \(Text.bytes(used))/\(Text.bytes(memory.totalBytes)) cache \(Text.bytes(memory.cachedBytes))"))
        if let swap = memory.swapTotalBytes, swap > 0 {
            line.append(.plain(" swap \(Text.bytes(swap - (memory.swapFreeBytes ?? 0)))/\(Text.bytes(swap))"))
        }
        if let pressure = memory.pressure { line.append(.plain("  psi " + Text.percent(pressure))) }
        return line
    }

    private func sensorsLine() -> [Frame.Segment] {
        var line: [Frame.Segment] = [.styled("TEMP ", .bold)]
        for sensor in snapshot.temperatures.prefix(4) {
            line.append(.plain(sensor.sensor + " "))
            line.append(.styled(Text.decimal(sensor.celsius, 0) + "°C  ", sensor.celsius >= 85 ? .bad : (sensor.celsius >= 75 ? .warn : .plain)))
        }
        if !snapshot.throttling.isEmpty { line.append(.styled("PI " + snapshot.throttling.joined(separator: ","), .bad)) }
        return line
    }

    private func gpuLine(_ gpu: TopSnapshot.GPU) -> [Frame.Segment] {
        guard gpu.up else { return [.styled("GPU\(gpu.gpu) ", .bold), .styled("lost (does not answer NVML)", .bad)] }
        var line: [Frame.Segment] = [.styled("GPU\(gpu.gpu) ", .bold), level(gpu.utilization, warn: 0.9, bad: 2, width: 4)]
        line.append(.plain(" mem \(Text.bytes(gpu.memoryUsedBytes))/\(Text.bytes(gpu.memoryTotalBytes))"))
        if let temperature = gpu.temperature { line.append(.plain(" \(Text.decimal(temperature, 0))°C")) }
        if let power = gpu.powerWatts { line.append(.plain(" \(Text.decimal(power, 0))W")) }
        if let clock = gpu.smClockMHz { line.append(.plain(" \(Text.decimal(clock, 0))MHz")) }
        return line
    }

    /// A fraction as a percentage, coloured by threshold.
    func level(_ value: Double?, warn: Double, bad: Double, width: Int) -> Frame.Segment {
        let text = width > 0 ? Text.fit(Text.percent(value), width, right: true) : Text.percent(value)
        guard let value else { return .styled(text, .dim) }
        return .styled(text, value >= bad ? .bad : (value >= warn ? .warn : .plain))
    }
}
