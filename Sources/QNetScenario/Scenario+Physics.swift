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
    ///
    /// A free-space link's arms are its free-space paths, and its sky's background light adds to
    /// the detectors' noise; a satellite link is taken at culmination (its time-varying physics
    /// is ``SatelliteLinkPhysics/init(scenario:link:)``).
    public init(scenario: Scenario, link: LinkSpec) throws(QuantumError) {
        let memories = (try MemoryModel(scenario.node(link.a).memory), try MemoryModel(scenario.node(link.b).memory))
        let ends = link.interfaces(in: scenario)
        switch link.medium {
        case .fibre:
            try self.init(
                scheme: link.physicsScheme, ends: ends, arms: (link.armA.fibre, link.armB.fibre),
                detector: link.effectiveDetector, memories: memories)
        case let .freeSpace(optics):
            try self.init(
                scheme: link.physicsScheme, ends: ends, armTransmittance: (link.armA.transmittance, link.armB.transmittance),
                armDelay: (link.armA.delay, link.armB.delay), detector: link.effectiveDetector.addingNoise(hertz: optics.backgroundHertz),
                memories: memories)
        case .satellite:
            self = try SatelliteLinkPhysics(scenario: scenario, link: link)!.atCulmination
        }
    }
}

extension SatelliteLinkPhysics {
    /// The time-varying physics of a satellite link (nil for any other medium): `nodes[0]` on
    /// board, `nodes[1]` on the ground, the station's detectors the link's own.
    public init?(scenario: Scenario, link: LinkSpec) throws(QuantumError) {
        guard case let .satellite(parameters) = link.medium else { return nil }
        let nodeA = scenario.node(link.a), nodeB = scenario.node(link.b)
        try self.init(
            scheme: link.physicsScheme, ends: link.interfaces(in: scenario), satellite: parameters.link,
            detector: link.effectiveDetector, memories: (try MemoryModel(nodeA.memory), try MemoryModel(nodeB.memory)))
    }
}

extension LinkSpec {
    /// Its two end nodes' photonic interfaces, each running the link's modes.
    func interfaces(in scenario: Scenario) -> (PhotonicInterface, PhotonicInterface) {
        let modes = modes(in: scenario).count
        var endA = scenario.node(a).photonics.interface, endB = scenario.node(b).photonics.interface
        endA.multiplexing = modes
        endB.multiplexing = modes
        return (endA, endB)
    }

    /// The link's heralding scheme in QNetPhysics's terms.
    var physicsScheme: QNetPhysics.HeraldingScheme {
        switch scheme {
        case .singleClick: .singleClick(brightStatePopulation: brightStatePopulation)
        case .doubleClick: .doubleClick
        }
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
    /// Every request's paths (by request index, first path first; empty where none exists), as
    /// the routing policy chooses: one path, or up to `policies.paths` under `k-shortest`.
    /// `expected-time` and `k-shortest` weigh each link by its expected time per pair from the
    /// link physics (one cycle over the cycle's success probability).
    public func requestPaths() throws(QuantumError) -> [[[NodeID]]] {
        var cost: [LinkID: Double] = [:]
        for link in links {
            let physics = try LinkPhysics(scenario: self, link: link)
            cost[link.id] = 1 / max(physics.expectedRatePerSecond, 1e-300)
        }
        return multipathRoutes { cost[$0.id] ?? .infinity }
    }
}
