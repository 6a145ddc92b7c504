import Foundation
import QNetCore
import Testing

@testable import QNetScenario

/// Values that used to pass the scenario layer and then trap, or run silently to nothing: each is
/// one error line naming the key and the allowed range now.
let limitCases: [ErrorCase] = [
    // Times the members' configurations cannot carry (2^62 ps): every batch was rejected, 0 pairs.
    ErrorCase(name: "duration beyond 2^62 ps", yaml: "duration: 5000000 s\n" + edited([:]), line: 1, column: 11,
              keyPath: "duration", code: .outOfRange,
              contains: ["'5000000 s' is too long", "allowed: duration <= 4611686.018427387904 s (2^62 ps, about 53 days)"]),
    ErrorCase(name: "duration beyond 2^64 ps", yaml: "duration: 1e9 s\n" + edited([:]), line: 1, column: 11,
              keyPath: "duration", code: .outOfRange,
              contains: ["'1e9 s' is too long", "allowed: duration <= 4611686.018427387904 s"]),
    ErrorCase(name: "request start beyond 2^62 ps",
              yaml: "duration: 4611686 s\n" + edited([9: "  - { from: alice, to: bob, pairs: 10, start: 4700000 s }"]),
              line: 10, keyPath: "requests[0].start", code: .outOfRange,
              contains: ["'4700000 s' is too long", "allowed: start <= 4611686.018427387904 s"]),
    ErrorCase(name: "cutoff beyond 2^62 ps", yaml: "policies: { cutoff: 6000000 s }\n" + edited([:]), line: 1,
              keyPath: "policies.cutoff", code: .outOfRange, contains: ["allowed: cutoff <= 4611686.018427387904 s"]),
    ErrorCase(name: "attempt period beyond 1 s", yaml: "defaults: { photonics: { attemptPeriod: 2 s } }\n" + edited([:]),
              line: 1, keyPath: "defaults.photonics.attemptPeriod", code: .outOfRange,
              contains: ["'2 s' is too long", "allowed: attemptPeriod <= 1 s"]),
    // A fibre whose delay overflowed the clock (the plan trapped, exit 132).
    ErrorCase(name: "fibre of 3.5e12 km", yaml: edited([7: "    length: 3.5e12 km"]), line: 7, column: 13,
              keyPath: "links[0].length", code: .outOfRange,
              contains: ["'3.5e12 km' is too long", "allowed: length <= 1000000 km"]),
    ErrorCase(name: "topology spacing beyond 10^6 km",
              yaml: "topology: { kind: chain, nodes: 3, spacing: 2000000 km }\nrequests:\n  - { from: n0, to: n2, pairs: 1 }\n",
              line: 1, keyPath: "topology.spacing", code: .outOfRange, contains: ["allowed: spacing <= 1000000 km"]),

    // Process names: two stations of one name, or a node named like a station or the coordinator.
    ErrorCase(name: "two links whose stations share a name",
              yaml: "name: t\nnodes: [{ name: a-b }, { name: c }, { name: a }, { name: b-c }]\nlinks:\n"
                  + "  - { nodes: [a-b, c], length: 1 km }\n  - { nodes: [a, b-c], length: 1 km }\n"
                  + "requests:\n  - { from: a, to: b-c, pairs: 1 }\n",
              line: 5, keyPath: "links[1].nodes", code: .conflict,
              contains: ["would be named 'station-a-b-c', as is the station of links[0] [a-b, c] (line 4)", "allowed: node names"]),
    ErrorCase(name: "node named like a station", yaml: edited([3: "  - name: station-alice-bob"]), line: 3, column: 11,
              keyPath: "nodes[0].name", code: .conflict,
              contains: ["node name 'station-alice-bob' is reserved", "names starting with 'station-'"]),
    ErrorCase(name: "node named coordinator", yaml: edited([3: "  - name: coordinator"]), line: 3, column: 11,
              keyPath: "nodes[0].name", code: .conflict, contains: ["node name 'coordinator' is reserved"]),
    ErrorCase(name: "node name too long", yaml: edited([3: "  - name: " + String(repeating: "a", count: 101)]),
              line: 3, column: 11, keyPath: "nodes[0].name", code: .outOfRange,
              contains: ["101 characters long", "allowed: 1 to 100 letters"]),

    // The scenario's name names the default results folder.
    ErrorCase(name: "name that climbs out of results/", yaml: edited([1: "name: ../../x"]), line: 1, column: 7,
              keyPath: "name", code: .outOfRange,
              contains: ["invalid scenario name '../../x'", "allowed: 1 to 100 letters, digits, '-', '_' and '.', not starting with '.'"]),
    ErrorCase(name: "name with a terminal escape", yaml: edited([1: "name: \"a\\e[31mred\""]), line: 1, column: 7,
              keyPath: "name", code: .outOfRange, contains: ["invalid scenario name 'a\\u{1B}[31mred'"], excludes: ["\u{1B}"]),
    ErrorCase(name: "name with a newline", yaml: edited([1: "name: \"a\\nb\""]), line: 1, column: 7,
              keyPath: "name", code: .outOfRange, contains: ["invalid scenario name 'a\\u{A}b'"]),
]

@Suite("Scenario limits: times, lengths, names, sizes")
struct LimitTests {
    @Test("each limit is one error line naming the key and what is allowed", arguments: limitCases)
    func limit(_ c: ErrorCase) throws {
        let error = try #require(parseError(c.yaml, file: "scenario.yaml"))
        let text = error.description
        #expect(error.line == c.line, "\(text)")
        if let column = c.column { #expect(error.column == column, "\(text)") }
        #expect(error.keyPath == c.keyPath, "\(text)")
        #expect(error.code == c.code, "\(text)")
        #expect(!text.contains("\n"), "\(text)")
        for fragment in c.contains { #expect(text.contains(fragment), "\(text)") }
        for fragment in c.excludes { #expect(!text.contains(fragment), "\(text)") }
    }

    @Test("the largest values still parse: duration and start at 2^62 ps, a 10^6 km link, a 1 s attempt period")
    func largestValuesParse() throws {
        let yaml = "duration: 4611686.018427387904 s\ndefaults: { photonics: { attemptPeriod: 1 s } }\n"
            + edited([7: "    length: 1000000 km", 9: "  - { from: alice, to: bob, pairs: 10, start: 4611686 s }"])
        let s = try Scenario.parse(yaml: yaml, file: "scenario.yaml")
        #expect(s.duration == Scenario.longestDuration)
        #expect(s.requests[0].start == .seconds(4_611_686))
        #expect(s.links[0].length == Scenario.longestLength)
    }

    @Test("a default scenario name from an odd file name is a plain name")
    func defaultName() throws {
        let s = try Scenario.parse(yaml: edited([1: "seed: 1"]), file: "/tmp/..\u{1B}[2Jbad name.yaml")
        #expect(s.name == "--2Jbad-name")
        #expect(ScenarioDecoder.baseName(of: "scenarios/chain-5.yaml") == "chain-5")
        #expect(ScenarioDecoder.baseName(of: ".hidden.yaml") == "hidden")
    }

    @Test("at most 1 000 nodes, listed or generated")
    func nodeCap() throws {
        let listed = "nodes:\n" + (0...1000).map { "  - name: n\($0)" }.joined(separator: "\n")
            + "\nlinks:\n  - { nodes: [n0, n1], length: 1 km }\nrequests:\n  - { from: n0, to: n1, pairs: 1 }\n"
        let error = try #require(parseError(listed))
        #expect(error.keyPath == "nodes" && error.line == 2, "\(error)")
        #expect(error.description.contains("1001 nodes are too many; allowed: at most 1000 nodes"), "\(error)")
        let generated = "topology: { kind: grid, rows: 40, columns: 40, spacing: 1 km }\nrequests:\n  - { from: g0_0, to: g0_1, pairs: 1 }\n"
        let gridError = try #require(parseError(generated))
        #expect(gridError.description.contains("allowed: 2 <= rows*columns <= 1000"), "\(gridError)")
    }
}

@Suite("YAML aliases")
struct YAMLAliasTests {
    static let bomb = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        ? *i
        : x

        """

    @Test("the aliases of a text are found, outside comments and quotes")
    func found() {
        let text = "a: &x [1, 2] # *no\nb: *x\nc: [*x, '*no', \"*no\"]\n? *x\n: y\nd: a*b\n"
        let tokens = YAMLAliases.find(in: Array(text.unicodeScalars))
        #expect(tokens.map(\.name) == ["x", "x", "x", "x"])
        #expect(tokens.map(\.isAnchor) == [true, false, false, false])
    }

    @Test("an alias bomb used as a mapping key is rejected at once, naming where it grew too large")
    func bombRejected() throws {
        let started = Date()
        let error = try #require(parseError(Self.bomb))
        #expect(Date().timeIntervalSince(started) < 10, "the bomb was expanded")
        #expect(error.description.contains("YAML aliases expand the scenario to more than 1000000 nodes here"), "\(error)")
        // g (9^7 nodes) is the first anchor past the limit; the place is its anchor.
        #expect(error.line == 7 && error.column == 4, "\(error)")
    }

    @Test("anchors and aliases within the limit still work")
    func aliasesWork() throws {
        let text = edited([3: "  - { name: alice, memory: &nv { qubits: 4, t2: 1 s } }", 4: "  - { name: bob, memory: *nv }"])
        let s = try Scenario.parse(yaml: text, file: "scenario.yaml")
        #expect(s.nodes.map(\.memory.qubits) == [4, 4])
    }

    @Test("a scenario over 4 MiB is refused before it is parsed (or read, from a file)")
    func tooLarge() throws {
        let padding = String(repeating: "# padding\n", count: 420_000)
        let text = edited([:]) + padding
        #expect(text.utf8.count > 4 * 1024 * 1024)
        let error = try #require(parseError(text))
        #expect(error.description.contains("too large; allowed: at most 4194304 bytes (4 MiB)"), "\(error)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qnet-large-\(UUID().uuidString.prefix(8)).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try text.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try Scenario.load(path: file.path)
            Issue.record("a 4 MiB file loaded")
        } catch {
            #expect(error.description.hasPrefix("\(file.path): the scenario is \(text.utf8.count) bytes"), "\(error)")
        }
    }
}

