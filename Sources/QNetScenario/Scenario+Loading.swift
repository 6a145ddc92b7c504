import Foundation
import Yams

extension Scenario {
    /// Reads and validates the scenario file at `path`.
    ///
    /// - Throws: ``ScenarioError`` naming the file (and, for problems in the text, the line,
    ///   column and key path): unreadable file, malformed YAML, or the first invalid value.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioError(
                file: path, line: nil, column: nil, keyPath: "", code: .fileUnreadable,
                message: "cannot read the scenario file: no such file"
            )
        }
        guard !isDirectory.boolValue else {
            throw ScenarioError(
                file: path, line: nil, column: nil, keyPath: "", code: .fileUnreadable,
                message: "cannot read the scenario file: it is a directory"
            )
        }
        // The size first: a huge file is refused before it is read.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.int64Value > Int64(largestFileBytes) {
            throw tooLarge(path, bytes: size.int64Value)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ScenarioError(
                file: path, line: nil, column: nil, keyPath: "", code: .fileUnreadable,
                message: "cannot read the scenario file: permission denied or I/O error"
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(
                file: path, line: nil, column: nil, keyPath: "", code: .fileUnreadable,
                message: "cannot read the scenario file: it is not UTF-8 text"
            )
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses and validates scenario text; `file` is the name used in errors and reports.
    ///
    /// - Throws: ``ScenarioError`` for malformed YAML or the first invalid value.
    public static func parse(yaml: String, file: String) throws(ScenarioError) -> Scenario {
        let bytes = yaml.utf8.count
        if bytes > largestFileBytes { throw tooLarge(file, bytes: Int64(bytes)) }
        try YAMLAliases.check(yaml, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ScenarioError(yaml: error, file: file, text: yaml)
        } catch {
            throw ScenarioError(
                file: file, line: nil, column: nil, keyPath: "", code: .malformedYAML,
                message: "malformed YAML: \(error)"
            )
        }
        return try ScenarioDecoder(file: file).decode(root)
    }

    /// The largest scenario file: 4 MiB. (A member's configuration, which carries its share of
    /// the scenario, must fit in one 4 MiB message.)
    public static let largestFileBytes = 4 * 1024 * 1024

    static func tooLarge(_ file: String, bytes: Int64) -> ScenarioError {
        let mebibytes = Double(bytes) / 1_048_576
        return ScenarioError(
            file: file, line: nil, column: nil, keyPath: "", code: .outOfRange,
            message: "the scenario is \(bytes) bytes (\((mebibytes * 10).rounded() / 10) MiB), too large",
            allowed: "allowed: at most \(largestFileBytes) bytes (4 MiB)")
    }

    /// The embedded default scenario, parsed (``embeddedDefaultYAML``).
    public static let embeddedDefault: Scenario = {
        do {
            return try parse(yaml: embeddedDefaultYAML, file: embeddedDefaultFile)
        } catch {
            preconditionFailure("the embedded default scenario does not parse: \(error)")
        }
    }()

    /// File name used for the embedded default in errors and results.
    public static let embeddedDefaultFile = "embedded-default.yaml"

    /// A two-node single-click demo: alice and bob 10 km apart, 1000 kept pairs, 2 s of virtual time.
    ///
    /// With the built-in hardware (emission 0.5, detectors 0.9, 0.2 dB/km, α = 0.1) one attempt
    /// succeeds with probability about 2·α·η ≈ 0.07 (η ≈ 0.36 per arm), and an attempt cycle is
    /// 1 µs plus the 49 µs round trip to the midpoint station, so the link delivers on the order of
    /// 1000 pairs per virtual second with fidelity near 0.9: the request is served well within
    /// the 2 s limit and the run finishes in seconds of wall time.
    public static let embeddedDefaultYAML = """
        # QNetLab embedded default: two nodes, one single-click link, one request.
        name: two-node-single-click
        seed: 7
        duration: 2 s                 # virtual time limit; the run also ends when the request is served
        clock: { mode: lockstep }
        defaults:
          memory:    { qubits: 2, t1: 10 s, t2: 1 s, gateFidelity: 1.0, readoutError: 0.0 }
          photonics: { emissionEfficiency: 0.5, visibility: 1.0, attemptPeriod: 1 us, multiplexing: 1 }
          detectors: { efficiency: 0.9, darkCountRate: 10 Hz, window: 1 ns }
          link:      { attenuation: 0.2 dB/km, stationAt: 0.5, scheme: single-click, brightStatePopulation: 0.1 }
        nodes:
          - name: alice
          - name: bob
        links:
          - nodes: [alice, bob]
            length: 10 km
        requests:
          - { from: alice, to: bob, pairs: 1000, type: keep, start: 0 s }
        policies: { swap: asap, request: fifo, cutoff: none }

        """
}

extension ScenarioError {
    /// A Yams parse error as a one-line scenario error at the place the parser stopped.
    init(yaml error: YamlError, file: String, text: String) {
        func context(_ c: YamlError.Context?) -> String {
            guard let c else { return "" }
            return " (\(c.text.trimmingSpaces) at line \(c.mark.line))"
        }
        switch error {
        case .scanner(let c, let problem, let mark, _),
             .parser(let c, let problem, let mark, _),
             .composer(let c, let problem, let mark, _):
            self.init(
                file: file, line: mark.line, column: mark.column, keyPath: "", code: .malformedYAML,
                message: "malformed YAML: \(problem)\(context(c))"
            )
        case .reader(let problem, let offset, _, _):
            var line: Int?
            var column: Int?
            if let offset, offset >= 0 {
                let prefix = text.prefix(offset)
                line = prefix.reduce(1) { $1.isNewline ? $0 + 1 : $0 }
                let lineStart = prefix.lastIndex(where: \.isNewline).map(prefix.index(after:)) ?? prefix.startIndex
                column = prefix.distance(from: lineStart, to: prefix.endIndex) + 1
            }
            self.init(
                file: file, line: line, column: column, keyPath: "", code: .malformedYAML,
                message: "malformed YAML: \(problem)"
            )
        case .duplicatedKeysInMapping(let duplicates, let c):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            self.init(
                file: file, line: c.mark.line, column: c.mark.column, keyPath: "", code: .malformedYAML,
                message: "duplicate key \(keys) in one mapping", allowed: "each key may appear once"
            )
        default:
            self.init(
                file: file, line: nil, column: nil, keyPath: "", code: .malformedYAML,
                message: "malformed YAML: \(error)"
            )
        }
    }
}
