import Foundation
import QNetCore
import QNetQuantum

/// A heralded link with one end on a satellite: end A is on board, end B on the ground.
///
/// Downlink: the station is at the ground end; A's photons cross the slant path, B's reach the
/// station at once. Uplink: the station is on board; B's photons cross the slant path. Either
/// way one arm is the pass's ``SatelliteLink`` and the other has zero length.
///
/// Timing: the attempts keep a fixed cycle sized for the longest slant range of the pass (the
/// round trip at the minimum elevation), so that every attempt's photons meet at the station on
/// one grid, t₀ + c·T + rounds·P + d_max; the on-board end emits each photon d(t)/c before its
/// meeting time t (it knows its ephemeris), and learns the outcome d(t)/c after it. The heralds
/// and every classical message over the link take the slant delay at their send time.
public struct SatelliteLinkPhysics: Hashable, Sendable {
    public let heralding: SatelliteHeralding
    /// The fixed timing: the slant arm at the longest slant delay of the pass.
    public let timing: LinkTiming
    /// The memories of end A and end B.
    public let memories: [MemoryModel]

    /// - Throws: ``QuantumError`` when the efficiencies do not make a valid click model.
    public init(
        scheme: HeraldingScheme, ends: (a: PhotonicInterface, b: PhotonicInterface), satellite: SatelliteLink,
        detector: DetectorModel, memories: (a: MemoryModel, b: MemoryModel)
    ) throws(QuantumError) {
        func fixed(_ end: PhotonicInterface) -> Double {
            end.emissionEfficiency * end.conversionEfficiency * detector.efficiency
        }
        let slantArm = satellite.direction == .downlink ? 0 : 1
        heralding = try SatelliteHeralding(
            scheme: scheme, fixedEfficiencyA: fixed(ends.a), fixedEfficiencyB: fixed(ends.b), slantArm: slantArm,
            visibility: min(ends.a.visibility, ends.b.visibility), darkCountProbability: detector.darkCountProbability,
            satellite: satellite)
        let longest = VDuration(seconds: satellite.pass.longestSlantRangeMetres / speedOfLightMetresPerSecond)
        let local = VDuration(picoseconds: 1)
        timing = LinkTiming(
            attemptPeriod: max(ends.a.attemptPeriod, ends.b.attemptPeriod),
            armDelayA: slantArm == 0 ? longest : local, armDelayB: slantArm == 1 ? longest : local,
            rounds: scheme == .doubleClick ? 2 : 1, modes: min(ends.a.multiplexing, ends.b.multiplexing))
        self.memories = [memories.a, memories.b]
    }

    public var satellite: SatelliteLink { heralding.satellite }

    /// Each arm's one-way delay for photons meeting at the station at `t` seconds.
    public func armDelays(atSeconds t: Double) -> [VDuration] {
        var delays = [VDuration(picoseconds: 1), VDuration(picoseconds: 1)]
        delays[heralding.slantArm] = max(satellite.pass.delay(atSeconds: t), VDuration(picoseconds: 1))
        return delays
    }

    /// Per-attempt success probability at culmination, the pass's best.
    public var peakSuccessProbability: Double {
        heralding.model(atSeconds: satellite.pass.culminationSeconds)?.successProbability ?? 0
    }

    /// The link as constant-loss physics at culmination (for routing costs and summaries).
    public var atCulmination: LinkPhysics {
        LinkPhysics(model: heralding.model(transmittance: satellite.transmittance(atSeconds: satellite.pass.culminationSeconds)),
                    timing: timing, memories: memories)
    }

    /// Samples of the pass for the results: `count` evenly spaced times from rise to set, each
    /// with elevation, slant range and loss of the slant arm.
    public func passSamples(count: Int) -> [(seconds: Double, elevation: Double, slantRangeMetres: Double, lossDecibels: Double)] {
        let pass = satellite.pass, n = max(count, 2)
        return (0..<n).map { i in
            let t = pass.startSeconds + pass.durationSeconds * Double(i) / Double(n - 1)
            return (t, pass.elevation(atSeconds: t), pass.slantRangeMetres(atSeconds: t), satellite.lossDecibels(atSeconds: t))
        }
    }
}

extension LinkPhysics {
    /// Physics from a click model and timing already resolved (a time-varying link at one instant).
    public init(model: HeraldingModel, timing: LinkTiming, memories: [MemoryModel]) {
        self.model = model
        self.timing = timing
        self.memories = memories
    }
}
