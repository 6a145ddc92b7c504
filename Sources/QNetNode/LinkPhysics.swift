import QNetCore
import QNetPhysics
import QNetProtocols
import QNetQuantum
import QNetScenario

/// A link's physics, derived from the scenario: the click model, the timing, and the memories
/// at both ends. The station uses it to sample; tests use it for the closed-form expectations.
///
/// Arm efficiency η_X = emission (with collection) × frequency conversion × fibre arm
/// transmittance × detector efficiency. The station's detectors are the link's own
/// (``LinkSpec/detectors``: built-in ← `defaults.detectors` ← `links[i].detectors`);
/// the pair's visibility is the lower of the two nodes' visibilities; the attempt period is the
/// longer of the two, and the modes per cycle the fewer.
public struct LinkPhysics: Sendable {
    public let link: LinkSpec
    public let model: HeraldingModel
    public let timing: LinkTiming
    public let memories: [MemoryModel]

    public init(scenario: Scenario, link: LinkSpec) throws(QuantumError) {
        self.link = link
        let nodeA = scenario.node(link.a), nodeB = scenario.node(link.b)
        let detectors = link.detectors
        func eta(_ node: NodeSpec, _ arm: FibreArm) -> Double {
            node.photonics.emissionEfficiency * node.photonics.conversionEfficiency * arm.transmittance * detectors.efficiency
        }
        let scheme: QNetPhysics.HeraldingScheme = switch link.scheme {
        case .singleClick: .singleClick(brightStatePopulation: link.brightStatePopulation)
        case .doubleClick: .doubleClick
        }
        model = try HeraldingModel(
            scheme: scheme, etaA: eta(nodeA, link.armA), etaB: eta(nodeB, link.armB),
            visibility: min(nodeA.photonics.visibility, nodeB.photonics.visibility),
            darkCountProbability: detectors.darkCountProbabilityPerWindow)
        timing = LinkTiming(
            attemptPeriod: max(nodeA.photonics.attemptPeriod, nodeB.photonics.attemptPeriod),
            armDelayA: link.armA.delay, armDelayB: link.armB.delay,
            rounds: model.rounds,
            modes: min(nodeA.photonics.multiplexing, nodeB.photonics.multiplexing))
        memories = [try MemoryModel(nodeA.memory), try MemoryModel(nodeB.memory)]
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

    /// Probability that a cycle of `modes` attempts has at least one success: 1 − (1−p)^M.
    public var cycleSuccessProbability: Double {
        1 - pow(1 - successProbability, Double(timing.modes))
    }

    /// Expected pairs per virtual second when the link runs back to back: each pair takes a
    /// geometric number of cycles (the cycle after a success is the herald's round trip).
    public var expectedRatePerSecond: Double { cycleSuccessProbability / timing.cycle.seconds }
}

import Foundation

extension MemoryModel {
    /// A node's memory from its scenario parameters: no t1 means no relaxation; no t2 means
    /// 2·t1 (relaxation-limited coherence); neither means an ideal memory.
    public init(_ m: MemoryParameters) throws(QuantumError) {
        let t1 = m.t1?.seconds ?? .infinity
        let t2 = m.t2?.seconds ?? (t1.isInfinite ? .infinity : 2 * t1)
        if t1.isInfinite && t2.isInfinite {
            self = .ideal
        } else {
            try self.init(t1Seconds: t1, t2Seconds: t2)
        }
    }
}
