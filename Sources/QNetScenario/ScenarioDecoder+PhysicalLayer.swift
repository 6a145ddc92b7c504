import Foundation
import QNetPhysics
import Yams

// The link keys of the heterogeneous physical layer: `multiplexing` and `coexistence`.

extension ScenarioDecoder {
    static let multiplexingKeys = ["temporal", "spectral", "spatial"]
    static let coexistenceKeys = ["launchPower", "channelSeparation", "direction", "filterBandwidth"]
    /// At most this many modes per cycle (temporal × spectral × spatial).
    static let maximumModes = 1_000_000

    /// `multiplexing: { temporal: M, spectral: M, spatial: M }`, each ≥ 1 (omitted: 1).
    func decodeMultiplexing(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> MultiplexingModes {
        let f = try mapping(node, path, Self.multiplexingKeys, "a multiplexing mapping such as { temporal: 10, spectral: 4 }")
        var modes = MultiplexingModes.single
        if case let (n, p)? = f["temporal"] { modes.temporal = try reader.int(n, p, in: 1...Self.maximumModes) }
        if case let (n, p)? = f["spectral"] { modes.spectral = try reader.int(n, p, in: 1...Self.maximumModes) }
        if case let (n, p)? = f["spatial"] { modes.spatial = try reader.int(n, p, in: 1...Self.maximumModes) }
        if modes.temporal * modes.spectral > Self.maximumModes / modes.spatial {
            throw reader.error(
                .outOfRange, at: node, path,
                "temporal × spectral × spatial = \(modes.temporal) × \(modes.spectral) × \(modes.spatial) modes per cycle is too many",
                allowed: "allowed: temporal*spectral*spatial <= \(Self.maximumModes)")
        }
        return modes
    }

    /// A link's modes must fit the multimode memories at both ends (`photonics.multiplexing`).
    func checkModes(_ modes: Located<MultiplexingModes>?, a: NodeSpec, b: NodeSpec) throws(ScenarioError) {
        guard let modes else { return }
        let m = modes.value
        for end in [a, b] where m.count > end.photonics.multiplexing {
            throw reader.error(
                .conflict, at: modes.location, modes.path,
                "\(m.temporal) temporal × \(m.spectral) spectral × \(m.spatial) spatial = \(m.count) modes per cycle, but node"
                    + " \(end.name) can emit and store \(end.photonics.multiplexing) (its photonics.multiplexing)",
                allowed: "allowed: temporal*spectral*spatial <= photonics.multiplexing of both ends (raise it for multimode memories)")
        }
    }

    /// `coexistence: { launchPower, channelSeparation, direction, filterBandwidth }`.
    func decodeCoexistence(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> CoexistenceParameters {
        let f = try mapping(node, path, Self.coexistenceKeys, "a coexistence mapping such as { launchPower: 0 dBm, channelSeparation: 200 GHz }")
        let (powerNode, powerPath) = try f.required(
            "launchPower", hint: "required: the classical channel's launch power, e.g. launchPower: 0 dBm")
        let launchPower = try power(powerNode, powerPath)
        let (separationNode, separationPath) = try f.required(
            "channelSeparation", hint: "required: the classical channel's distance from the quantum channel, e.g. channelSeparation: 200 GHz")
        let separation = try reader.frequency(separationNode, separationPath)
        guard separation.hertz > 0 else {
            throw reader.error(.outOfRange, at: separationNode, separationPath, "the channels cannot coincide", allowed: "allowed: channelSeparation > 0")
        }
        var coexistence = CoexistenceParameters(launchPower: launchPower, channelSeparation: separation)
        if case let (n, p)? = f["direction"] { coexistence.direction = try reader.choice(n, p, as: PropagationDirection.self) }
        if case let (n, p)? = f["filterBandwidth"] {
            let bandwidth = try reader.frequency(n, p)
            guard bandwidth.hertz > 0 else {
                throw reader.error(.outOfRange, at: n, p, "a filter passes some bandwidth", allowed: "allowed: filterBandwidth > 0")
            }
            coexistence.filterBandwidth = bandwidth
        }
        return coexistence
    }

    /// An optical power: `1 mW` or `-3 dBm`, at most 10 W.
    func power(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> Power {
        let s = try reader.text(node, path, expected: "a power such as '1 mW' or '0 dBm'")
        let (value, reason) = Power.parse(s)
        guard let value else { throw reader.error(.badUnit, at: node, path, "'\(s)': \(reason ?? "not a power")", allowed: Power.allowedUnits) }
        guard value.watts <= 10 else {
            throw reader.error(.outOfRange, at: node, path, "\(s) is out of range", allowed: "allowed: 0 <= launchPower <= 10 W (40 dBm)")
        }
        return value
    }
}

// MARK: - Presets

/// The fields one `preset:` key sets, placed at that key.
struct PresetOverrides {
    var hardware: HardwareOverrides
    var link: LinkOverrides
    var detectors: DetectorOverrides
}

extension ScenarioDecoder {
    /// The `preset` key of a node, link or `defaults` mapping, if written: one of
    /// ``HardwarePreset``'s names, with a "did you mean" for a near miss.
    func decodePreset(_ f: Fields) throws(ScenarioError) -> PresetOverrides? {
        guard case let (n, p)? = f["preset"] else { return nil }
        let preset = try reader.choice(n, p, as: HardwarePreset.self)
        let (link, detectors) = preset.link
        return PresetOverrides(hardware: preset.node(at: YAMLReader.location(of: n), p), link: link, detectors: detectors)
    }
}
