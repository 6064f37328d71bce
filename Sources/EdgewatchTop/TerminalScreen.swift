import CTerminal

#if canImport(Glibc)
import Glibc
#endif

/// The interactive `top`: full screen through ncursesw, a key read at most every 100 ms, data
/// reloaded every `refresh` (unless paused), the terminal restored however the loop ends
/// (q, Ctrl-C, SIGTERM, SIGHUP, an error).
public struct TerminalScreen {
    let loader: TopLoader
    let refreshMilliseconds: Int64
    let color: Bool
    let now: () -> Int64

    public init(loader: TopLoader, refreshMilliseconds: Int64, color: Bool, now: @escaping () -> Int64) {
        self.loader = loader
        self.refreshMilliseconds = refreshMilliseconds
        self.color = color
        self.now = now
    }

    public struct NotATerminal: Error, CustomStringConvertible {
        public var description: String { "top needs a terminal (use --once or --json to print)" }
    }

    /// Runs until `q` or a signal; returns the exit status (0, or 128 + the signal).
    /// `settled` runs once after the first reload: start-up code is done by then.
    public func run(state initial: TopState, settled: () -> Void = {}) throws -> Int32 {
        cew_term_catch_signals()
        guard cew_term_start(color ? 1 : 0) == 0 else { throw NotATerminal() }
        defer { cew_term_stop() }
        var state = initial
        var snapshot = try loader.load(now: now(), window: state.window)
        var loaded = now()
        var dirty = true
        var reloads = 0
        while true {
            // Ctrl-C is a quit key like q; SIGTERM and SIGHUP end with 128 + the signal.
            let signal = cew_term_caught_signal()
            if signal != 0 { return signal == SIGINT ? 0 : 128 + signal }
            if dirty {
                draw(TopRenderer(snapshot: snapshot, state: state))
                dirty = false
            }
            // Sleep until the next reload unless a key (or a signal, or a resize) comes first.
            let wait = state.paused ? 1000 : max(10, min(1000, refreshMilliseconds - (now() - loaded)))
            let key = cew_term_key(Int32(wait))
            if let topKey = Self.key(key) {
                switch state.handle(topKey) {
                case .quit: return 0
                case .reload:
                    snapshot = try loader.load(now: now(), window: state.window)
                    loaded = now()
                    dirty = true
                case .redraw: dirty = true
                case .none: break
                }
            }
            if !state.paused, now() - loaded >= refreshMilliseconds {
                snapshot = try loader.load(now: now(), window: state.window)
                loaded = now()
                dirty = true
                reloads += 1
                if reloads == 1 { settled() }
            }
        }
    }

    private func draw(_ renderer: TopRenderer) {
        var columns: Int32 = 80
        var rows: Int32 = 24
        cew_term_size(&columns, &rows)
        let frame = renderer.render(width: Int(columns), height: Int(rows))
        cew_term_clear()
        for (row, line) in frame.lines.enumerated() {
            var column: Int32 = 0
            for segment in line {
                cew_term_draw(Int32(row), column, segment.text, segment.style.rawValue)
                column += Int32(segment.text.count)
            }
        }
        cew_term_refresh()
    }

    static func key(_ code: Int32) -> TopKey? {
        switch code {
        case Int32(CEW_KEY_NONE): return nil
        case Int32(CEW_KEY_UP): return .up
        case Int32(CEW_KEY_DOWN): return .down
        case Int32(CEW_KEY_LEFT): return .left
        case Int32(CEW_KEY_RIGHT): return .right
        case Int32(CEW_KEY_BACKTAB): return .backTab
        case Int32(CEW_KEY_RESIZE): return .resize
        case Int32(CEW_KEY_ENTER): return .enter
        case Int32(CEW_KEY_BACKSPACE): return .backspace
        case Int32(CEW_KEY_PAGE_UP): return .pageUp
        case Int32(CEW_KEY_PAGE_DOWN): return .pageDown
        case 9: return .tab
        case 27: return .escape
        case 3: return .character("q")
        default:
            guard code > 0, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .character(Character(scalar))
        }
    }
}
