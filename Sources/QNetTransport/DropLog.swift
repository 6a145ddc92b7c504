/// What to log about bad frames, per peer: the first five in full, then one line saying the rest
/// from that peer are only counted (a flood of garbage must not flood the log).
public struct DropLog: Sendable {
    /// Frames dropped per peer (at most 1,000 peers are tracked; later ones are logged as new).
    public private(set) var byPeer: [String: Int] = [:]

    public init() {}

    /// Records one dropped frame from `peer`.
    /// - Returns: the line to log (`what` prefixed by `source`), or nil when it is only counted.
    public mutating func record(from peer: String, _ what: String, source: (String) -> String) -> String? {
        let name = peer.isEmpty ? "(no identity)" : peer
        let count = byPeer[name, default: 0] + 1
        if byPeer.count < 1_000 || byPeer[name] != nil { byPeer[name] = count }
        if count <= 5 { return "dropped from \(source(name)): \(what)" }
        if count == 6 { return "dropping more bad frames from \(source(name)); counting them without logging" }
        return nil
    }
}
