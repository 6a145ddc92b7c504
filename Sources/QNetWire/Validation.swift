/// Field checks shared by the `init(wire:)` conversions.
enum Check {
    /// Throws `malformed` naming `field` unless `condition` holds.
    @inline(__always)
    static func require(_ condition: Bool, _ field: String, _ problem: @autoclosure () -> String) throws(WireError) {
        if !condition { throw WireError.malformed(field, problem()) }
    }

    /// A probability: finite and in [0, 1].
    static func probability(_ value: Double, _ field: String) throws(WireError) -> Double {
        try require(value.isFinite && value >= 0 && value <= 1, field, "\(value) is not a probability in [0, 1]")
        return value
    }

    /// A measurement outcome: 0 or 1.
    static func bit(_ value: UInt32, _ field: String) throws(WireError) -> UInt32 {
        try require(value <= 1, field, "outcome \(value) is not 0 or 1")
        return value
    }

    /// A process name: non-empty, at most 255 UTF-8 bytes (a routing identity).
    static func processName(_ value: String, _ field: String) throws(WireError) -> String {
        try require(!value.isEmpty, field, "name is empty")
        try require(value.utf8.count <= 255, field, "name is longer than 255 bytes")
        return value
    }

    /// A ZeroMQ endpoint a peer may connect to (ipc:// or tcp://), or empty for none.
    static func endpoint(_ value: String, _ field: String) throws(WireError) -> String {
        guard !value.isEmpty else { return value }
        try require(value.utf8.count <= 1_024, field, "endpoint is longer than 1024 bytes")
        try require(value.hasPrefix("ipc://") || value.hasPrefix("tcp://"), field, "endpoint \(value.debugDescription) is not ipc:// or tcp://")
        return value
    }

    static func unspecified(_ field: String) -> WireError {
        WireError.malformed(field, "value is unspecified")
    }

    static func unrecognized(_ field: String, _ value: Int) -> WireError {
        WireError.malformed(field, "unknown enum value \(value)")
    }
}
