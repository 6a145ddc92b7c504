import Foundation
import QNetCore
import QNetQuantum

/// One end's photonic interface, as a link sees it.
public struct PhotonicInterface: Hashable, Sendable {
    /// Probability that an emitted photon enters the fibre (collection included).
    public var emissionEfficiency: Double
    /// Efficiency of frequency conversion to the telecom band (1: none).
    public var conversionEfficiency: Double
    /// Indistinguishability of the photons, [0, 1].
    public var visibility: Double
    /// Preparation time of one emission round.
    public var attemptPeriod: VDuration
    /// Attempts (modes) per emission round.
    public var multiplexing: Int

    public init(emissionEfficiency: Double, conversionEfficiency: Double = 1, visibility: Double = 1, attemptPeriod: VDuration, multiplexing: Int = 1) {
        self.emissionEfficiency = emissionEfficiency
        self.conversionEfficiency = conversionEfficiency
        self.visibility = visibility
        self.attemptPeriod = attemptPeriod
        self.multiplexing = multiplexing
    }
}

/// The timing of one heralded link, from its hardware and geometry (DESIGN §10).
public struct LinkTiming: Hashable, Sendable {
    /// Preparation time of one emission round.
    public var attemptPeriod: VDuration
    /// One-way delay of each arm (node to station).
    public var armDelay: [VDuration]
    /// Emission rounds per attempt (2 for Barrett–Kok).
    public var rounds: Int
    /// Attempts (modes) per cycle.
    public var modes: Int

    public init(attemptPeriod: VDuration, armDelayA: VDuration, armDelayB: VDuration, rounds: Int, modes: Int) {
        self.attemptPeriod = attemptPeriod
        armDelay = [armDelayA, armDelayB]
        self.rounds = rounds
        self.modes = modes
    }

    /// The longer arm's delay.
    public var maxArmDelay: VDuration { max(armDelay[0], armDelay[1]) }

    /// One attempt cycle: the emission rounds plus the round trip to the station over the
    /// longer arm, after which both nodes know the outcome and may try again.
    public var cycle: VDuration { attemptPeriod * UInt64(rounds) + maxArmDelay * 2 }
}

/// A link's physics from its hardware: the click model, the timing, and the memories at both
/// ends. The station samples with it; routing and tests read its rates and states.
///
/// Arm efficiency η_X = emission (with collection) × frequency conversion × fibre arm
/// transmittance × detector efficiency (DESIGN §4). The pair's visibility is the lower of the two
/// ends' visibilities; the attempt period is the longer of the two, and the modes per cycle the
/// fewer.
public struct LinkPhysics: Sendable {
    public let model: HeraldingModel
    public let timing: LinkTiming
    /// The memories of end A and end B.
    public let memories: [MemoryModel]

    /// - Throws: ``QuantumError`` when the efficiencies do not make a valid click model.
    public init(
        scheme: HeraldingScheme, ends: (a: PhotonicInterface, b: PhotonicInterface), arms: (a: FiberChannel, b: FiberChannel),
        detector: DetectorModel, memories: (a: MemoryModel, b: MemoryModel)
    ) throws(QuantumError) {
        func eta(_ end: PhotonicInterface, _ arm: FiberChannel) -> Double {
            end.emissionEfficiency * end.conversionEfficiency * arm.transmittance * detector.efficiency
        }
        model = try HeraldingModel(
            scheme: scheme, etaA: eta(ends.a, arms.a), etaB: eta(ends.b, arms.b),
            visibility: min(ends.a.visibility, ends.b.visibility),
            darkCountProbability: detector.darkCountProbability)
        timing = LinkTiming(
            attemptPeriod: max(ends.a.attemptPeriod, ends.b.attemptPeriod),
            armDelayA: arms.a.delay, armDelayB: arms.b.delay,
            rounds: model.rounds,
            modes: min(ends.a.multiplexing, ends.b.multiplexing))
        self.memories = [memories.a, memories.b]
    }

    /// The link pair as the nodes hold it: a heralded state with the link's Pauli correction
    /// (on end A's qubit) turning it toward Φ+. Every successful outcome gives the same state up
    /// to which end holds which population, so the first one stands for all.
    public var deliveredState: DensityMatrix {
        let outcome = model.successfulOutcomes[0]
        var rho = model.heraldedState(outcome)
        rho.apply(outcome.bellState.correctionToPhiPlus, to: 0)
        return rho
    }

    /// Per-attempt success probability.
    public var successProbability: Double { model.successProbability }

    /// Probability that a cycle of `modes` attempts has at least one success: 1 − (1−p)^M
    /// (``MultiplexingModes/cycleSuccessProbability(perAttempt:modes:)``).
    public var cycleSuccessProbability: Double {
        MultiplexingModes.cycleSuccessProbability(perAttempt: successProbability, modes: timing.modes)
    }

    /// Expected pairs per virtual second when the link runs back to back: each pair takes a
    /// geometric number of cycles (the cycle after a success is the herald's round trip).
    public var expectedRatePerSecond: Double { cycleSuccessProbability / timing.cycle.seconds }
}
