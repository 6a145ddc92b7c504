import SwiftProtobuf

/// Encodes and decodes the single frame that carries an ``Envelope``.
///
/// Frames are protobuf-encoded `qnet.v1.Envelope` messages (see
/// `Protos/qnet/v1/envelope.proto`). Decoding checks, in order: frame size,
/// protobuf well-formedness, protocol version, presence of a known body, and
/// the body's own field constraints. It never traps on any input.
public enum WireCodec {
    /// The wire protocol version this code speaks and writes.
    public static let protocolVersion: UInt32 = 1

    /// Largest frame accepted or produced, in bytes (4 MiB). Enough for the
    /// largest group state (``MessageBody/GroupState/maxQubits`` qubits, 1 MiB
    /// of matrix entries); shells also give it to ZeroMQ as the socket's
    /// maximum message size.
    public static let maxFrameBytes = 4 * 1024 * 1024

    /// Encodes an envelope into one frame, stamped with ``protocolVersion``.
    ///
    /// - Throws: ``WireError`` with `oversize` if the frame would exceed
    ///   ``maxFrameBytes``, or `malformed` if the envelope breaks a field
    ///   constraint the receiver would reject (so bad frames fail at the sender).
    public static func encode(_ envelope: Envelope) throws(WireError) -> [UInt8] {
        // Round-tripping the body through its validating initialiser catches
        // values a receiver would reject, at the sender, with the same message.
        let wire = envelope.wire
        _ = try Envelope(wire: wire)
        let bytes: [UInt8]
        do {
            var options = BinaryEncodingOptions()
            // Map fields (metrics counters) in key order: the same envelope always encodes to the same bytes.
            options.useDeterministicOrdering = true
            bytes = try wire.serializedBytes(options: options)
        } catch {
            throw WireError(.malformed, "envelope could not be serialised: \(error)")
        }
        guard bytes.count <= maxFrameBytes else {
            throw WireError(
                .oversize, "frame of \(bytes.count) bytes exceeds the limit of \(maxFrameBytes) bytes")
        }
        return bytes
    }

    /// Decodes one frame into an envelope.
    ///
    /// - Parameter bytes: The frame exactly as received (without the ZeroMQ
    ///   routing identity).
    /// - Throws: ``WireError``: `oversize`, `truncated`, `malformed`,
    ///   `wrongVersion` or `unknownType`.
    /// - Complexity: O(`bytes.count`).
    public static func decode(_ bytes: [UInt8]) throws(WireError) -> Envelope {
        guard bytes.count <= maxFrameBytes else {
            throw WireError(
                .oversize, "frame of \(bytes.count) bytes exceeds the limit of \(maxFrameBytes) bytes")
        }
        let wire: Qnet_V1_Envelope
        do {
            wire = try Qnet_V1_Envelope(serializedBytes: bytes)
        } catch BinaryDecodingError.truncated {
            throw WireError(.truncated, "frame of \(bytes.count) bytes ends inside a field")
        } catch {
            throw WireError(.malformed, "frame of \(bytes.count) bytes is not a valid envelope (\(error))")
        }
        return try Envelope(wire: wire)
    }
}
