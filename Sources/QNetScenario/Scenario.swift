import Foundation
import QNetCore

/// A scenario: topology, hardware, traffic and policies, fully resolved (DESIGN §10).
///
/// Every value is typed and validated; every default is applied. Nodes carry their effective
/// hardware (built-in defaults, overridden by the file's `defaults`, overridden by the node's
/// own block, field by field); links carry their effective parameters and derived arm
/// quantities. Create one with ``load(path:)``, ``parse(yaml:file:)`` or ``embeddedDefault``.
///
/// Top-level defaults when a key is omitted: `name` the file's base name, `seed` 1,
/// `duration` 10 s, `clock` lockstep, `policies` swap asap / request fifo / no cutoff.
/// `requests` is required (at least one), and so is either `links` (with `nodes`) or `topology`.
///
/// Conventions the file format fixes:
/// - Durations, lengths, rates and attenuations are strings with units; a bare `0` needs none.
///   Durations are exact integer picoseconds, lengths exact integer millimetres.
/// - `t1` / `t2` accept `inf` (also `infinite`, `none`) for "no decoherence"; an omitted `t2` is
///   the T1 limit 2·t1; `t2 ≤ 2·t1` is enforced after overrides are applied.
/// - `topology: { kind: chain, nodes: N, spacing: L }` makes nodes `n0 … n(N−1)` and links
///   between consecutive ones from `defaults.link`; a `nodes` list may then only name those
///   nodes, to override their hardware. `links` and `topology` exclude each other.
/// - Every request must have a path of links; with `policies.swap: none`, a direct link.
/// - At most one link per pair of nodes.
public struct Scenario: Equatable, Sendable {
    /// The scenario's name (`name:`); defaults to the file's base name.
    public var name: String
    /// Seed of every random stream in the run.
    public var seed: UInt64
    /// Virtual-time limit of the run; a run also ends when every request is served.
    public var duration: VDuration
    /// How virtual time advances.
    public var clock: ClockSettings
    /// The effective defaults: built-in values overridden by the file's `defaults` block.
    public var defaults: ScenarioDefaults
    /// Nodes in declaration order; `nodes[i].id == NodeID(i)`.
    public var nodes: [NodeSpec]
    /// Heralded links in declaration order; `links[i].id == LinkID(i)`.
    public var links: [LinkSpec]
    /// The generator the nodes and links came from, when the file used `topology:`.
    public var topology: Topology?
    /// Application requests in declaration order; `requests[i].id == RequestID(i)`.
    public var requests: [RequestSpec]
    /// Scheduling policies.
    public var policies: Policies
    /// The file the scenario was read from (as given), for reports.
    public var file: String

    public init(
        name: String, seed: UInt64, duration: VDuration, clock: ClockSettings,
        defaults: ScenarioDefaults, nodes: [NodeSpec], links: [LinkSpec], topology: Topology?,
        requests: [RequestSpec], policies: Policies, file: String
    ) {
        self.name = name
        self.seed = seed
        self.duration = duration
        self.clock = clock
        self.defaults = defaults
        self.nodes = nodes
        self.links = links
        self.topology = topology
        self.requests = requests
        self.policies = policies
        self.file = file
    }

    /// The id of the node called `name`, if any.
    public func nodeID(named name: String) -> NodeID? {
        nodes.firstIndex { $0.name == name }.map { NodeID(UInt32($0)) }
    }

    /// The node with this id. - Precondition: the id comes from this scenario.
    public func node(_ id: NodeID) -> NodeSpec { nodes[Int(id.rawValue)] }

    /// The link with this id. - Precondition: the id comes from this scenario.
    public func link(_ id: LinkID) -> LinkSpec { links[Int(id.rawValue)] }

    /// The request with this id. - Precondition: the id comes from this scenario.
    public func request(_ id: RequestID) -> RequestSpec { requests[Int(id.rawValue)] }

    /// The link between two nodes, in either order, if there is one.
    public func link(between a: NodeID, and b: NodeID) -> LinkSpec? {
        links.first { ($0.a == a && $0.b == b) || ($0.a == b && $0.b == a) }
    }

    /// The links that end at `node`, in declaration order.
    public func links(of node: NodeID) -> [LinkSpec] {
        links.filter { $0.a == node || $0.b == node }
    }
}

// MARK: - Clock

/// How virtual time advances (DESIGN §2).
public enum ClockMode: String, Equatable, Sendable, CaseIterable {
    /// Conservative synchronous windows; results independent of real latency.
    case lockstep
    /// `vtime = (wall − epoch) / dilation`; real latency becomes virtual latency.
    case realtime
}

/// `clock: { mode: lockstep }` or `clock: { mode: realtime, dilation: 1.0 }`.
public struct ClockSettings: Equatable, Sendable {
    /// Default `lockstep`.
    public var mode: ClockMode
    /// Wall-clock seconds per virtual second, > 0; realtime only (always 1 for lockstep). Default 1.
    public var dilation: Double

    public init(mode: ClockMode = .lockstep, dilation: Double = 1) {
        self.mode = mode
        self.dilation = dilation
    }
}

// MARK: - Hardware

/// A node's quantum memory (DESIGN §4).
public struct MemoryParameters: Equatable, Sendable {
    /// Number of memory slots (qubits), ≥ 1. Default 2.
    public var qubits: Int
    /// Amplitude-damping time T1; nil means no amplitude damping (`inf`, or omitted). Default nil.
    public var t1: VDuration?
    /// Dephasing time T2, ≤ 2·T1; nil means no decoherence at all (`inf`).
    ///
    /// When `t2` is omitted everywhere it is the T1 limit 2·T1 (no pure dephasing), which is
    /// nil when T1 is nil. Writing `t2: inf` with a finite T1 is rejected, since T2 ≤ 2·T1.
    public var t2: VDuration?
    /// Fidelity of single- and two-qubit gates (depolarising), in [0, 1]. Default 1.
    public var gateFidelity: Double
    /// Probability that a readout reports the wrong outcome, in [0, 0.5]. Default 0.
    public var readoutError: Double
    /// Fidelity of a freshly initialised qubit to |0⟩, in [0, 1]. Default 1.
    public var initFidelity: Double

    public init(
        qubits: Int = 2, t1: VDuration? = nil, t2: VDuration? = nil, gateFidelity: Double = 1,
        readoutError: Double = 0, initFidelity: Double = 1
    ) {
        self.qubits = qubits
        self.t1 = t1
        self.t2 = t2
        self.gateFidelity = gateFidelity
        self.readoutError = readoutError
        self.initFidelity = initFidelity
    }

    /// Built-in defaults: 2 qubits, no decoherence, perfect gates, readout and initialisation.
    public static let builtIn = MemoryParameters()
}

/// A node's photonic interface (DESIGN §4).
public struct PhotonicsParameters: Equatable, Sendable {
    /// Probability that an emission yields a photon in the fibre (emission × collection), [0, 1]. Default 0.5.
    public var emissionEfficiency: Double
    /// Indistinguishability of photons from the two ends (Hong–Ou–Mandel visibility), [0, 1]. Default 1.
    public var visibility: Double
    /// Time between emission attempts, > 0. Default 1 µs.
    public var attemptPeriod: VDuration
    /// Attempts (modes) per attempt cycle, ≥ 1. Default 1.
    public var multiplexing: Int
    /// Frequency-conversion efficiency, [0, 1]; 1 when there is no conversion stage. Default 1.
    public var conversionEfficiency: Double

    public init(
        emissionEfficiency: Double = 0.5, visibility: Double = 1, attemptPeriod: VDuration = .microseconds(1),
        multiplexing: Int = 1, conversionEfficiency: Double = 1
    ) {
        self.emissionEfficiency = emissionEfficiency
        self.visibility = visibility
        self.attemptPeriod = attemptPeriod
        self.multiplexing = multiplexing
        self.conversionEfficiency = conversionEfficiency
    }

    /// Built-in defaults: efficiency 0.5, visibility 1, 1 µs period, no multiplexing, no conversion loss.
    public static let builtIn = PhotonicsParameters()
}

/// Single-photon detectors (DESIGN §4, station).
public struct DetectorParameters: Equatable, Sendable {
    /// Detection efficiency, [0, 1]. Default 0.9.
    public var efficiency: Double
    /// Dark counts per second. Default 10 Hz.
    public var darkCountRate: Frequency
    /// Coincidence / detection window, > 0. Default 1 ns.
    public var window: VDuration
    /// Dead time after a click. Default 0 (none).
    public var deadTime: VDuration

    public init(
        efficiency: Double = 0.9, darkCountRate: Frequency = Frequency(hertz: 10), window: VDuration = .nanoseconds(1),
        deadTime: VDuration = .zero
    ) {
        self.efficiency = efficiency
        self.darkCountRate = darkCountRate
        self.window = window
        self.deadTime = deadTime
    }

    /// Probability of at least one dark count in one window, `1 − exp(−rate·window)` (Poisson).
    public var darkCountProbabilityPerWindow: Double {
        -Foundation.expm1(-darkCountRate.hertz * window.seconds)
    }

    /// Built-in defaults: efficiency 0.9, 10 Hz dark counts, 1 ns window, no dead time.
    public static let builtIn = DetectorParameters()
}

/// How a link heralds entanglement (DESIGN §4).
public enum HeraldingScheme: String, Equatable, Sendable, CaseIterable {
    /// One photon, one click; bright-state population α trades rate against fidelity.
    case singleClick = "single-click"
    /// Barrett–Kok: two emission rounds, two clicks.
    case doubleClick = "double-click"
}

/// Link parameters as they appear in `defaults.link` and in each `links` entry.
public struct LinkParameters: Equatable, Sendable {
    /// Fibre attenuation. Default 0.2 dB/km (telecom C band).
    public var attenuation: Attenuation
    /// Station position as a fraction of the length from the first node, in (0, 1). Default 0.5.
    public var stationAt: Double
    /// Heralding scheme. Default single-click.
    public var scheme: HeraldingScheme
    /// Single-click bright-state population α, in (0, 0.5]; unused by double-click. Default 0.1.
    public var brightStatePopulation: Double
    /// In ``ScenarioDefaults/link``: the length of links that give none (nil unless
    /// `defaults.link.length` is set). In ``LinkSpec/parameters``: always the link's length.
    public var length: Length?

    public init(
        attenuation: Attenuation = Attenuation(decibelsPerKilometre: 0.2), stationAt: Double = 0.5,
        scheme: HeraldingScheme = .singleClick, brightStatePopulation: Double = 0.1, length: Length? = nil
    ) {
        self.attenuation = attenuation
        self.stationAt = stationAt
        self.scheme = scheme
        self.brightStatePopulation = brightStatePopulation
        self.length = length
    }

    /// Built-in defaults: 0.2 dB/km, station at the midpoint, single-click with α = 0.1, no length.
    public static let builtIn = LinkParameters()
}

/// The `defaults:` block, resolved over the built-in values.
public struct ScenarioDefaults: Equatable, Sendable {
    public var memory: MemoryParameters
    public var photonics: PhotonicsParameters
    public var detectors: DetectorParameters
    public var link: LinkParameters

    public init(
        memory: MemoryParameters = .builtIn, photonics: PhotonicsParameters = .builtIn,
        detectors: DetectorParameters = .builtIn, link: LinkParameters = .builtIn
    ) {
        self.memory = memory
        self.photonics = photonics
        self.detectors = detectors
        self.link = link
    }

    /// Every built-in default.
    public static let builtIn = ScenarioDefaults()
}

// MARK: - Topology

/// A node with its effective hardware.
public struct NodeSpec: Equatable, Sendable {
    /// Index in ``Scenario/nodes``.
    public var id: NodeID
    /// Unique name: letters, digits, `-`, `_`, `.`; also the process name.
    public var name: String
    /// Effective memory: built-in ← `defaults.memory` ← the node's `memory`, field by field.
    public var memory: MemoryParameters
    /// Effective photonic interface, resolved the same way.
    public var photonics: PhotonicsParameters
    /// Effective detectors, resolved the same way.
    public var detectors: DetectorParameters

    public init(
        id: NodeID, name: String, memory: MemoryParameters, photonics: PhotonicsParameters,
        detectors: DetectorParameters
    ) {
        self.id = id
        self.name = name
        self.memory = memory
        self.photonics = photonics
        self.detectors = detectors
    }
}

/// One fibre arm of a link: from one end node to the station.
public struct FibreArm: Equatable, Sendable {
    /// Arm length in metres (`stationAt·L` or `(1 − stationAt)·L`).
    public var lengthMetres: Double
    /// Power transmittance `10^(−α·L/10)`.
    public var transmittance: Double
    /// One-way propagation delay `L·n/c`, for photons and for classical messages alike.
    public var delay: VDuration

    public init(lengthMetres: Double, transmittance: Double, delay: VDuration) {
        self.lengthMetres = lengthMetres
        self.transmittance = transmittance
        self.delay = delay
    }
}

/// A heralded link between two nodes with a station part-way along it.
public struct LinkSpec: Equatable, Sendable {
    /// Refractive index of fibre, n = 1.47 (DESIGN §4): light travels about 4.9 µs per km.
    public static let refractiveIndex = 1.47
    /// Speed of light in vacuum, m/s.
    public static let speedOfLightMetresPerSecond = 299_792_458.0

    /// One-way delay over `metres` of fibre, `L·n/c`, rounded to the picosecond.
    public static func fibreDelay(metres: Double) -> VDuration {
        VDuration(seconds: metres * refractiveIndex / speedOfLightMetresPerSecond)
    }

    /// Index in ``Scenario/links``.
    public var id: LinkID
    /// The first node (`nodes[0]`); the station sits ``stationAt`` of the way from it.
    public var a: NodeID
    /// The second node (`nodes[1]`).
    public var b: NodeID
    /// Total fibre length between the two nodes.
    public var length: Length
    /// Effective parameters: `defaults.link` ← the link's own keys.
    public var parameters: LinkParameters

    public init(id: LinkID, a: NodeID, b: NodeID, length: Length, parameters: LinkParameters) {
        self.id = id
        self.a = a
        self.b = b
        self.length = length
        self.parameters = parameters
    }

    /// Fibre attenuation of both arms.
    public var attenuation: Attenuation { parameters.attenuation }
    /// Station position, fraction of ``length`` from ``a``.
    public var stationAt: Double { parameters.stationAt }
    /// Heralding scheme.
    public var scheme: HeraldingScheme { parameters.scheme }
    /// Single-click bright-state population α.
    public var brightStatePopulation: Double { parameters.brightStatePopulation }

    /// The arm from ``a`` to the station: `stationAt·L`.
    public var armA: FibreArm { arm(metres: length.metres * stationAt) }
    /// The arm from ``b`` to the station: `(1 − stationAt)·L`.
    public var armB: FibreArm { arm(metres: length.metres * (1 - stationAt)) }

    /// The arm from `node` to the station, or nil if `node` is not an end of this link.
    public func arm(from node: NodeID) -> FibreArm? {
        node == a ? armA : node == b ? armB : nil
    }

    /// The other end of the link, or nil if `node` is not an end of it.
    public func otherEnd(of node: NodeID) -> NodeID? {
        node == a ? b : node == b ? a : nil
    }

    /// End-to-end transmittance `10^(−α·L/10)` (both arms).
    public var transmittance: Double { attenuation.transmittance(overMetres: length.metres) }

    private func arm(metres: Double) -> FibreArm {
        FibreArm(
            lengthMetres: metres,
            transmittance: attenuation.transmittance(overMetres: metres),
            delay: Self.fibreDelay(metres: metres)
        )
    }
}

/// A topology generator (`topology:`), recorded when the scenario used one.
public struct Topology: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable, CaseIterable {
        /// `n0 — n1 — … — n(N−1)`, consecutive nodes linked.
        case chain
    }

    public var kind: Kind
    /// Number of nodes, ≥ 2.
    public var nodeCount: Int
    /// Length of every link.
    public var spacing: Length

    public init(kind: Kind, nodeCount: Int, spacing: Length) {
        self.kind = kind
        self.nodeCount = nodeCount
        self.spacing = spacing
    }
}

// MARK: - Traffic and policies

/// What the application does with a delivered pair (DESIGN §5, §10).
public enum RequestType: String, Equatable, Sendable, CaseIterable {
    /// Create and keep: fidelity recorded from the exact state, qubits freed.
    case keep
    /// Measure directly in the requested bases; outcomes recorded.
    case measure
}

/// A single-qubit measurement basis.
public enum MeasurementBasis: String, Equatable, Sendable, CaseIterable {
    case x = "X"
    case y = "Y"
    case z = "Z"
}

/// An application request for entangled pairs between two nodes.
public struct RequestSpec: Equatable, Sendable {
    /// Index in ``Scenario/requests``.
    public var id: RequestID
    public var from: NodeID
    public var to: NodeID
    /// Number of pairs wanted, ≥ 1.
    public var pairs: Int
    /// Keep or measure. Default keep.
    public var type: RequestType
    /// Minimum fidelity of a delivered pair, [0, 1]. Default 0.
    public var minFidelity: Double
    /// When the request is issued (virtual time from the start). Default 0 s.
    public var start: VDuration
    /// Give up on a pair not delivered within this time of the request; nil waits forever.
    public var maxWait: VDuration?
    /// For `measure`: each end draws its basis uniformly from this list, independently per pair
    /// (`[Z]` measures both in Z; `[Z, X]` is BBM92). Default `[Z]`; empty for `keep`.
    public var bases: [MeasurementBasis]

    public init(
        id: RequestID, from: NodeID, to: NodeID, pairs: Int, type: RequestType = .keep,
        minFidelity: Double = 0, start: VDuration = .zero, maxWait: VDuration? = nil,
        bases: [MeasurementBasis] = []
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.pairs = pairs
        self.type = type
        self.minFidelity = minFidelity
        self.start = start
        self.maxWait = maxWait
        self.bases = bases
    }
}

/// Swap scheduling (DESIGN §6).
public enum SwapPolicy: String, Equatable, Sendable, CaseIterable {
    /// Swap as soon as both pairs are held (default).
    case asap
    /// Never swap: only adjacent-node requests are served.
    case none
}

/// Request scheduling (DESIGN §6).
public enum RequestPolicy: String, Equatable, Sendable, CaseIterable {
    /// First in, first out (default).
    case fifo
}

/// `policies: { swap: asap, request: fifo, cutoff: none }`.
public struct Policies: Equatable, Sendable {
    public var swap: SwapPolicy
    public var request: RequestPolicy
    /// Discard a stored qubit older than this; nil (`none`) keeps it until used. Default nil.
    public var cutoff: VDuration?

    public init(swap: SwapPolicy = .asap, request: RequestPolicy = .fifo, cutoff: VDuration? = nil) {
        self.swap = swap
        self.request = request
        self.cutoff = cutoff
    }
}

extension Scenario {
    /// The shortest path (fewest links) between two nodes, breadth first with links in scenario
    /// order (so every process finds the same one), or nil when they are not connected.
    public func path(from: NodeID, to: NodeID) -> [NodeID]? {
        var previous: [NodeID: NodeID] = [from: from]
        var frontier = [from]
        while !frontier.isEmpty, previous[to] == nil {
            var next: [NodeID] = []
            for u in frontier {
                for link in links(of: u).sorted(by: { $0.id < $1.id }) {
                    let v = link.otherEnd(of: u)!
                    if previous[v] == nil { previous[v] = u; next.append(v) }
                }
            }
            frontier = next
        }
        guard previous[to] != nil else { return nil }
        var path = [to]
        while path.last != from { path.append(previous[path.last!]!) }
        return path.reversed()
    }

    /// The process name of the heralding station of `link`.
    public func stationName(of link: LinkSpec) -> String {
        "station-\(node(link.a).name)-\(node(link.b).name)"
    }
}
