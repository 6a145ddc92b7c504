import Foundation
import Testing

/// Bad scenario files through the real CLI (DESIGN §10: "one error line naming file, line, key
/// path and what is allowed"), for `qnet validate FILE` and `qnet run FILE --out DIR` alike:
/// a non-zero exit, exactly one line on standard error, no results folder, no process left.
@Suite("Bad scenario files through the CLI", .serialized)
struct BadInputTests {
    /// One broken scenario and where its error must point.
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        /// The file's text; nil: the file does not exist.
        var yaml: String?
        /// The expected `LINE:COLUMN` after the file name, nil for a problem not in the text.
        var line: Int?
        var column: Int?
        /// A word that must appear on that line of the file (checks the case itself).
        var onLine: String?
        /// What follows `FILE:LINE:COLUMN: ` (the key path and the start of the message).
        var expected: String
        var testDescription: String { label }
    }

    /// A valid two-node scenario; each case breaks one line of it. Line numbers are 1-based.
    static let valid = [
        "name: bad-input",                                      // 1
        "seed: 7",                                              // 2
        "duration: 2 s",                                        // 3
        "defaults:",                                            // 4
        "  detectors: { efficiency: 0.9 }",                     // 5
        "nodes:",                                               // 6
        "  - name: alice",                                      // 7
        "  - name: bob",                                        // 8
        "links:",                                               // 9
        "  - nodes: [alice, bob]",                              // 10
        "    length: 10 km",                                    // 11
        "    stationAt: 0.5",                                   // 12
        "requests:",                                            // 13
        "  - { from: alice, to: bob, pairs: 10, type: keep }",  // 14
    ]

    /// `valid` with line `number` replaced by `text`.
    static func replacing(_ number: Int, with text: String) -> String {
        var lines = valid
        lines[number - 1] = text
        return lines.joined(separator: "\n") + "\n"
    }

    static let cases: [Case] = [
        Case(label: "unclosed bracket", yaml: replacing(10, with: "  - nodes: [alice, bob"),
             // The parser notices at the next line's key, inside the still-open flow sequence.
             line: 11, column: 11, onLine: "length", expected: "malformed YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 10)"),
        Case(label: "tab indentation", yaml: replacing(8, with: "\t- name: bob"),
             line: 8, column: 1, onLine: "bob", expected: "malformed YAML: found a tab character that violates indentation"),
        Case(label: "unknown key", yaml: replacing(8, with: "  - { name: bob, colour: blue }"),
             line: 8, column: 18, onLine: "colour", expected: "nodes[1].colour: unknown key 'colour'; allowed keys: "),
        Case(label: "misspelt key", yaml: replacing(11, with: "    lenght: 10 km"),
             line: 11, column: 5, onLine: "lenght", expected: "links[0].lenght: unknown key 'lenght'; did you mean 'length'?"),
        Case(label: "unknown unit", yaml: replacing(11, with: "    length: 10 kmm"),
             line: 11, column: 13, onLine: "kmm", expected: "links[0].length: unknown unit 'kmm' in '10 kmm'; did you mean 'km'?; allowed units: m, km"),
        Case(label: "missing unit", yaml: replacing(11, with: "    length: 10"),
             line: 11, column: 13, onLine: "length", expected: "links[0].length: missing unit in '10'; allowed units: m, km"),
        Case(label: "stationAt out of range", yaml: replacing(12, with: "    stationAt: 1.5"),
             line: 12, column: 16, onLine: "1.5", expected: "links[0].stationAt: 1.5 is out of range; allowed: 0 < stationAt < 1"),
        Case(label: "efficiency out of range", yaml: replacing(5, with: "  detectors: { efficiency: 2 }"),
             line: 5, column: 28, onLine: "efficiency", expected: "defaults.detectors.efficiency: 2 is out of range; allowed: 0 <= efficiency <= 1"),
        // These trapped (exit 132) or ran to 0 pairs with exit 0.
        Case(label: "fibre of 3.5e12 km", yaml: replacing(11, with: "    length: 3.5e12 km"),
             line: 11, column: 13, onLine: "length", expected: "links[0].length: '3.5e12 km' is too long; allowed: length <= 1000000 km"),
        Case(label: "duration beyond 2^62 ps", yaml: replacing(3, with: "duration: 5000000 s"),
             line: 3, column: 11, onLine: "duration", expected: "duration: '5000000 s' is too long; allowed: duration <= 4611686.018427387904 s"),
        Case(label: "node named like a station", yaml: replacing(8, with: "  - name: station-alice-bob"),
             line: 8, column: 11, onLine: "station", expected: "nodes[1].name: node name 'station-alice-bob' is reserved"),
        Case(label: "scenario name outside results/", yaml: replacing(1, with: "name: ../../x"),
             line: 1, column: 7, onLine: "name", expected: "name: invalid scenario name '../../x'"),
        // Kept validate busy for minutes.
        Case(label: "alias bomb", yaml: (["a: &a [x, x, x, x, x, x, x, x, x]"] + "bcdefghi".map { c in
                let previous = Character(UnicodeScalar(c.asciiValue! - 1))
                return "\(c): &\(c) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]"
             } + ["? *i", ": x"]).joined(separator: "\n") + "\n",
             line: 7, column: 4, onLine: "g:", expected: "YAML aliases expand the scenario to more than 1000000 nodes here"),
        Case(label: "negative deadline", yaml: replacing(14, with: "  - { from: alice, to: bob, pairs: 10, type: keep, deadline: -1 s }"),
             line: 14, column: 62, onLine: "deadline", expected: "requests[0].deadline: '-1 s' is negative; allowed: a duration > 0 after the request's start"),
        Case(label: "zero deadline", yaml: replacing(14, with: "  - { from: alice, to: bob, pairs: 10, type: keep, deadline: 0 s }"),
             line: 14, column: 62, onLine: "deadline", expected: "requests[0].deadline: must be longer than zero; allowed: a duration > 0"),
        Case(label: "unknown generation policy", yaml: valid.joined(separator: "\n") + "\npolicies: { generation: greedyy }\n",
             line: 15, column: 25, onLine: "greedyy",
             expected: "policies.generation: unknown value 'greedyy'; did you mean 'greedy'?; allowed values: round-robin, greedy"),
        Case(label: "missing file", yaml: nil, line: nil, column: nil, onLine: nil,
             expected: "cannot read the scenario file: no such file"),
    ]

    enum Command: String, CaseIterable, Sendable { case validate, run }

    @Test("one error line naming file, line and key path; non-zero exit; nothing left behind",
          arguments: cases, Command.allCases)
    func badScenario(_ c: Case, _ command: Command) throws {
        let folder = try Harness.temporaryFolder("badinput")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file: URL
        if let yaml = c.yaml {
            file = try Harness.scenario(yaml, in: folder)
            if let line = c.line, let word = c.onLine {
                let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
                try #require(lines[line - 1].contains(word), "case is wrong: line \(line) is '\(lines[line - 1])'")
            }
        } else {
            file = folder.appendingPathComponent("no-such-scenario.yaml")
        }
        let out = folder.appendingPathComponent("results")
        let tag = Harness.newTag()
        let arguments = command == .validate ? ["validate", file.path] : ["run", file.path, "--out", out.path, "--quiet"]
        let result = try Harness.start(arguments, tag: tag).wait(timeout: 30)

        #expect(result.reason == .exit)
        #expect(result.status == 64, "exit status \(result.status) (EX_USAGE expected); stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "stdout: \(result.stdout)")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "expected one line on standard error, got:\n\(result.stderr)")
        var place = file.path
        if let line = c.line { place += ":\(line)" }
        if let column = c.column { place += ":\(column)" }
        let prefix = "Error: \(place): \(c.expected)"
        #expect(lines.first?.hasPrefix(prefix) == true, "expected a line starting\n\(prefix)\ngot\n\(result.stderr)")

        #expect(!FileManager.default.fileExists(atPath: out.path), "a results folder was created for a bad scenario")
        Harness.waitUntil(timeout: 1) { Harness.processes(tagged: tag).isEmpty }
        #expect(Harness.processes(tagged: tag).isEmpty)
    }

    @Test("a chain at the node cap (1 000) validates, and one node more is one error line")
    func nodeCap() throws {
        let folder = try Harness.temporaryFolder("badinput-cap")
        defer { try? FileManager.default.removeItem(at: folder) }
        // The plan used to search every node for the next one for every node: 400 nodes took 33 s
        // in a debug build, 1 000 would take minutes (the harness gives up after 120 s).
        let file = try Harness.scenario(
            "topology: { kind: chain, nodes: 1000, spacing: 1 km }\nrequests:\n  - { from: n0, to: n999, pairs: 1 }\n", in: folder)
        let result = try Harness.run(["validate", file.path], timeout: 120)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("\(file.path): ok — 1000 nodes, 999 links"), "stdout: \(result.stdout.prefix(200))")
        let over = try Harness.scenario(
            "topology: { kind: chain, nodes: 1001, spacing: 1 km }\nrequests:\n  - { from: n0, to: n1, pairs: 1 }\n", in: folder, name: "over.yaml")
        let rejected = try Harness.run(["validate", over.path], timeout: 30)
        #expect(rejected.status == 64)
        #expect(rejected.stderr == "Error: \(over.path):1:33: topology.nodes: 1001 is out of range; allowed: 2 <= nodes <= 1000\n", "\(rejected.stderr)")
    }

    @Test("the same file, fixed, validates and the error was about the right line")
    func validBaselineValidates() throws {
        let folder = try Harness.temporaryFolder("badinput-ok")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.valid.joined(separator: "\n") + "\n", in: folder)
        let result = try Harness.run(["validate", file.path], timeout: 30)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("\(file.path): ok"), "stdout: \(result.stdout)")
        #expect(result.stderr.isEmpty)
    }

    @Test("edf without any deadline validates (requests without one are served first come, first served)")
    func edfWithoutDeadlinesValidates() throws {
        let folder = try Harness.temporaryFolder("badinput-edf")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try Harness.scenario(Self.valid.joined(separator: "\n") + "\npolicies: { request: edf }\n", in: folder)
        let result = try Harness.run(["validate", file.path], timeout: 30)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.isEmpty)
    }
}
