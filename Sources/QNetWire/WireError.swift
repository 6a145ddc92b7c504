/// Why bytes from the wire could not be turned into an ``Envelope`` (or an
/// envelope into bytes).
///
/// Nothing a peer sends can trap: every defect in a frame ends up here, so the
/// receiving shell can count it, log it with the peer's identity and drop it.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// How the frame was bad; shells count drops per code.
    public enum Code: String, Hashable, Sendable {
        /// The bytes end in the middle of a field.
        case truncated
        /// The bytes are not a valid encoding, or a field holds a value the
        /// schema does not allow (unspecified enum, wrong count, out of range).
        case malformed
        /// The envelope has no body, or one this version does not know.
        case unknownType
        /// The envelope's protocol version is not ``WireCodec/protocolVersion``.
        case wrongVersion
        /// The frame is larger than ``WireCodec/maxFrameBytes``.
        case oversize
    }

    /// The kind of defect.
    public var code: Code
    /// One sentence naming the field and what was wrong with it.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    static func malformed(_ field: String, _ problem: String) -> WireError {
        WireError(.malformed, "\(field): \(problem)")
    }
}
