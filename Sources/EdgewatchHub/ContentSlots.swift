/// Dense numbers for the contents of a ``ListLabelsMemo``'s lists, so that a listing marks the
/// contents it met in an array rather than hashing their numbers
/// (``PresenceWindow/knownValues(of:start:end:)``). A content no list has any more is let go, and
/// its number given again once many are free (the cache renumbers contents it forgot and met again).
struct ContentSlots: Sendable {
    /// Each list's slot, by the mirror's list number (-1: no content known).
    private(set) var ofList: [Int] = []
    /// The content in each slot (nil: free).
    private(set) var contents: [ListContent?] = []
    /// How many lists have each slot.
    private var users: [Int] = []
    /// Slots by content number.
    private var byNumber: [Int: Int] = [:]
    private var free = 0

    /// Free slots past which the slots are numbered again (and past half of them).
    static let freeAtMost = 64

    /// List `list` has `content` (nil or one not numbered, a list that did not decode: none known).
    mutating func set(_ content: ListContent?, for list: Int) {
        if ofList.count <= list { ofList += repeatElement(-1, count: list + 1 - ofList.count) }
        let held = ofList[list]
        if held >= 0, let content, contents[held]?.number == content.number { return }
        if held >= 0 { release(held) }
        ofList[list] = -1
        guard let content, content.number != 0 else { return }
        let slot = slot(of: content)
        (ofList[list], users[slot]) = (slot, users[slot] + 1)
        if free > Self.freeAtMost, free > contents.count / 2 { compact() }
    }

    private mutating func release(_ slot: Int) {
        users[slot] -= 1
        guard users[slot] == 0, let number = contents[slot]?.number else { return }
        (contents[slot], byNumber[number], free) = (nil, nil, free + 1)
    }

    private mutating func slot(of content: ListContent) -> Int {
        if let slot = byNumber[content.number] { return slot }
        byNumber[content.number] = contents.count
        contents.append(content)
        users.append(0)
        return contents.count - 1
    }

    /// Numbers again the contents some list has, leaving no slot free.
    private mutating func compact() {
        let held = contents
        (contents, users, byNumber, free) = ([], [], [:], 0)
        for list in ofList.indices where ofList[list] >= 0 {
            guard let content = held[ofList[list]] else {
                ofList[list] = -1
                continue
            }
            let slot = slot(of: content)
            (ofList[list], users[slot]) = (slot, users[slot] + 1)
        }
    }
}
