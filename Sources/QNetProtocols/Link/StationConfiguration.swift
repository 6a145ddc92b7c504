import QNetCore
import QNetPhysics

/// Everything a link's station needs, as plain values: resolved once by the coordinator from
/// the scenario and sent to the station in its Welcome (`StationConfig` in
/// `Protos/qnet/v1/config.proto`), or handed to a station the coordinator hosts.
public struct StationConfiguration: Hashable, Sendable {
    public var link: LinkID
    /// The process names of the link's end A and end B.
    public var ends: [String]
    /// Which end receives the pair's state (0: A, 1: B).
    public var owner: Int
    /// The click model the station samples.
    public var model: HeraldingModel
    public var timing: LinkTiming
    /// Seed of the station's random stream.
    public var seed: UInt64
    /// A satellite link's time-varying physics (then `model` is the link at culmination). Not
    /// carried on the wire: such a station runs inside the coordinator.
    public var satellite: SatelliteLinkPhysics?

    public init(link: LinkID, ends: [String], owner: Int, model: HeraldingModel, timing: LinkTiming, seed: UInt64,
                satellite: SatelliteLinkPhysics? = nil) {
        self.link = link
        self.ends = ends
        self.owner = owner
        self.model = model
        self.timing = timing
        self.seed = seed
        self.satellite = satellite
    }
}

extension StationRuntime {
    /// The station of `configuration`, sampling heralds `mode`-wise.
    public init(configuration c: StationConfiguration, mode: StationAgent.SamplingMode) {
        let agent = StationAgent(
            timing: c.timing, sampler: HeraldingSampler(model: c.model), mode: mode,
            rng: SeededRandom(seed: c.seed).split("station").split(UInt64(c.link.rawValue)), satellite: c.satellite)
        self.init(link: c.link, ends: c.ends, owner: c.owner, agent: agent)
    }
}
