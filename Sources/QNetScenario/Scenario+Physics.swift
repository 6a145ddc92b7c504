import QNetCore
import QNetPhysics
import QNetQuantum

// The scenario's values handed to QNetPhysics's models: no formula here.

extension LinkPhysics {
    /// The physics of `link`: the station's detectors are the link's own
    /// (``LinkSpec/detectors``: built-in ← `defaults.detectors` ← `links[i].detectors`), seen
    /// through their timing and the link's Raman noise (``LinkSpec/effectiveDetector``); the
    /// photonic interfaces and memories are those of its two end nodes, running the link's
    /// modes (``LinkSpec/modes(in:)``).
    public init(scenario: Scenario, link: LinkSpec) throws(QuantumError) {
        let nodeA = scenario.node(link.a), nodeB = scenario.node(link.b)
        let scheme: QNetPhysics.HeraldingScheme = switch link.scheme {
        case .singleClick: .singleClick(brightStatePopulation: link.brightStatePopulation)
        case .doubleClick: .doubleClick
        }
        let modes = link.modes(in: scenario).count
        var endA = nodeA.photonics.interface, endB = nodeB.photonics.interface
        endA.multiplexing = modes
        endB.multiplexing = modes
        try self.init(
            scheme: scheme, ends: (endA, endB), arms: (link.armA.fibre, link.armB.fibre),
            detector: link.effectiveDetector, memories: (try MemoryModel(nodeA.memory), try MemoryModel(nodeB.memory)))
    }
}

extension PhotonicsParameters {
    /// These values as QNetPhysics's photonic interface.
    public var interface: PhotonicInterface {
        PhotonicInterface(emissionEfficiency: emissionEfficiency, conversionEfficiency: conversionEfficiency, visibility: visibility,
                          attemptPeriod: attemptPeriod, multiplexing: multiplexing)
    }
}

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

extension Scenario {
    /// Every request's path (by index), as the routing policy chooses: `expected-time` weighs
    /// each link by its expected time per pair from the link physics (one cycle over the cycle's
    /// success probability).
    public func requestPaths() throws(QuantumError) -> [[NodeID]?] {
        var cost: [LinkID: Double] = [:]
        for link in links {
            let physics = try LinkPhysics(scenario: self, link: link)
            cost[link.id] = 1 / max(physics.expectedRatePerSecond, 1e-300)
        }
        return routes { cost[$0.id] ?? .infinity }
    }
}
