import Foundation
import QNetCore
import Testing

@testable import QNetScenario

/// A valid nine-line scenario; error cases edit single lines of it.
let baseLines = [
    "name: t",  // 1
    "nodes:",  // 2
    "  - name: alice",  // 3
    "  - name: bob",  // 4
    "links:",  // 5
    "  - nodes: [alice, bob]",  // 6
    "    length: 10 km",  // 7
    "requests:",  // 8
    "  - { from: alice, to: bob, pairs: 10 }",  // 9
]

/// The base scenario with some lines replaced (1-based); a replacement may hold several lines.
func edited(_ edits: [Int: String]) -> String {
    baseLines.enumerated().map { edits[$0.offset + 1] ?? $0.element }.joined(separator: "\n") + "\n"
}

/// The error parsing `yaml` throws, or nil (recorded as an issue) when it parses.
func parseError(_ yaml: String, file: String = "scenario.yaml") -> ScenarioError? {
    do {
        let s = try Scenario.parse(yaml: yaml, file: file)
        Issue.record("expected an error, but it parsed: \(s.name)")
        return nil
    } catch {
        return error
    }
}

/// One error case: the YAML, where the error must point, and what the line must say.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var line: Int
    var column: Int?
    var keyPath: String
    var code: ScenarioError.Code
    var contains: [String]
    var excludes: [String] = []

    var testDescription: String { name }
}

let errorCases: [ErrorCase] = [
    // Units.
    ErrorCase(name: "missing unit", yaml: edited([7: "    length: 10"]), line: 7, column: 13,
              keyPath: "links[0].length", code: .badUnit,
              contains: ["missing unit in '10'; allowed units: m, km"]),
    ErrorCase(name: "unknown unit", yaml: edited([7: "    length: 10 miles"]), line: 7, column: 13,
              keyPath: "links[0].length", code: .badUnit,
              contains: ["unknown unit 'miles' in '10 miles'", "allowed units: m, km"]),
    ErrorCase(name: "unit near miss", yaml: edited([7: "    length: 10 km\n    detectors: { darkCountRate: 10 hz }"]),
              line: 8, column: 33, keyPath: "links[0].detectors.darkCountRate", code: .badUnit,
              contains: ["unknown unit 'hz'", "did you mean 'Hz'?", "allowed units: Hz, kHz, MHz, GHz"]),
    ErrorCase(name: "duration without unit", yaml: "duration: 2\n" + edited([:]), line: 1, column: 11,
              keyPath: "duration", code: .badUnit,
              contains: ["missing unit in '2'", "allowed units: ps, ns, us, ms, s"]),
    ErrorCase(name: "attenuation with wrong unit", yaml: edited([7: "    length: 10 km\n    attenuation: 0.2 dB"]),
              line: 8, column: 18, keyPath: "links[0].attenuation", code: .badUnit,
              contains: ["unknown unit 'dB'", "allowed units: dB/km"]),
    ErrorCase(name: "negative length", yaml: edited([7: "    length: -5 km"]), line: 7, column: 13,
              keyPath: "links[0].length", code: .outOfRange, contains: ["cannot be negative"]),
    ErrorCase(name: "zero length", yaml: edited([7: "    length: 0 km"]), line: 7, column: 13,
              keyPath: "links[0].length", code: .outOfRange, contains: ["allowed: a length > 0"]),
    ErrorCase(name: "sub-millimetre length", yaml: edited([7: "    length: 0.0001 m"]), line: 7, column: 13,
              keyPath: "links[0].length", code: .outOfRange, contains: ["finer than the 1 mm resolution"]),
    ErrorCase(name: "sub-picosecond duration", yaml: "duration: 0.5 ps\n" + edited([:]), line: 1, column: 11,
              keyPath: "duration", code: .outOfRange, contains: ["1 ps resolution"]),

    // Unknown keys.
    ErrorCase(name: "misspelt key", yaml: edited([7: "    lenght: 10 km"]), line: 7, column: 5,
              keyPath: "links[0].lenght", code: .unknownKey,
              contains: ["unknown key 'lenght'; did you mean 'length'?", "allowed keys: nodes, length, attenuation"]),
    ErrorCase(name: "misspelt attenuation", yaml: edited([7: "    length: 10 km\n    attenuaton: 0.2 dB/km"]),
              line: 8, column: 5, keyPath: "links[0].attenuaton", code: .unknownKey,
              contains: ["did you mean 'attenuation'?"]),
    ErrorCase(name: "key in the wrong case", yaml: edited([7: "    Length: 10 km"]), line: 7, column: 5,
              keyPath: "links[0].Length", code: .unknownKey, contains: ["did you mean 'length'?"]),
    ErrorCase(name: "transposed letters", yaml: "name: t\nseed: 1\ndefaults: { memory: { qubtis: 4 } }\n" + edited([1: "# t"]),
              line: 3, column: 23, keyPath: "defaults.memory.qubtis", code: .unknownKey,
              contains: ["did you mean 'qubits'?", "allowed keys: qubits, communicationQubits, t1, t2"]),
    ErrorCase(name: "unrelated key", yaml: edited([7: "    colour: red"]), line: 7, column: 5,
              keyPath: "links[0].colour", code: .unknownKey,
              contains: ["unknown key 'colour'", "allowed keys: nodes, length"], excludes: ["did you mean"]),
    ErrorCase(name: "hardware key outside its block", yaml: edited([4: "  - name: bob\n    t2: 1 s"]),
              line: 5, column: 5, keyPath: "nodes[1].t2", code: .unknownKey,
              contains: ["it belongs in 'memory'"]),
    ErrorCase(name: "unknown top-level key", yaml: edited([1: "nmae: t"]), line: 1, column: 1,
              keyPath: "nmae", code: .unknownKey, contains: ["did you mean 'name'?"]),

    // Wrong types.
    ErrorCase(name: "mapping where a length was expected", yaml: edited([7: "    length: { km: 10 }"]),
              line: 7, column: 13, keyPath: "links[0].length", code: .wrongType,
              contains: ["expected a length such as '10 km', found a mapping"]),
    ErrorCase(name: "list where a name was expected", yaml: edited([9: "  - { from: [alice], to: bob, pairs: 10 }"]),
              line: 9, column: 13, keyPath: "requests[0].from", code: .wrongType,
              contains: ["expected a node name, found a list"]),
    ErrorCase(name: "scalar where a mapping was expected", yaml: edited([1: "name: t\nclock: lockstep"]),
              line: 2, column: 8, keyPath: "clock", code: .wrongType,
              contains: ["expected a mapping such as { mode: lockstep }, found 'lockstep'"]),
    ErrorCase(name: "text where a number was expected", yaml: edited([9: "  - { from: alice, to: bob, pairs: many }"]),
              line: 9, column: 36, keyPath: "requests[0].pairs", code: .wrongType,
              contains: ["expected a whole number for pairs, found 'many'"]),
    ErrorCase(name: "fraction where a whole number was expected", yaml: edited([9: "  - { from: alice, to: bob, pairs: 2.5 }"]),
              line: 9, column: 36, keyPath: "requests[0].pairs", code: .wrongType, contains: ["found '2.5'"]),
    ErrorCase(name: "seed is not a number", yaml: edited([1: "name: t\nseed: seven"]), line: 2, column: 7,
              keyPath: "seed", code: .wrongType, contains: ["expected a whole number"]),
    ErrorCase(name: "document is a list", yaml: "- a\n- b\n", line: 1, column: 1, keyPath: "", code: .wrongType,
              contains: ["expected a scenario mapping, found a list"]),
    ErrorCase(name: "link nodes not a list", yaml: edited([6: "  - nodes: alice"]), line: 6, column: 12,
              keyPath: "links[0].nodes", code: .wrongType, contains: ["expected a list of two node names"]),

    // Missing keys.
    ErrorCase(name: "request without pairs", yaml: edited([9: "  - { from: alice, to: bob }"]), line: 9, column: 5,
              keyPath: "requests[0].pairs", code: .missingKey, contains: ["missing required key 'pairs'"]),
    ErrorCase(name: "link without nodes", yaml: edited([6: "  - length: 10 km", 7: "    stationAt: 0.5"]),
              line: 6, column: 5, keyPath: "links[0].nodes", code: .missingKey,
              contains: ["missing required key 'nodes'"]),
    ErrorCase(name: "link without length", yaml: edited([7: "    stationAt: 0.5"]), line: 6, column: 5,
              keyPath: "links[0].length", code: .missingKey,
              contains: ["missing required key 'length'", "defaults.link"]),
    ErrorCase(name: "node without name", yaml: edited([4: "  - memory: { qubits: 3 }"]), line: 4, column: 5,
              keyPath: "nodes[1].name", code: .missingKey, contains: ["missing required key 'name'"]),
    ErrorCase(name: "no requests", yaml: edited([8: "# none", 9: "# none"]), line: 1, column: 1,
              keyPath: "requests", code: .missingKey, contains: ["missing required key 'requests'"]),
    ErrorCase(name: "no links", yaml: edited([5: "# none", 6: "# none", 7: "# none"]), line: 1, column: 1,
              keyPath: "links", code: .missingKey, contains: ["missing required key 'links'"]),
    ErrorCase(name: "empty document", yaml: "# nothing here\n", line: 1, column: 1, keyPath: "", code: .missingKey,
              contains: ["the scenario is empty"]),

    // Ranges.
    ErrorCase(name: "stationAt above 1", yaml: edited([7: "    length: 10 km\n    stationAt: 1.5"]), line: 8, column: 16,
              keyPath: "links[0].stationAt", code: .outOfRange,
              contains: ["1.5 is out of range; allowed: 0 < stationAt < 1"]),
    ErrorCase(name: "stationAt at the end", yaml: edited([7: "    length: 10 km\n    stationAt: 0"]), line: 8, column: 16,
              keyPath: "links[0].stationAt", code: .outOfRange, contains: ["allowed: 0 < stationAt < 1"]),
    ErrorCase(name: "readout error above 0.5", yaml: edited([4: "  - name: bob\n    memory: { readoutError: 0.7 }"]),
              line: 5, column: 29, keyPath: "nodes[1].memory.readoutError", code: .outOfRange,
              contains: ["allowed: 0 <= readoutError <= 0.5"]),
    ErrorCase(name: "efficiency above 1", yaml: "defaults: { detectors: { efficiency: 1.2 } }\n" + edited([:]),
              line: 1, column: 38, keyPath: "defaults.detectors.efficiency", code: .outOfRange,
              contains: ["allowed: 0 <= efficiency <= 1"]),
    ErrorCase(name: "zero pairs", yaml: edited([9: "  - { from: alice, to: bob, pairs: 0 }"]), line: 9, column: 36,
              keyPath: "requests[0].pairs", code: .outOfRange, contains: ["allowed: a whole number >= 1"]),
    ErrorCase(name: "zero qubits", yaml: edited([3: "  - { name: alice, memory: { qubits: 0 } }"]), line: 3, column: 38,
              keyPath: "nodes[0].memory.qubits", code: .outOfRange, contains: ["allowed: a whole number >= 1"]),
    ErrorCase(name: "bright-state population zero", yaml: edited([7: "    length: 10 km\n    brightStatePopulation: 0"]),
              line: 8, column: 28, keyPath: "links[0].brightStatePopulation", code: .outOfRange,
              contains: ["allowed: 0 < brightStatePopulation <= 0.5"]),
    ErrorCase(name: "zero dilation", yaml: edited([1: "name: t\nclock: { mode: realtime, dilation: 0 }"]),
              line: 2, column: 36, keyPath: "clock.dilation", code: .outOfRange, contains: ["allowed: 0 < dilation"]),
    ErrorCase(name: "negative seed", yaml: edited([1: "name: t\nseed: -3"]), line: 2, column: 7,
              keyPath: "seed", code: .outOfRange, contains: ["-3 is out of range"]),
    ErrorCase(name: "zero attempt period", yaml: "defaults: { photonics: { attemptPeriod: 0 s } }\n" + edited([:]),
              line: 1, column: 41, keyPath: "defaults.photonics.attemptPeriod", code: .outOfRange,
              contains: ["allowed: a duration > 0"]),
    ErrorCase(name: "request starts after the run", yaml: edited([1: "duration: 1 s", 9: "  - { from: alice, to: bob, pairs: 1, start: 2 s }"]),
              line: 9, column: 46, keyPath: "requests[0].start", code: .outOfRange,
              contains: ["allowed: start < duration"]),
    ErrorCase(name: "invalid node name", yaml: edited([3: "  - name: al ice"]), line: 3, column: 11,
              keyPath: "nodes[0].name", code: .outOfRange, contains: ["invalid node name 'al ice'"]),

    // Enum values.
    ErrorCase(name: "misspelt scheme", yaml: edited([7: "    length: 10 km\n    scheme: singel-click"]), line: 8, column: 13,
              keyPath: "links[0].scheme", code: .unknownValue,
              contains: ["unknown value 'singel-click'; did you mean 'single-click'?", "allowed values: single-click, double-click"]),
    ErrorCase(name: "unknown clock mode", yaml: edited([1: "name: t\nclock: { mode: lockstp }"]), line: 2, column: 16,
              keyPath: "clock.mode", code: .unknownValue,
              contains: ["did you mean 'lockstep'?", "allowed values: lockstep, realtime"]),
    ErrorCase(name: "unknown request type", yaml: edited([9: "  - { from: alice, to: bob, pairs: 1, type: teleport }"]),
              line: 9, column: 45, keyPath: "requests[0].type", code: .unknownValue,
              contains: ["allowed values: keep, measure"], excludes: ["did you mean"]),
    ErrorCase(name: "unknown basis", yaml: edited([9: "  - { from: alice, to: bob, pairs: 1, type: measure, bases: [Z, W] }"]),
              line: 9, column: 65, keyPath: "requests[0].bases[1]", code: .unknownValue,
              contains: ["unknown value 'W'", "allowed values: X, Y, Z"], excludes: ["did you mean"]),
    ErrorCase(name: "unknown swap policy", yaml: edited([1: "name: t\npolicies: { swap: nestd }"]), line: 2, column: 19,
              keyPath: "policies.swap", code: .unknownValue, contains: ["did you mean 'nested'", "allowed values: asap, none, sequential, nested"]),
    ErrorCase(name: "misspelt cutoff budget", yaml: edited([1: "name: t\npolicies: { cutoff: { bugdet: 1 ms } }"]), line: 2, column: 23,
              keyPath: "policies.cutoff.bugdet", code: .unknownKey, contains: ["did you mean 'budget'?"]),
    ErrorCase(name: "cutoff mapping without its budget", yaml: edited([1: "name: t\npolicies: { cutoff: {} }"]), line: 2, column: 21,
              keyPath: "policies.cutoff.budget", code: .missingKey, contains: ["missing required key 'budget'", "{ budget: 10 ms }"]),
    ErrorCase(name: "zero cutoff budget", yaml: edited([1: "name: t\npolicies: { cutoff: { budget: 0 s } }"]), line: 2, column: 31,
              keyPath: "policies.cutoff.budget", code: .outOfRange, contains: ["> 0"]),

    // References and duplicates.
    ErrorCase(name: "request to an unknown node", yaml: edited([9: "  - { from: alice, to: bbo, pairs: 10 }"]),
              line: 9, column: 24, keyPath: "requests[0].to", code: .unknownReference,
              contains: ["unknown node 'bbo'; did you mean 'bob'?", "declared nodes: alice, bob"]),
    ErrorCase(name: "link to an unknown node", yaml: edited([6: "  - nodes: [alice, carol]"]), line: 6, column: 20,
              keyPath: "links[0].nodes[1]", code: .unknownReference,
              contains: ["unknown node 'carol'"], excludes: ["did you mean"]),
    ErrorCase(name: "link to the same node twice", yaml: edited([6: "  - nodes: [alice, alice]"]), line: 6, column: 20,
              keyPath: "links[0].nodes[1]", code: .duplicate, contains: ["'alice' appears twice"]),
    ErrorCase(name: "link with three nodes", yaml: edited([6: "  - nodes: [alice, bob, alice]"]), line: 6, column: 12,
              keyPath: "links[0].nodes", code: .outOfRange, contains: ["exactly two nodes, found 3"]),
    ErrorCase(name: "duplicate node name", yaml: edited([4: "  - name: alice"]), line: 4, column: 11,
              keyPath: "nodes[1].name", code: .duplicate,
              contains: ["duplicate node name 'alice' (first declared at line 3)"]),
    ErrorCase(name: "duplicate link", yaml: edited([7: "    length: 10 km\n  - { nodes: [bob, alice], length: 2 km }"]),
              line: 8, column: 14, keyPath: "links[1].nodes", code: .duplicate,
              contains: ["already linked by links[0] (line 6)"]),

    // Conflicts.
    ErrorCase(name: "t2 above 2·t1 in one block", yaml: "defaults: { memory: { t1: 1 s, t2: 3 s } }\n" + edited([:]),
              line: 1, column: 36, keyPath: "defaults.memory.t2", code: .conflict,
              contains: ["t2 = 3 s exceeds 2*t1 = 2 s", "allowed: t2 <= 2*t1"]),
    ErrorCase(name: "t2 above 2·t1 through a node override", yaml: "defaults: { memory: { t1: 10 s, t2: 1 s } }\n" + edited([4: "  - name: bob\n    memory: { t1: 100 ms }"]),
              line: 6, column: 19, keyPath: "nodes[1].memory.t1", code: .conflict,
              contains: ["t1 = 100 ms allows at most t2 = 200 ms, but t2 = 1 s (defaults.memory.t2 at line 1)"]),
    ErrorCase(name: "infinite t2 with finite t1", yaml: edited([3: "  - { name: alice, memory: { t1: 1 s, t2: inf } }"]),
              line: 3, column: 43, keyPath: "nodes[0].memory.t2", code: .conflict,
              contains: ["t2 = inf exceeds 2*t1 = 2 s"]),
    ErrorCase(name: "links and topology together", yaml: edited([1: "name: t\ntopology: { kind: chain, nodes: 3, spacing: 1 km }"]),
              line: 2, column: 1, keyPath: "topology", code: .conflict,
              contains: ["'topology' and 'links' cannot be used together"]),
    ErrorCase(name: "request to itself", yaml: edited([9: "  - { from: bob, to: bob, pairs: 1 }"]), line: 9, column: 22,
              keyPath: "requests[0].to", code: .conflict, contains: ["two different nodes"]),
    ErrorCase(name: "bases on a keep request", yaml: edited([9: "  - { from: alice, to: bob, pairs: 1, bases: [X] }"]),
              line: 9, column: 46, keyPath: "requests[0].bases", code: .conflict,
              contains: ["bases apply only to type: measure"]),
    ErrorCase(name: "dilation in lockstep", yaml: edited([1: "name: t\nclock: { dilation: 2 }"]), line: 2, column: 20,
              keyPath: "clock.dilation", code: .conflict, contains: ["dilation applies only to mode: realtime"]),
    ErrorCase(name: "bright-state population on a double-click link",
              yaml: edited([7: "    length: 10 km\n    scheme: double-click\n    brightStatePopulation: 0.1"]), line: 9, column: 28,
              keyPath: "links[0].brightStatePopulation", code: .conflict, contains: ["read only by scheme: single-click"]),
    ErrorCase(name: "a default bright-state population no link reads",
              yaml: edited([1: "name: t\ndefaults: { link: { scheme: double-click, brightStatePopulation: 0.2 } }"]), line: 2, column: 66,
              keyPath: "defaults.link.brightStatePopulation", code: .conflict, contains: ["read only by scheme: single-click"]),
    ErrorCase(name: "unreachable request", yaml: edited([4: "  - name: bob\n  - name: carol", 9: "  - { from: alice, to: carol, pairs: 1 }"]),
              line: 10, column: 24, keyPath: "requests[0].to", code: .conflict,
              contains: ["no path of links from alice to carol"]),
]

@Suite("Scenario errors")
struct ScenarioErrorTests {
    @Test("each problem is one line naming file, line, column and key path", arguments: errorCases)
    func errorLine(_ c: ErrorCase) throws {
        let error = try #require(parseError(c.yaml, file: "scenario.yaml"))
        let text = error.description
        #expect(error.file == "scenario.yaml")
        #expect(error.line == c.line, "\(text)")
        if let column = c.column { #expect(error.column == column, "\(text)") }
        #expect(error.keyPath == c.keyPath, "\(text)")
        #expect(error.code == c.code, "\(text)")
        #expect(!text.contains("\n"))
        let prefix = "scenario.yaml:\(c.line):\(error.column ?? 0): " + (c.keyPath.isEmpty ? "" : c.keyPath + ": ")
        #expect(text.hasPrefix(prefix), "\(text)")
        for fragment in c.contains { #expect(text.contains(fragment), "\(text)") }
        for fragment in c.excludes { #expect(!text.contains(fragment), "\(text)") }
    }

    @Test("the example line from the brief, exactly")
    func exactLine() throws {
        let error = try #require(parseError(edited([7: "    length: 10"])))
        #expect(error.description == "scenario.yaml:7:13: links[0].length: missing unit in '10'; allowed units: m, km")
    }

    @Test("chain topology with a node outside the chain")
    func topologyForeignNode() throws {
        let yaml = """
            topology: { kind: chain, nodes: 3, spacing: 1 km }
            nodes:
              - name: n1
              - name: alice
            requests: [{ from: n0, to: n2, pairs: 1 }]
            """
        let error = try #require(parseError(yaml))
        #expect(error.line == 4 && error.keyPath == "nodes[1].name" && error.code == .unknownReference)
        #expect(error.description.contains("node 'alice' is not part of the chain topology; allowed names: n0 ... n2"))
    }

    @Test("chain topology needs at least two nodes and a spacing")
    func topologyLimits() throws {
        let tooSmall = try #require(parseError("topology: { kind: chain, nodes: 1, spacing: 1 km }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n"))
        #expect(tooSmall.keyPath == "topology.nodes" && tooSmall.code == .outOfRange && tooSmall.line == 1)
        let noSpacing = try #require(parseError("topology: { kind: chain, nodes: 3 }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n"))
        #expect(noSpacing.keyPath == "topology.spacing" && noSpacing.code == .missingKey)
        let badKind = try #require(parseError("topology: { kind: tree, nodes: 3, spacing: 1 km }\nrequests: [{ from: n0, to: n1, pairs: 1 }]\n"))
        #expect(badKind.keyPath == "topology.kind" && badKind.code == .unknownValue)
        #expect(badKind.description.contains("allowed values: chain, ring, star, grid, random"))
    }

    @Test("swap none needs adjacent nodes")
    func swapNoneNeedsLink() throws {
        let yaml = """
            policies: { swap: none }
            topology: { kind: chain, nodes: 3, spacing: 1 km }
            requests: [{ from: n0, to: n2, pairs: 1 }]
            """
        let error = try #require(parseError(yaml))
        #expect(error.code == .conflict && error.line == 3 && error.keyPath == "requests[0].to")
        #expect(error.description.contains("policies.swap is none"))
    }

    @Test("malformed YAML: unclosed flow sequence names the file and a line")
    func malformedFlow() throws {
        let error = try #require(parseError(edited([6: "  - nodes: [alice, bob"])))
        #expect(error.code == .malformedYAML)
        #expect(error.description.hasPrefix("scenario.yaml:"))
        #expect(error.description.contains("malformed YAML"))
        #expect(!error.description.contains("\n"))
        // libyaml notices at the next line that cannot continue the flow sequence.
        #expect((6...7).contains(error.line ?? 0), "\(error)")
    }

    @Test("malformed YAML: bad indentation points at its line")
    func malformedIndentation() throws {
        let error = try #require(parseError(edited([7: "   length: 10 km"])))
        #expect(error.code == .malformedYAML)
        #expect(error.line == 7, "\(error)")
        #expect(error.description.hasPrefix("scenario.yaml:7:"))
    }

    @Test("malformed YAML: a tab for indentation")
    func malformedTab() throws {
        let error = try #require(parseError(edited([7: "\tlength: 10 km"])))
        #expect(error.code == .malformedYAML)
        #expect(error.line == 7, "\(error)")
    }

    @Test("a key written twice in one mapping")
    func duplicateKey() throws {
        let error = try #require(parseError(edited([7: "    length: 10 km\n    length: 20 km"])))
        #expect(error.code == .malformedYAML)
        #expect(error.description.contains("duplicate key 'length'"))
        #expect((7...8).contains(error.line ?? 0), "\(error)")
    }

    @Test("a missing file is reported with its path and no line")
    func missingFile() throws {
        let path = "/nonexistent-qnet-dir/scenario.yaml"
        do {
            _ = try Scenario.load(path: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .fileUnreadable)
            #expect(error.line == nil)
            #expect(error.description == "\(path): cannot read the scenario file: no such file")
        }
    }

    @Test("load reads a file and errors carry its path")
    func loadFromDisk() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-scenario-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.yaml").path
        let bad = dir.appendingPathComponent("bad.yaml").path
        try edited([:]).write(toFile: good, atomically: true, encoding: .utf8)
        try edited([7: "    length: 10"]).write(toFile: bad, atomically: true, encoding: .utf8)
        let s = try Scenario.load(path: good)
        #expect(s.file == good && s.nodes.count == 2)
        do {
            _ = try Scenario.load(path: bad)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("\(bad):7:13: links[0].length: missing unit"))
        }
        do {
            _ = try Scenario.load(path: dir.path)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .fileUnreadable)
        }
    }

    @Test("the base scenario itself is valid")
    func baseIsValid() throws {
        let s = try #require(parsed(edited([:])))
        #expect(s.nodes.count == 2 && s.links.count == 1 && s.requests.count == 1)
    }
}
