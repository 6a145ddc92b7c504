internal import CZeroMQ

/// Library-wide facts about the linked libzmq.
public enum ZMQ {
    /// The version of the libzmq library linked at run time.
    public static var version: ZMQVersion {
        var major: Int32 = 0
        var minor: Int32 = 0
        var patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return ZMQVersion(major: Int(major), minor: Int(minor), patch: Int(patch))
    }

    /// libzmq's one-line description of an errno value (`zmq_strerror`).
    public static func describe(errno value: Int32) -> String {
        guard let text = zmq_strerror(value) else { return "unknown error \(value)" }
        return String(cString: text)
    }
}

/// A libzmq version number, e.g. 4.3.4.
public struct ZMQVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Incremented for incompatible API changes.
    public var major: Int
    /// Incremented for compatible additions.
    public var minor: Int
    /// Incremented for fixes.
    public var patch: Int

    public init(major: Int, minor: Int, patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    public static func < (a: ZMQVersion, b: ZMQVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public var description: String { "\(major).\(minor).\(patch)" }
}
