import QNetCore
import Testing

@testable import QNetScenario

/// The example of DESIGN §10 (comments included), without the request's `minFidelity`, which
/// is rejected until service requests model it.
let designExample = """
    name: two-node-single-click
    seed: 7
    duration: 2 s                     # virtual time limit; a run also ends when every request is served
    clock: { mode: lockstep }         # or { mode: realtime, dilation: 1.0 }  (wall seconds per virtual second)
    defaults:
      memory:    { qubits: 2, t1: 10 s, t2: 1 s, gateFidelity: 1.0, readoutError: 0.0 }
      photonics: { emissionEfficiency: 0.5, visibility: 1.0, attemptPeriod: 1 us, multiplexing: 1 }
      detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
      link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: single-click, brightStatePopulation: 0.1 }
    nodes:
      - name: alice
      - name: bob
        memory: { t2: 500 ms }
    links:                            # or: topology: { kind: chain, nodes: 5, spacing: 20 km }  (nodes n0 … n4, links from defaults.link)
      - nodes: [alice, bob]
        length: 10 km
        attenuation: 0.2 dB/km
        stationAt: 0.5                # fraction of the length from the first node
        scheme: single-click          # single-click | double-click
        brightStatePopulation: 0.1    # single-click only
    requests:
      - { from: alice, to: bob, pairs: 1000, type: keep, start: 0 s }
    policies: { swap: asap, request: fifo, cutoff: none }
    """

/// Parses or records the error as a test issue.
func parsed(_ yaml: String, file: String = "scenario.yaml") -> Scenario? {
    do {
        return try Scenario.parse(yaml: yaml, file: file)
    } catch {
        Issue.record("unexpected error: \(error)")
        return nil
    }
}

@Suite("Scenario parsing")
struct ScenarioParsingTests {
    @Test("the DESIGN §10 example parses with the written values")
    func designExampleValues() throws {
        let s = try #require(parsed(designExample))
        #expect(s.name == "two-node-single-click")
        #expect(s.seed == 7)
        #expect(s.duration == VDuration(picoseconds: 2_000_000_000_000))
        #expect(s.clock == ClockSettings(mode: .lockstep, dilation: 1))
        #expect(s.file == "scenario.yaml")

        #expect(s.defaults.memory.qubits == 2)
        #expect(s.defaults.memory.t1 == VDuration(picoseconds: 10_000_000_000_000))
        #expect(s.defaults.memory.t2 == VDuration(picoseconds: 1_000_000_000_000))
        #expect(s.defaults.photonics.attemptPeriod == VDuration(picoseconds: 1_000_000))
        #expect(s.defaults.detectors.window == VDuration(picoseconds: 1_000))
        #expect(s.defaults.detectors.darkCountRate == Frequency(hertz: 10))
        #expect(s.defaults.link.attenuation == Attenuation(decibelsPerKilometre: 0.2))
        #expect(s.defaults.link.scheme == .singleClick)

        #expect(s.nodes.map(\.name) == ["alice", "bob"])
        #expect(s.nodes.map(\.id) == [NodeID(0), NodeID(1)])
        let alice = s.nodes[0]
        let bob = s.nodes[1]
        #expect(alice.memory.t2 == .seconds(1))
        // bob overrides only t2; every other memory field comes from defaults.
        #expect(bob.memory.t2 == VDuration(picoseconds: 500_000_000_000))
        #expect(bob.memory.t1 == .seconds(10))
        #expect(bob.memory.qubits == 2)
        #expect(bob.memory.gateFidelity == 1.0)
        #expect(bob.photonics == alice.photonics)
        #expect(s.links[0].detectors.efficiency == 0.9)

        #expect(s.links.count == 1)
        let link = s.links[0]
        #expect(link.id == LinkID(0))
        #expect(link.a == NodeID(0) && link.b == NodeID(1))
        #expect(link.length == Length.kilometres(10))
        #expect(link.length.millimetres == 10_000_000)
        #expect(link.stationAt == 0.5)
        #expect(link.brightStatePopulation == 0.1)
        #expect(link.scheme == .singleClick)

        #expect(s.requests.count == 1)
        let r = s.requests[0]
        #expect(r.id == RequestID(0))
        #expect(r.from == NodeID(0) && r.to == NodeID(1))
        #expect(r.pairs == 1000)
        #expect(r.type == .keep)
        #expect(r.start == .zero)
        #expect(r.weight == 1 && r.priority == 0)
        #expect(r.bases.isEmpty)

        #expect(s.policies == Policies(swap: .asap, request: .fifo, cutoff: nil, routing: .hops))
        #expect(s.routes.isEmpty)
        #expect(s.topology == nil)
        #expect(s.nodeID(named: "bob") == NodeID(1))
        #expect(s.link(between: NodeID(1), and: NodeID(0)) == link)
    }

    @Test("durations are exact picoseconds")
    func exactDurations() throws {
        let yaml = """
            duration: 3.3 us
            nodes: [{ name: a, photonics: { attemptPeriod: 0.1 us } }, { name: b }]
            links: [{ nodes: [a, b], length: 1.5 km }]
            requests: [{ from: a, to: b, pairs: 1, start: 1.1 us }]
            policies: { cutoff: 1e-7 s }
            """
        let s = try #require(parsed(yaml))
        #expect(s.duration.picoseconds == 3_300_000)
        #expect(s.nodes[0].photonics.attemptPeriod.picoseconds == 100_000)
        #expect(s.requests[0].start.picoseconds == 1_100_000)
        #expect(s.policies.cutoff?.picoseconds == 100_000)
        #expect(s.links[0].length.millimetres == 1_500_000)
        let budget = try #require(parsed(yaml.replacingOccurrences(of: "cutoff: 1e-7 s", with: "cutoff: { budget: 2.5 us }")))
        #expect(budget.policies.cutoffBudget?.picoseconds == 2_500_000)
        #expect(budget.policies.cutoff == nil)
    }

    @Test("the link's arms: lengths, transmittance 10^(-aL/10), delay L*n/c")
    func linkArms() throws {
        let yaml = """
            nodes: [{ name: a }, { name: b }]
            links: [{ nodes: [a, b], length: 20 km, stationAt: 0.25, attenuation: 0.25 dB/km }]
            requests: [{ from: a, to: b, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        let link = s.links[0]
        #expect(abs(link.armA.lengthMetres - 5_000) < 1e-9)
        #expect(abs(link.armB.lengthMetres - 15_000) < 1e-9)
        // 5 km at 0.25 dB/km = 1.25 dB; 15 km = 3.75 dB.
        #expect(abs(link.armA.transmittance - 0.749_894_209_332_455_8) < 1e-12)
        #expect(abs(link.armB.transmittance - 0.421_696_503_428_582_3) < 1e-12)
        #expect(abs(link.transmittance - link.armA.transmittance * link.armB.transmittance) < 1e-12)
        // 5 km × 1.47 / c = 24.516960997 µs and 15 km → 73.550882991 µs, to the nearest picosecond.
        #expect(link.armA.delay.picoseconds == 24_516_961)
        #expect(link.armB.delay.picoseconds == 73_550_883)
        #expect(link.arm(from: NodeID(1)) == link.armB)
        #expect(link.arm(from: NodeID(7)) == nil)
        #expect(link.otherEnd(of: NodeID(0)) == NodeID(1))
        // About 4.9 µs per km.
        let perKm = LinkSpec.fibreDelay(metres: 1_000).seconds
        #expect(abs(perKm - 4.9e-6) < 0.01e-6)
    }

    @Test("built-in defaults apply when the file gives none")
    func builtInDefaults() throws {
        let yaml = """
            nodes: [{ name: a }, { name: b }]
            links: [{ nodes: [a, b], length: 500 m }]
            requests: [{ from: a, to: b, pairs: 5 }]
            """
        let s = try #require(parsed(yaml, file: "dir/minimal.yaml"))
        #expect(s.name == "minimal")
        #expect(s.seed == 1)
        #expect(s.duration == .seconds(10))
        #expect(s.clock == ClockSettings(mode: .lockstep, dilation: 1))
        #expect(s.defaults == .builtIn)
        let node = s.nodes[0]
        #expect(node.memory == MemoryParameters(qubits: 2, communicationQubits: nil, t1: nil, t2: nil, gateFidelity: 1, readoutError: 0))
        #expect(node.memory.communicationQubitCount == 2)
        #expect(node.photonics == PhotonicsParameters(
            emissionEfficiency: 0.5, visibility: 1, attemptPeriod: .microseconds(1), multiplexing: 1, conversionEfficiency: 1
        ))
        let link = s.links[0]
        #expect(link.detectors == DetectorParameters(efficiency: 0.9, darkCountRate: Frequency(hertz: 10), window: .nanoseconds(1)))
        #expect(link.length == .metres(500))
        #expect(link.parameters == LinkParameters(
            attenuation: Attenuation(decibelsPerKilometre: 0.2), stationAt: 0.5, scheme: .singleClick,
            brightStatePopulation: 0.1, length: .metres(500)
        ))
        #expect(s.requests[0].type == .keep && s.requests[0].start == .zero)
        #expect(s.requests[0].weight == 1 && s.requests[0].priority == 0)
        #expect(s.policies == Policies())
        #expect(s.policies.routing == .hops && s.policies.request == .fifo)
        #expect(abs(link.detectors.darkCountProbabilityPerWindow - 1e-8) < 1e-15)
    }

    @Test("overrides apply field by field: built-in ← defaults ← node (or link, for detectors)")
    func fieldByFieldOverrides() throws {
        let yaml = """
            defaults:
              photonics: { emissionEfficiency: 0.3, multiplexing: 4 }
              detectors: { darkCountRate: 1 kHz }
              link: { scheme: double-click, length: 12 km }
            nodes:
              - name: a
                photonics: { multiplexing: 8, conversionEfficiency: 0.4 }
              - name: b
              - name: c
            links:
              - nodes: [a, b]
                detectors: { window: 2 ns, efficiency: 0.8 }
              - { nodes: [b, c], length: 3 km, scheme: single-click, stationAt: 0.2, brightStatePopulation: 0.05 }
              - nodes: [c, a]
            requests: [{ from: a, to: c, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        let a = s.nodes[0]
        let b = s.nodes[1]
        #expect(a.photonics.emissionEfficiency == 0.3)
        #expect(a.photonics.multiplexing == 8)
        #expect(a.photonics.conversionEfficiency == 0.4)
        #expect(a.photonics.attemptPeriod == .microseconds(1))
        #expect(b.photonics.multiplexing == 4)
        #expect(b.photonics.conversionEfficiency == 1)
        // Detectors: built-in ← defaults.detectors ← the link's own block.
        let ab = s.links[0].detectors, bc = s.links[1].detectors
        #expect(ab.efficiency == 0.8 && ab.window == .nanoseconds(2) && ab.darkCountRate == Frequency(hertz: 1_000))
        #expect(bc.efficiency == 0.9 && bc.window == .nanoseconds(1) && bc.darkCountRate == Frequency(hertz: 1_000))
        #expect(s.defaults.detectors == bc)

        #expect(s.links[0].length == .kilometres(12))
        #expect(s.links[0].scheme == .doubleClick)
        #expect(s.links[1].length == .kilometres(3))
        #expect(s.links[1].scheme == .singleClick)
        #expect(s.links[1].stationAt == 0.2)
        #expect(s.links[1].brightStatePopulation == 0.05)
        #expect(s.links[2].scheme == .doubleClick)
        #expect(s.links(of: NodeID(0)).map(\.id) == [LinkID(0), LinkID(2)])
    }

    @Test("a chain topology generates n0 … n(N-1) and consecutive links from defaults.link")
    func chainTopology() throws {
        let yaml = """
            defaults:
              link: { attenuation: 0.3 dB/km, scheme: double-click }
            topology: { kind: chain, nodes: 5, spacing: 20 km }
            nodes:
              - name: n2
                memory: { qubits: 4 }
            requests: [{ from: n0, to: n4, pairs: 10 }]
            """
        let s = try #require(parsed(yaml))
        #expect(s.topology == .chain(nodes: 5, spacing: .kilometres(20)))
        #expect(s.topology?.kind == .chain && s.topology?.nodeCount == 5 && s.topology?.spacing == .kilometres(20))
        #expect(s.nodes.map(\.name) == ["n0", "n1", "n2", "n3", "n4"])
        #expect(s.nodes.map(\.memory.qubits) == [2, 2, 4, 2, 2])
        #expect(s.links.count == 4)
        for (i, link) in s.links.enumerated() {
            #expect(link.id == LinkID(UInt32(i)))
            #expect(link.a == NodeID(UInt32(i)) && link.b == NodeID(UInt32(i + 1)))
            #expect(link.length == .kilometres(20))
            #expect(link.attenuation == Attenuation(decibelsPerKilometre: 0.3))
            #expect(link.scheme == .doubleClick)
            #expect(link.stationAt == 0.5)
        }
        #expect(s.requests[0].from == NodeID(0) && s.requests[0].to == NodeID(4))
    }

    @Test("chain spacing falls back to defaults.link.length")
    func chainSpacingFromDefaults() throws {
        let yaml = """
            defaults: { link: { length: 7 km } }
            topology: { kind: chain, nodes: 2 }
            requests: [{ from: n0, to: n1, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        #expect(s.links.map(\.length) == [.kilometres(7)])
    }

    @Test("realtime clock, measure requests, decoherence spellings, cutoff")
    func otherOptions() throws {
        let yaml = """
            clock: { mode: realtime, dilation: 2.5 }
            defaults: { memory: { t1: inf, t2: 3 ms, qubits: 4, communicationQubits: 1 } }
            nodes:
              - { name: a, memory: { t1: 2 ms } }
              - { name: b, memory: { t1: 5 s } }
            links: [{ nodes: [a, b], length: 1 km }]
            requests:
              - { from: a, to: b, pairs: 3, type: measure, bases: [Z, X], priority: -3 }
              - { from: b, to: a, pairs: 2, type: measure, priority: 7 }
            policies: { swap: none, cutoff: 5 ms, request: priority }
            """
        let s = try #require(parsed(yaml))
        #expect(s.clock == ClockSettings(mode: .realtime, dilation: 2.5))
        #expect(s.defaults.memory.t1 == nil && s.defaults.memory.t2 == .milliseconds(3))
        #expect(s.defaults.memory.qubits == 4 && s.defaults.memory.communicationQubits == 1)
        #expect(s.nodes[1].memory.communicationQubitCount == 1)
        #expect(s.nodes[0].memory.t1 == .milliseconds(2) && s.nodes[0].memory.t2 == .milliseconds(3))
        #expect(s.nodes[1].memory.t1 == .seconds(5))
        #expect(s.requests[0].bases == [.z, .x])
        #expect(s.requests[0].weight == 1 && s.requests[0].priority == -3)
        #expect(s.requests[1].bases == [.z])
        #expect(s.requests[1].weight == 1 && s.requests[1].priority == 7)
        #expect(s.policies == Policies(swap: .none, request: .priority, cutoff: .milliseconds(5)))
    }

    @Test("omitted t2 is the T1 limit 2·t1; 'inf' means no decoherence")
    func decoherenceDefaults() throws {
        let yaml = """
            nodes:
              - { name: a, memory: { t1: 4 s } }
              - { name: b, memory: { t1: inf, t2: inf } }
              - { name: c, memory: { t2: 2 s } }
            links: [{ nodes: [a, b], length: 1 km }, { nodes: [b, c], length: 1 km }]
            requests: [{ from: a, to: c, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        #expect(s.nodes[0].memory.t1 == .seconds(4) && s.nodes[0].memory.t2 == .seconds(8))
        #expect(s.nodes[1].memory.t1 == nil && s.nodes[1].memory.t2 == nil)
        #expect(s.nodes[2].memory.t1 == nil && s.nodes[2].memory.t2 == .seconds(2))
    }

    @Test("t2 equal to 2·t1 is accepted")
    func t2AtTheLimit() throws {
        let yaml = """
            defaults: { memory: { t1: 1.5 s, t2: 3 s } }
            nodes: [{ name: a }, { name: b }]
            links: [{ nodes: [a, b], length: 1 km }]
            requests: [{ from: a, to: b, pairs: 1 }]
            """
        let s = try #require(parsed(yaml))
        #expect(s.nodes[0].memory.t2 == .seconds(3))
    }

    @Test("the embedded default parses and is a quick two-node single-click demo")
    func embeddedDefault() throws {
        let s = Scenario.embeddedDefault
        #expect(s.file == Scenario.embeddedDefaultFile)
        #expect(s.nodes.map(\.name) == ["alice", "bob"])
        #expect(s.links.count == 1)
        #expect(s.links[0].length == .kilometres(10))
        #expect(s.links[0].scheme == .singleClick)
        #expect(s.duration == .seconds(2))
        #expect(s.requests.map(\.pairs) == [1000])
        #expect(s.clock.mode == .lockstep)
        // Rough per-attempt success 2·α·η and cycle time: enough pairs per second to serve the
        // request within the duration.
        let link = s.links[0]
        let eta = s.nodes[0].photonics.emissionEfficiency * link.detectors.efficiency * link.armA.transmittance
        let p = 2 * link.brightStatePopulation * eta
        let cycle = s.nodes[0].photonics.attemptPeriod.seconds + 2 * link.armA.delay.seconds
        let pairsPerSecond = p / cycle
        #expect(pairsPerSecond * s.duration.seconds > Double(s.requests[0].pairs))
    }
}
