import QNetCore
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
    ///   ``maxFrameBytes``, or (debug builds) `malformed` if the envelope breaks a
    ///   field constraint the receiver would reject (so bad frames fail at the sender).
    public static func encode(_ envelope: Envelope) throws(WireError) -> [UInt8] {
        let wire = envelope.wire
        #if DEBUG
        // Round-tripping the body through its validating initialiser catches values a receiver
        // would reject, at the sender, with the same message. Debug builds (every test) do it;
        // release builds leave it to the receiver, which checks every frame it decodes.
        _ = try Envelope(wire: wire)
        #endif
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

    /// `frame`, an encoded envelope, with its delivery time set to `deliveryTime`, without
    /// decoding and encoding it again: the field is appended, and a protobuf parser keeps the last
    /// value of a repeated scalar field (proto3 language guide, "Updating a message type";
    /// encoding guide, "Last one wins"). The router stamps each routed frame this way.
    ///
    /// - Throws: ``WireError`` with `oversize` if the frame would exceed ``maxFrameBytes``.
    public static func stamped(_ frame: [UInt8], deliveryTime: VTime) throws(WireError) -> [UInt8] {
        var bytes = frame
        bytes.reserveCapacity(frame.count + 11)
        bytes.append(5 << 3)  // envelope.proto: `uint64 delivery_time_ps = 5`, wire type 0 (varint)
        var value = deliveryTime.picoseconds
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
        guard bytes.count <= maxFrameBytes else {
            throw WireError(.oversize, "frame of \(bytes.count) bytes exceeds the limit of \(maxFrameBytes) bytes")
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
