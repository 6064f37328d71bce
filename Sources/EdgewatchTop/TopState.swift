/// What the person at the keyboard chose: the focused panel, selection, sort, filter, detail,
/// history window, pause and help. A small state machine driven by keys.
public struct TopState: Sendable, Equatable {
    public enum Panel: Int, Sendable, CaseIterable { case pods, alerts, events }

    /// Columns of the pods table, in the order `s` steps through them.
    public enum Column: Int, Sendable, CaseIterable {
        case namespace, pod, container, cpu, throttled, workingSet, limit, restarts, oom, gpu

        var title: String {
            ["NAMESPACE", "POD", "CONTAINER", "CPU", "THR%", "WS", "%LIM", "RST", "OOM", "GPU"][rawValue]
        }
    }

    /// What a key asks of the loop.
    public enum Action: Sendable, Equatable { case none, redraw, reload, quit }

    public var focus = Panel.pods
    public var sort = Column.cpu
    public var descending = true
    public var filter = ""
    public var editingFilter = false
    public var selection: [Int] = [0, 0, 0]
    public var detail = false
    public var windowIndex = 0
    public var paused = false
    public var help = false

    public init() {}

    public var window: Int64 { TopLoader.windows[windowIndex] }

    /// Applies a key (a Unicode scalar, or one of the terminal layer's key codes).
    public mutating func handle(_ key: TopKey) -> Action {
        if editingFilter { return editFilter(key) }
        if help {
            help = false
            return key == .character("q") ? .quit : .redraw
        }
        switch key {
        case .character("q"): return .quit
        case .character("?"): help = true
        case .tab: focus = Panel(rawValue: (focus.rawValue + 1) % Panel.allCases.count) ?? .pods
        case .backTab: focus = Panel(rawValue: (focus.rawValue + Panel.allCases.count - 1) % Panel.allCases.count) ?? .pods
        case .down, .character("j"): selection[focus.rawValue] += 1
        case .up, .character("k"): selection[focus.rawValue] = max(0, selection[focus.rawValue] - 1)
        case .pageDown: selection[focus.rawValue] += 10
        case .pageUp: selection[focus.rawValue] = max(0, selection[focus.rawValue] - 10)
        case .character("/"):
            editingFilter = true
            filter = ""
        case .character("s"):
            sort = Column(rawValue: (sort.rawValue + 1) % Column.allCases.count) ?? .cpu
            descending = sort.rawValue >= Column.cpu.rawValue
        case .character("S"): descending.toggle()
        case .enter: if focus == .pods { detail.toggle() }
        case .escape: detail = false
        case .character("h"), .character("-"), .left:
            windowIndex = max(0, windowIndex - 1)
            return .reload
        case .character("l"), .character("+"), .right:
            windowIndex = min(TopLoader.windows.count - 1, windowIndex + 1)
            return .reload
        case .character("p"): paused.toggle()
        case .resize: return .redraw
        default: return .none
        }
        return .redraw
    }

    private mutating func editFilter(_ key: TopKey) -> Action {
        switch key {
        case .enter: editingFilter = false
        case .escape:
            editingFilter = false
            filter = ""
        case .backspace: if !filter.isEmpty { filter.removeLast() }
        case .character(let character): filter.append(character)
        default: return .none
        }
        selection[Panel.pods.rawValue] = 0
        return .redraw
    }
}

/// A key as `top` sees it.
public enum TopKey: Sendable, Equatable {
    case character(Character)
    case up, down, left, right, tab, backTab, enter, escape, backspace, pageUp, pageDown, resize
}
