/// A seeded, splittable pseudo-random generator: xoshiro256** (Blackman & Vigna, "Scrambled
/// linear pseudorandom number generators", ACM TOMS 2021), seeded through SplitMix64.
///
/// Nothing in QNetLab below the shells uses the system RNG: every process and entity gets its
/// own stream, derived from the run's seed and a stable label with ``split(_:)``, so runs are
/// repeatable and streams are independent of how many values another stream draws.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var s0, s1, s2, s3: UInt64
    /// The seed and path this stream was derived from (for splitting).
    public let seed: UInt64

    /// A stream from a 64-bit seed.
    public init(seed: UInt64) {
        self.seed = seed
        var sm = seed
        s0 = Self.splitMix(&sm)
        s1 = Self.splitMix(&sm)
        s2 = Self.splitMix(&sm)
        s3 = Self.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// An independent stream for the entity named by `label`, derived from this stream's seed
    /// only (not its position), so `split` gives the same stream however much was drawn before.
    public func split(_ label: UInt64) -> SeededRandom {
        var sm = seed ^ 0xD1B5_4A32_D192_ED03
        _ = Self.splitMix(&sm)
        sm ^= label &* 0x9E37_79B9_7F4A_7C15
        return SeededRandom(seed: Self.splitMix(&sm) ^ Self.mix(label))
    }

    /// An independent stream for a named entity (FNV-1a of the UTF-8 name as label).
    public func split(_ name: String) -> SeededRandom {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return split(h)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) <<< 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 <<< 45
        return result
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Double in (0, 1]: safe to take the logarithm of.
    @inlinable
    public mutating func nextOpenUnit() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

infix operator <<< : BitwiseShiftPrecedence

@inlinable func <<< (x: UInt64, k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }
