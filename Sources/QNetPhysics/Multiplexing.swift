import Foundation

/// How a link multiplexes its attempts: temporal modes (time bins of one emission round),
/// spectral channels and spatial channels (DESIGN §4). Every mode is an independent attempt;
/// a multimode memory stores whichever mode heralds (Simon et al., PRL 98, 190503, 2007;
/// Collins et al., PRL 98, 060502, 2007).
public struct MultiplexingModes: Hashable, Sendable {
    /// Time-bin modes per emission round, ≥ 1.
    public var temporal: Int
    /// Frequency channels, ≥ 1.
    public var spectral: Int
    /// Spatial channels (fibres or cores), ≥ 1.
    public var spatial: Int

    public init(temporal: Int = 1, spectral: Int = 1, spatial: Int = 1) {
        self.temporal = temporal
        self.spectral = spectral
        self.spatial = spatial
    }

    /// No multiplexing: one mode per cycle.
    public static let single = MultiplexingModes()

    /// Independent attempts per cycle: M = temporal × spectral × spatial.
    public var count: Int { temporal * spectral * spatial }

    /// Probability that at least one of `modes` independent attempts, each succeeding with
    /// probability `p`, succeeds: 1 − (1 − p)^M, computed as −expm1(M·log1p(−p)) so that small
    /// p keeps its digits.
    public static func cycleSuccessProbability(perAttempt p: Double, modes: Int) -> Double {
        guard p < 1 else { return 1 }
        return -expm1(Double(modes) * log1p(-p))
    }

    /// ``cycleSuccessProbability(perAttempt:modes:)`` for this link's ``count``.
    public func cycleSuccessProbability(perAttempt p: Double) -> Double {
        Self.cycleSuccessProbability(perAttempt: p, modes: count)
    }
}
