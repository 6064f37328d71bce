import ArgumentParser
import EdgewatchExposition
import EdgewatchTop
import EdgewatchYAML
import HostFS

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch top`: the on-device terminal view, from the local store.
struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "The node at a glance from the local store: CPU, memory, disks, network, sensors, GPUs, pods, alerts, events, uplink.",
        discussion: """
            Examples: edgewatch top
                      edgewatch top --since 6h --refresh 2s
                      edgewatch top --once --size 120x40 > frame.txt
            Keys: q quit, ? help, Tab panels, arrows or j/k move, / filter, s/S sort, Enter pod detail, h/l history window, p pause.
            --once prints one frame (plain text when stdout is no terminal or NO_COLOR is set); --json prints the data of every panel.
            """
    )

    @Option(help: "Store file (default: the agent's default location).")
    var store: String?

    @Option(help: "Time between reloads, e.g. 1s, 500ms.")
    var refresh = "1s"

    @Option(help: "History window: 15m, 1h, 6h or 24h.")
    var since = "15m"

    @Flag(help: "Print one frame and exit.")
    var once = false

    @Option(help: "Frame size for --once, e.g. 80x24 (default: the terminal's, else 80x24).")
    var size: String?

    @Flag(help: "Print one snapshot of every panel's data as JSON and exit.")
    var json = false

    @Flag(help: "No colour (also when NO_COLOR is set).")
    var monochrome = false

    @Option(help: .hidden)
    var now: String?

    func validate() throws {
        guard let milliseconds = ValueParsing.duration(refresh), milliseconds >= 100 else {
            throw ValidationError("--refresh: expected a duration like 1s or 500ms (at least 100ms), got \"\(refresh)\"")
        }
        guard let window = ValueParsing.duration(since), TopLoader.windows.contains(window) else {
            throw ValidationError("--since: expected 15m, 1h, 6h or 24h, got \"\(since)\"")
        }
        _ = (milliseconds, window)
        if let size, Self.parseSize(size) == nil { throw ValidationError("--size: expected WIDTHxHEIGHT of at least 80x24, got \"\(size)\"") }
        if let now, TimeArgument.parse(now) == nil { throw ValidationError("--now: expected RFC 3339 or Unix seconds") }
    }

    static func parseSize(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: "x")
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width >= 80, height >= 24 else { return nil }
        return (width, height)
    }

    func run() throws {
        let path = store ?? DefaultStore.path
        let loader: TopLoader
        do {
            loader = try TopLoader.open(path)
        } catch {
            throw ValidationError("--store: \(error)")
        }
        var state = TopState()
        state.windowIndex = TopLoader.windows.firstIndex(of: ValueParsing.duration(since) ?? 900_000) ?? 0
        let fixed = now.flatMap(TimeArgument.parse)
        let clock: () -> Int64 = { fixed ?? LiveHostKernel().wallTime().milliseconds }
        let noColor = monochrome || !(getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
        if json {
            StandardOutput.write(try JSONDocument.encode(try loader.load(now: clock(), window: state.window)) + "\n")
            return
        }
        if once {
            let (width, height) = size.flatMap(Self.parseSize) ?? Self.terminalSize() ?? (80, 24)
            let frame = TopRenderer(snapshot: try loader.load(now: clock(), window: state.window), state: state).render(width: width, height: height)
            StandardOutput.write(isatty(1) == 1 && !noColor ? frame.ansiText : frame.plainText)
            return
        }
        let screen = TerminalScreen(loader: loader, refreshMilliseconds: ValueParsing.duration(refresh) ?? 1000, color: !noColor, now: clock)
        // Drop the code pages start-up touched; the refresh loop faults back what it runs.
        let status = try screen.run(state: state) { ResidentFootprint.dropCodePages() }
        if status != 0 { throw ExitCode(status) }
    }

    static func terminalSize() -> (Int, Int)? {
        var size = winsize()
        guard isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 80, size.ws_row >= 24 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }
}
