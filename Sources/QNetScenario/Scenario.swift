import Foundation
import QNetCore
import QNetPhysics
import QNetNetwork

/// A scenario: topology, hardware, traffic and policies, fully resolved (DESIGN §10).
///
/// Every value is typed and validated; every default is applied. Nodes carry their effective
/// hardware (built-in defaults, overridden by the file's `defaults`, overridden by the node's
/// own block, field by field); links carry their effective parameters and derived arm
/// quantities. Create one with ``load(path:)``, ``parse(yaml:file:)`` or ``embeddedDefault``.
///
/// Top-level defaults when a key is omitted: `name` the file's base name, `seed` 1,
/// `duration` 10 s, `clock` lockstep, `policies` swap asap / request fifo / no cutoff / routing
/// hops, `routes` none. `requests` is required (at least one), and so is either `links` (with
/// `nodes`) or `topology`.
///
/// Conventions the file format fixes:
/// - Durations, lengths, rates and attenuations are strings with units; a bare `0` needs none.
///   Durations are exact integer picoseconds, lengths exact integer millimetres.
/// - `t1` / `t2` accept `inf` (also `infinite`, `none`) for "no decoherence"; an omitted `t2` is
///   the T1 limit 2·t1; `t2 ≤ 2·t1` is enforced after overrides are applied.
/// - `topology:` generates the nodes and links (``Topology``; every link from `defaults.link`
///   and `defaults.detectors`); a `nodes` list may then only name generated nodes, to override
///   their hardware. `links` and `topology` exclude each other.
/// - Every request must have a path of links; with `policies.swap: none`, a direct link.
/// - At most one link per pair of nodes; at most one static route per pair of nodes.
/// - Keys the emulator does not model are rejected, never accepted and ignored: node-level
///   `detectors` (detectors belong to a link's station), `memory.initFidelity`,
///   `detectors.deadTime`, and request `minFidelity` / `maxWait` (they come with service
///   requests).
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
    /// Scheduling and routing policies.
    public var policies: Policies
    /// Static routes (`routes:`) in declaration order; they override `policies.routing` for
    /// requests between their two nodes, in either direction.
    public var routes: [RouteSpec]
    /// The file the scenario was read from (as given), for reports.
    public var file: String
    /// Where each request was written, by request index (empty for a scenario built in code).
    public var requestPlaces: [SourcePlace] = []
    /// Where each node's `memory.qubits` came from (its own block or `defaults`), by node index;
    /// nil for the built-in default (empty for a scenario built in code).
    public var qubitsPlaces: [SourcePlace?] = []
    /// Where the file sets what only a swap reads (`memory.gateFidelity` or
    /// `bellMeasurement.successProbability` below 1), by node (nil: `defaults`): refused after
    /// routing when no request swaps there (ClusterPlan), as a key that changes nothing.
    public var swapOnlyPlaces: [SwapOnlySetting] = []
    /// The price list and lifetime (`cost:`), when the scenario prices its network.
    public var cost: CostSettings?

    public init(
        name: String, seed: UInt64, duration: VDuration, clock: ClockSettings,
        defaults: ScenarioDefaults, nodes: [NodeSpec], links: [LinkSpec], topology: Topology?,
        requests: [RequestSpec], policies: Policies, file: String, routes: [RouteSpec] = []
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
        self.routes = routes
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

    /// A problem found after loading, at request `request`'s place in the file (or the file alone
    /// for a scenario built in code): `FILE:LINE:COLUMN: requests[i]: message; allowed`.
    public func error(
        _ code: ScenarioError.Code, request: RequestID, _ message: String, allowed: String? = nil
    ) -> ScenarioError {
        let r = Int(request.rawValue)
        let place = r < requestPlaces.count ? requestPlaces[r] : SourcePlace(line: nil, column: nil, keyPath: "requests[\(r)]")
        return ScenarioError(
            file: file, line: place.line, column: place.column, keyPath: place.keyPath, code: code,
            message: message, allowed: allowed
        )
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
    /// All memory qubits of the node, ≥ 1, shared by all its links and requests. Default 2.
    public var qubits: Int
    /// How many of the ``qubits`` can attempt or hold link entanglement at once on one link,
    /// 1 ≤ n ≤ ``qubits``; nil (the default) means all of them. ``communicationQubitCount`` is
    /// the effective number.
    public var communicationQubits: Int?
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

    public init(
        qubits: Int = 2, communicationQubits: Int? = nil, t1: VDuration? = nil, t2: VDuration? = nil,
        gateFidelity: Double = 1, readoutError: Double = 0
    ) {
        self.qubits = qubits
        self.communicationQubits = communicationQubits
        self.t1 = t1
        self.t2 = t2
        self.gateFidelity = gateFidelity
        self.readoutError = readoutError
    }

    /// The effective number of communication qubits: ``communicationQubits``, or all
    /// ``qubits`` when it is nil.
    public var communicationQubitCount: Int { communicationQubits ?? qubits }

    /// Built-in defaults: 2 qubits (both communication qubits), no decoherence, perfect gates
    /// and readout.
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
    /// Modes per attempt cycle that the node's interface can emit and its multimode memory can
    /// store (whichever heralds), ≥ 1. A link without its own ``LinkParameters/multiplexing``
    /// runs the fewer of its two ends' modes as temporal modes; a link's
    /// `temporal × spectral × spatial` may not exceed it at either end. Default 1.
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

/// The single-photon detectors of a link's heralding station (DESIGN §4).
///
/// Effective values per link: built-in ← `defaults.detectors` ← the link's own `detectors`.
/// Detector dead time is not modelled (a detector is ready again at once), so the format has no
/// key for it.
public struct DetectorParameters: Equatable, Sendable {
    /// Detection efficiency, [0, 1]. Default 0.9.
    public var efficiency: Double
    /// Dark counts per second. Default 10 Hz.
    public var darkCountRate: Frequency
    /// Coincidence / detection window, > 0. Default 1 ns.
    public var window: VDuration
    /// Rms timing jitter of a click (Gaussian). Default 0.
    public var jitter: VDuration
    /// Offset of the clicks from the window's centre: the clock offset between the nodes and
    /// the station. Default 0.
    public var clockOffset: VDuration

    public init(
        efficiency: Double = 0.9, darkCountRate: Frequency = Frequency(hertz: 10), window: VDuration = .nanoseconds(1),
        jitter: VDuration = .zero, clockOffset: VDuration = .zero
    ) {
        self.efficiency = efficiency
        self.darkCountRate = darkCountRate
        self.window = window
        self.jitter = jitter
        self.clockOffset = clockOffset
    }

    /// The window's timing model of QNetPhysics with these values.
    public var timing: DetectionTiming {
        DetectionTiming(jitter: jitter, clockOffset: clockOffset, window: window)
    }

    /// The detector model of QNetPhysics with these values.
    public var model: DetectorModel {
        DetectorModel(efficiency: efficiency, darkCountRateHertz: darkCountRate.hertz, window: window)
    }

    /// Probability of at least one dark count in one window (``DetectorModel/darkCountProbability``).
    public var darkCountProbabilityPerWindow: Double { model.darkCountProbability }

    /// Built-in defaults: efficiency 0.9, 10 Hz dark counts, 1 ns window.
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
    /// Temporal, spectral and spatial modes per cycle; nil (the default) runs the fewer of the
    /// two ends' `photonics.multiplexing` as temporal modes.
    public var multiplexing: MultiplexingModes?
    /// A classical DWDM channel sharing each arm's fibre; nil (the default) for none.
    public var coexistence: CoexistenceParameters?

    public init(
        attenuation: Attenuation = Attenuation(decibelsPerKilometre: 0.2), stationAt: Double = 0.5,
        scheme: HeraldingScheme = .singleClick, brightStatePopulation: Double = 0.1, length: Length? = nil,
        multiplexing: MultiplexingModes? = nil, coexistence: CoexistenceParameters? = nil
    ) {
        self.attenuation = attenuation
        self.stationAt = stationAt
        self.scheme = scheme
        self.brightStatePopulation = brightStatePopulation
        self.length = length
        self.multiplexing = multiplexing
        self.coexistence = coexistence
    }

    /// Built-in defaults: 0.2 dB/km, station at the midpoint, single-click with α = 0.1, no length.
    public static let builtIn = LinkParameters()
}

/// The `defaults:` block, resolved over the built-in values.
public struct ScenarioDefaults: Equatable, Sendable {
    /// Every node's memory unless the node overrides a field.
    public var memory: MemoryParameters
    /// Every node's photonic interface unless the node overrides a field.
    public var photonics: PhotonicsParameters
    /// Every link station's detectors unless the link overrides a field.
    public var detectors: DetectorParameters
    /// Every link's parameters unless the link overrides a field.
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

/// A node with its effective hardware. (Detectors belong to links' stations: ``LinkSpec/detectors``.)
public struct NodeSpec: Equatable, Sendable {
    /// Index in ``Scenario/nodes``.
    public var id: NodeID
    /// Unique name: letters, digits, `-`, `_`, `.`; also the process name.
    public var name: String
    /// Effective memory: built-in ← `defaults.memory` ← the node's `memory`, field by field.
    public var memory: MemoryParameters
    /// Effective photonic interface, resolved the same way.
    public var photonics: PhotonicsParameters
    /// `bellMeasurement.successProbability`: a swap here succeeds with this probability, in
    /// (0, 1]; a failed one destroys both pairs. Default 1.
    public var bellSuccessProbability: Double = 1

    public init(id: NodeID, name: String, memory: MemoryParameters, photonics: PhotonicsParameters) {
        self.id = id
        self.name = name
        self.memory = memory
        self.photonics = photonics
    }
}

/// One fibre arm of a link: from one end node to the station.
public struct FibreArm: Equatable, Sendable {
    /// The arm's fibre (length and attenuation; loss and delay are QNetPhysics's formulas).
    public var fibre: FiberChannel
    /// On a free-space link, the arm's free-space path instead of fibre.
    public var freeSpace: FreeSpaceChannel?
    /// On a satellite link, the slant path of the arm that crosses it (the other arm has zero
    /// length): its transmittance is the pass's best and its delay the pass's shortest, the
    /// bound the clock may rely on (``SatelliteLinkPhysics`` has them over time).
    public var satellite: SatelliteLink?

    public init(fibre: FiberChannel, freeSpace: FreeSpaceChannel? = nil, satellite: SatelliteLink? = nil) {
        self.fibre = fibre
        self.freeSpace = freeSpace
        self.satellite = satellite
    }

    /// Arm length in metres (`stationAt·L` or `(1 − stationAt)·L`; a satellite arm's shortest
    /// slant range).
    public var lengthMetres: Double {
        satellite?.pass.shortestSlantRangeMetres ?? freeSpace?.lengthMetres ?? fibre.lengthMetres
    }
    /// Power transmittance: ``FiberChannel/transmittance``, ``FreeSpaceChannel/transmittance``, or
    /// a satellite arm's at culmination.
    public var transmittance: Double {
        if let satellite { return satellite.transmittance(atSeconds: satellite.pass.culminationSeconds) }
        return freeSpace?.transmittance ?? fibre.transmittance
    }
    /// One-way propagation delay, for photons and classical messages alike (a satellite arm's
    /// shortest).
    public var delay: VDuration {
        if let satellite { return satellite.pass.delay(atSeconds: satellite.pass.culminationSeconds) }
        return freeSpace?.delay ?? fibre.delay
    }
}

/// A heralded link between two nodes with a station part-way along it.
public struct LinkSpec: Equatable, Sendable {
    /// One-way delay over `metres` of fibre, `L·n/c` with n = 1.47, rounded to the picosecond
    /// (the formula is QNetPhysics's ``FiberChannel``).
    public static func fibreDelay(metres: Double) -> VDuration {
        FiberChannel(lengthMetres: metres).delay
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
    /// The detectors of the link's heralding station: built-in ← `defaults.detectors` ← the
    /// link's own `detectors` block, field by field.
    public var detectors: DetectorParameters

    /// What the photons travel through. Default fibre.
    public var medium: LinkMedium

    public init(
        id: LinkID, a: NodeID, b: NodeID, length: Length, parameters: LinkParameters,
        detectors: DetectorParameters = .builtIn, medium: LinkMedium = .fibre
    ) {
        self.id = id
        self.a = a
        self.b = b
        self.length = length
        self.parameters = parameters
        self.detectors = detectors
        self.medium = medium
    }

    /// Fibre attenuation of both arms.
    public var attenuation: Attenuation { parameters.attenuation }
    /// Station position, fraction of ``length`` from ``a``.
    public var stationAt: Double { parameters.stationAt }
    /// Heralding scheme.
    public var scheme: HeraldingScheme { parameters.scheme }
    /// Single-click bright-state population α.
    public var brightStatePopulation: Double { parameters.brightStatePopulation }

    /// The arm from ``a`` to the station: `stationAt·L` (on a satellite link, the slant path
    /// for a downlink, zero length for an uplink).
    public var armA: FibreArm { arm(metres: length.metres * stationAt, satelliteEnd: .downlink) }
    /// The arm from ``b`` to the station: `(1 − stationAt)·L` (on a satellite link, zero length
    /// for a downlink, the slant path for an uplink).
    public var armB: FibreArm { arm(metres: length.metres * (1 - stationAt), satelliteEnd: .uplink) }

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

    private func arm(metres: Double, satelliteEnd: SatelliteDirection) -> FibreArm {
        switch medium {
        case .fibre:
            FibreArm(fibre: FiberChannel(lengthMetres: metres, attenuationDecibelsPerKilometre: attenuation.decibelsPerKilometre))
        case let .freeSpace(optics):
            FibreArm(fibre: FiberChannel(lengthMetres: 0), freeSpace: optics.channel(lengthMetres: metres))
        case let .satellite(s):
            FibreArm(fibre: FiberChannel(lengthMetres: 0), satellite: s.link.direction == satelliteEnd ? s.link : nil)
        }
    }
}

/// A topology generator (`topology:`), recorded when the scenario used one.
///
/// Every generated link takes `defaults.link` (with the length below) and `defaults.detectors`.
/// Node names, node order and link order are fixed (``TopologyGenerator`` in QNetNetwork):
/// - `{ kind: chain, nodes: N, spacing: D }`: `n0 … n(N−1)`, N ≥ 2, consecutive nodes linked.
/// - `{ kind: ring, nodes: N, spacing: D }`: the chain plus `n(N−1)–n0`, N ≥ 3.
/// - `{ kind: star, leaves: N, spacing: D }`: `hub` and leaves `l0 … l(N−1)`, N ≥ 1, links `hub–l(i)`.
/// - `{ kind: grid, rows: R, columns: C, spacing: D }`: `gR_C` row by row, R, C ≥ 1 and R·C ≥ 2,
///   each node linked to its right and lower neighbours (end A the left or upper node).
/// - `{ kind: random, nodes: N, seed: S, alpha: A, beta: B, area: D }`: Waxman (1988) in a D × D
///   square, 0 < A, B ≤ 1, link length the distance (at least 1 m), rounded to the millimetre.
///
/// `spacing` falls back to `defaults.link.length`. At most ``Scenario/maximumNodes`` nodes.
public enum Topology: Equatable, Sendable {
    /// The generator's name in the file (`kind:`).
    public enum Kind: String, Equatable, Sendable, CaseIterable {
        case chain, ring, star, grid, random
    }

    case chain(nodes: Int, spacing: Length)
    case ring(nodes: Int, spacing: Length)
    case star(leaves: Int, spacing: Length)
    case grid(rows: Int, columns: Int, spacing: Length)
    /// Waxman's random graph; `seed` drives its own stream, independent of the scenario's seed.
    case random(nodes: Int, seed: UInt64, alpha: Double, beta: Double, area: Length)

    /// Which generator.
    public var kind: Kind {
        switch self {
        case .chain: .chain
        case .ring: .ring
        case .star: .star
        case .grid: .grid
        case .random: .random
        }
    }

    /// Number of nodes it generates.
    public var nodeCount: Int {
        switch self {
        case .chain(let n, _), .ring(let n, _), .random(let n, _, _, _, _): n
        case .star(let leaves, _): leaves + 1
        case .grid(let rows, let columns, _): rows * columns
        }
    }

    /// The length of every link; nil for `random` (each link is as long as its ends are apart).
    public var spacing: Length? {
        switch self {
        case .chain(_, let d), .ring(_, let d), .star(_, let d), .grid(_, _, let d): d
        case .random: nil
        }
    }

    /// The generated graph (names, links, lengths in metres).
    /// - Throws: ``TopologyError`` for a parameter out of range (a parsed scenario has none).
    public func graph() throws(TopologyError) -> NetworkGraph {
        switch self {
        case .chain(let n, let d): try TopologyGenerator.chain(nodes: n, spacingMetres: d.metres)
        case .ring(let n, let d): try TopologyGenerator.ring(nodes: n, spacingMetres: d.metres)
        case .star(let leaves, let d): try TopologyGenerator.star(leaves: leaves, spacingMetres: d.metres)
        case .grid(let rows, let columns, let d):
            try TopologyGenerator.grid(rows: rows, columns: columns, spacingMetres: d.metres)
        case .random(let n, let seed, let alpha, let beta, let area):
            try TopologyGenerator.waxman(nodes: n, seed: seed, alpha: alpha, beta: beta, areaMetres: area.metres)
        }
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
///
/// `minFidelity` and `maxWait` are not part of the format yet: they come with service requests
/// and are rejected until they are modelled.
public struct RequestSpec: Equatable, Sendable {
    /// Index in ``Scenario/requests``.
    public var id: RequestID
    public var from: NodeID
    public var to: NodeID
    /// Number of pairs wanted, ≥ 1.
    public var pairs: Int
    /// Keep or measure. Default keep.
    public var type: RequestType
    /// When the request is issued (virtual time from the start). Default 0 s.
    public var start: VDuration
    /// Share of a contended link under `policies.request: weighted-fair`, > 0. Default 1.
    public var weight: Double
    /// Rank under `policies.request: priority`: higher is served first. Default 0.
    public var priority: Int
    /// All pairs are due this long after ``start`` (read by `policies.request: edf`, and reported
    /// as `servedWithinDeadline` in summary.json); nil: no deadline. > 0 when set.
    public var deadline: VDuration?
    /// Service-level targets (summary.json's `slo`): delivered pairs per second, and the mean
    /// fidelity (keep requests); nil: no target. A deadline is the third target.
    public var targetRate: Double?
    public var targetFidelity: Double?
    /// Length of the windows the outage probability is counted over (`sloWindow`, only with
    /// ``targetRate`` or ``targetFidelity``); nil: ten pairs at the target rate (10/targetRate),
    /// or a tenth of the request's span without one.
    public var sloWindow: VDuration?
    /// Any service-level target is set.
    public var hasServiceLevel: Bool { targetRate != nil || targetFidelity != nil || deadline != nil }
    /// For `measure`: each end draws its basis uniformly from this list, independently per pair
    /// (`[Z]` measures both in Z; `[Z, X]` is BBM92). Default `[Z]`; empty for `keep`.
    public var bases: [MeasurementBasis]

    public init(
        id: RequestID, from: NodeID, to: NodeID, pairs: Int, type: RequestType = .keep,
        start: VDuration = .zero, weight: Double = 1, priority: Int = 0, bases: [MeasurementBasis] = []
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.pairs = pairs
        self.type = type
        self.start = start
        self.weight = weight
        self.priority = priority
        self.bases = bases
    }
}

/// Swap scheduling (DESIGN §6).
public enum SwapPolicy: String, Equatable, Sendable, CaseIterable {
    /// Swap as soon as both pairs are held (default).
    case asap
    /// Never swap: only adjacent-node requests are served.
    case none
    /// Hop by hop from the path's start: a node swaps only once its pair toward the start
    /// reaches the first node.
    case sequential
    /// Nested (doubling) swapping on paths of 2^k links: node i swaps only two segments of
    /// 2^ℓ links each, ℓ the number of trailing zero bits of i.
    case nested
}

/// Link-level request scheduling: which request a fresh pair serves (DESIGN §6).
public enum RequestPolicy: String, Equatable, Sendable, CaseIterable {
    /// First in, first out: in order of the requests' start times (default).
    case fifo
    /// Highest ``RequestSpec/priority`` first; equal priorities first in, first out.
    case priority
    /// Pairs shared in proportion to ``RequestSpec/weight`` among the requests waiting.
    case weightedFair = "weighted-fair"
    /// Earliest ``RequestSpec/deadline`` first; requests without one after, first in, first out.
    case edf
}

/// Link generation over shared memory qubits: which link a free qubit attempts on (DESIGN §6).
/// Either way a link where a stored pair waits for its swap partner goes first.
public enum GenerationPolicy: String, Equatable, Sendable, CaseIterable {
    /// The links with the fewest qubits in use, in turn (default).
    case roundRobin = "round-robin"
    /// The link with the most requests wanting pairs; ties: fewest qubits in use, then link id.
    case greedy
}

/// Where the swap and cutoff policies run (DESIGN §6).
public enum Placement: String, Equatable, Sendable, CaseIterable {
    /// In the nodes: each decides from what it knows (default).
    case nodes
    /// In a controller process beside `controllerAt`: observations and decisions are routed
    /// messages that pay the classical delay between the controller's site and each node.
    case controller
}

/// `policies: { swap: asap, request: fifo, cutoff: none, routing: hops }` (`routing: k-shortest`
/// also takes `paths: K`).
public struct Policies: Equatable, Sendable {
    public var swap: SwapPolicy
    public var request: RequestPolicy
    /// Discard a stored qubit older than this; nil (`none`) keeps it until used. Default nil.
    public var cutoff: VDuration?
    /// `cutoff: { budget: D }`: an end-to-end time budget per delivery: a stored pair is
    /// discarded once the oldest link-level pair it is made of is older than this, so no
    /// delivered pair holds a link older than the budget. Exclusive with ``cutoff``.
    public var cutoffBudget: VDuration?
    /// Which link a free memory qubit attempts on. Default round-robin.
    public var generation: GenerationPolicy = .roundRobin
    /// How a request's path is chosen when no static route covers it. Default hops.
    public var routing: RoutingPolicy
    /// `policies.paths`: how many paths `routing: k-shortest` gives each request, 1 … 8
    /// (``Router/maximumPathCount``). Default 2; the file may set it only with `k-shortest`,
    /// and no other policy reads it.
    public var paths = 2
    /// Where the swap and cutoff decisions are taken. Default nodes.
    public var placement: Placement = .nodes
    /// With `placement: controller`: the node whose site the controller shares.
    public var controllerAt: NodeID?
    /// Where link generation is decided (which link a free qubit attempts on, and for which
    /// request): at the nodes (default), or with `placement: controller` by the controller too,
    /// so that every free qubit waits a round trip to it.
    public var generationPlacement: Placement = .nodes
    /// Where a request's planned paths (`routing`) are installed: at each node as the request
    /// starts (default), or with `placement: controller` by the controller, so that each node on
    /// a path starts on it one round trip to the controller later (or never, if the controller
    /// does not install it).
    public var routingPlacement: Placement = .nodes

    public init(
        swap: SwapPolicy = .asap, request: RequestPolicy = .fifo, cutoff: VDuration? = nil,
        routing: RoutingPolicy = .hops
    ) {
        self.swap = swap
        self.request = request
        self.cutoff = cutoff
        self.routing = routing
    }
}

/// A setting only a swap reads, where the file gives it (``Scenario/swapOnlyPlaces``).
public struct SwapOnlySetting: Equatable, Sendable {
    /// The node whose own block sets it; nil for `defaults`.
    public var node: NodeID?
    public var place: SourcePlace
    public init(node: NodeID?, place: SourcePlace) {
        self.node = node
        self.place = place
    }
}

/// A static route (`routes: [{ from, to, path: [...] }]`): the path requests between `from`
/// and `to` take, in either direction, whatever `policies.routing` says.
///
/// Checked when the file is read: the path starts at `from` and ends at `to`, visits known
/// nodes each at most once, and consecutive nodes share a link; one route per pair of nodes.
public struct RouteSpec: Equatable, Sendable {
    public var from: NodeID
    public var to: NodeID
    /// The nodes from `from` to `to`, both included.
    public var path: [NodeID]

    public init(from: NodeID, to: NodeID, path: [NodeID]) {
        self.from = from
        self.to = to
        self.path = path
    }
}

extension Scenario {
    /// The process name of the heralding station of `link`: `station-<first node>-<second node>`.
    ///
    /// Process names are unique in a parsed scenario: node names may not start with `station-`,
    /// and a scenario whose links would give two stations one name (`[a-b, c]` and `[a, b-c]`
    /// both give `station-a-b-c`) is rejected, naming both links.
    public func stationName(of link: LinkSpec) -> String {
        Self.stationName(node(link.a).name, node(link.b).name)
    }

    /// The station name of a link from `a` to `b`.
    static func stationName(_ a: String, _ b: String) -> String { "\(stationPrefix)\(a)-\(b)" }

    /// What every station's name starts with, and no node's may.
    public static let stationPrefix = "station-"

    /// Names no node may take: the coordinator's, which is the source of its own messages.
    public static let reservedNames = ["coordinator", controllerName]
    /// The controller's process name under `placement: controller`.
    public static let controllerName = "controller"

    /// The longest node name, in characters (a station's name, two node names and 9 more, stays
    /// a valid ZeroMQ identity of at most 255 bytes).
    public static let longestName = 100

    /// The longest virtual time a scenario may give (`duration`, a request's `start`, `cutoff`,
    /// `t1`, ...): 2^62 ps, about 53 days. The members' configurations carry at most this, and
    /// sums of a few such times stay inside the 64-bit clock.
    public static let longestDuration = VDuration(picoseconds: 1 << 62)

    /// The longest `attemptPeriod`: 1 s (an attempt cycle, a few periods and a round trip, then
    /// stays far inside the clock).
    public static let longestAttemptPeriod = VDuration.seconds(1)

    /// The most nodes a scenario may have, listed or generated: 1 000. Each node is an OS
    /// process, and the coordinator keeps a classical channel for every pair of nodes (the
    /// plan of a 1 000-node chain takes a few seconds).
    public static let maximumNodes = 1_000

    /// The longest length (a link, a topology's `spacing` or `area`): 10^6 km, a one-way delay of
    /// about 4.9 s, so that delays summed along any path of ``maximumNodes`` nodes stay small
    /// against the clock's range.
    public static let longestLength = Length.kilometres(1_000_000)
}
