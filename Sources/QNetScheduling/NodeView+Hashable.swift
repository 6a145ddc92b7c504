import QNetCore

// A view travels in messages (controller placement), which are values that compare and hash:
// the tuple-valued tables compare entry by entry.
extension NodeView: Hashable {
    public static func == (a: NodeView, b: NodeView) -> Bool {
        a.now == b.now && a.freeQubits == b.freeQubits && a.idle == b.idle && a.links == b.links
            && a.positions.count == b.positions.count
            && a.positions.allSatisfy { key, value in b.positions[key].map { $0 == value } ?? false }
            && a.sides.count == b.sides.count
            && a.sides.allSatisfy { key, value in b.sides[key].map { $0 == value } ?? false }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(now)
        hasher.combine(freeQubits)
        hasher.combine(idle)
    }
}
