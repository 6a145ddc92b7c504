import Yams

/// One `--set KEY=VALUE` override of a scenario file, applied to the YAML tree before the
/// scenario is decoded (so an overridden value is checked exactly like one in the file).
///
/// Path syntax: dot-separated segments from the document root.
/// - a segment in a mapping is a key: `policies.swap`, `defaults.memory.t2`, `seed`, `duration`;
///   a missing last key (or a missing mapping on the way) is added, and the decoder then
///   rejects it if the format does not define it (with a "did you mean");
/// - a segment in a list is a 0-based index (`links.0.length`, `requests.1.pairs`) or the
///   `name` of an element (`nodes.n2.memory.qubits`); an index out of range or a name no
///   element has is an error naming the key.
///
/// The value is YAML: a scalar (`1 ms`, `nested`, `4`) or a flow collection (`{ budget: 2 ms }`).
public struct ScenarioOverride: Equatable, Sendable, CustomStringConvertible {
    /// The dotted path, as given.
    public var key: String
    /// The value text, as given.
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// Parses `KEY=VALUE` (split at the first `=`).
    ///
    /// - Throws: ``ScenarioOverrideError`` when there is no `=`, or the key or one of its
    ///   segments is empty.
    public init(parsing text: String) throws(ScenarioOverrideError) {
        guard let equals = text.firstIndex(of: "=") else {
            throw ScenarioOverrideError(key: text, message: "expected KEY=VALUE (e.g. policies.swap=asap), got '\(text)'")
        }
        key = String(text[..<equals]).trimmingSpaces
        value = String(text[text.index(after: equals)...]).trimmingSpaces
        guard !key.isEmpty, !key.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
            throw ScenarioOverrideError(key: key, message: "the key '\(key)' has an empty segment; allowed: dotted path such as defaults.memory.t2 or nodes.n2.memory.qubits")
        }
    }

    public var description: String { "\(key)=\(value)" }

    /// Splits a sweep's value list `V1,V2,…` at commas outside `{}`/`[]`, so a flow value
    /// such as `{ budget: 1 ms }` stays one value.
    ///
    /// - Throws: ``ScenarioOverrideError`` for an empty list or an empty value.
    public static func values(_ list: String, key: String) throws(ScenarioOverrideError) -> [String] {
        var values: [String] = []
        var depth = 0
        var current = ""
        for c in list {
            switch c {
            case "{", "[": depth += 1
            case "}", "]": depth = max(0, depth - 1)
            case "," where depth == 0:
                values.append(current.trimmingSpaces)
                current = ""
                continue
            default: break
            }
            current.append(c)
        }
        values.append(current.trimmingSpaces)
        if values.contains(where: \.isEmpty) {
            throw ScenarioOverrideError(key: key, message: "empty value in '\(list)'; allowed: comma-separated values V1,V2,…")
        }
        return values
    }

    /// Applies the overrides in order to a composed YAML document.
    ///
    /// - Throws: ``ScenarioOverrideError`` naming the key when the path does not exist (a list
    ///   index out of range, a name no element has, a step into a scalar) or the value is not YAML.
    public static func apply(_ overrides: [ScenarioOverride], to root: Node?) throws(ScenarioOverrideError) -> Node {
        var document = root ?? Node.mapping(Node.Mapping([]))
        for o in overrides {
            let value: Node
            do {
                value = unmarked(try Yams.compose(yaml: o.value) ?? Node("", Tag(.null)))
            } catch {
                throw ScenarioOverrideError(key: o.key, message: "the value '\(o.value)' is not valid YAML")
            }
            let segments = o.key.split(separator: ".").map(String.init)
            try set(&document, segments[...], value, key: o.key)
        }
        return document
    }

    /// The value without source positions: errors in it must not point at a line of the file.
    static func unmarked(_ node: Node) -> Node {
        switch node {
        case .scalar(var s):
            s.mark = nil
            return .scalar(s)
        case .mapping(var m):
            m.mark = nil
            m = Node.Mapping(m.map { (unmarked($0.key), unmarked($0.value)) }, m.tag, m.style)
            return .mapping(m)
        case .sequence(var q):
            q.mark = nil
            q = Node.Sequence(q.map(unmarked), q.tag, q.style)
            return .sequence(q)
        case .alias:
            return node
        }
    }

    private static func set(_ node: inout Node, _ path: ArraySlice<String>, _ value: Node, key: String) throws(ScenarioOverrideError) {
        guard let segment = path.first else {
            node = value
            return
        }
        let walked = key.split(separator: ".").prefix(key.split(separator: ".").count - path.count + 1).joined(separator: ".")
        switch node {
        case .mapping(var mapping):
            var child = mapping[segment] ?? Node.mapping(Node.Mapping([]))
            try set(&child, path.dropFirst(), value, key: key)
            mapping[segment] = child
            node = .mapping(mapping)
        case .sequence(var sequence):
            let index: Int
            if let i = Int(segment) {
                guard i >= 0, i < sequence.count else {
                    throw ScenarioOverrideError(key: key, message: "no element \(walked): the list has \(sequence.count) element\(sequence.count == 1 ? "" : "s"); allowed: index 0...\(max(0, sequence.count - 1)) or an element's name")
                }
                index = i
            } else {
                let names = sequence.compactMap { $0.mapping?["name"]?.scalar?.string }
                guard let i = sequence.firstIndex(where: { $0.mapping?["name"]?.scalar?.string == segment }) else {
                    let allowed = names.isEmpty ? "an index 0...\(max(0, sequence.count - 1))" : "an index or one of \(names.joined(separator: ", "))"
                    throw ScenarioOverrideError(key: key, message: "no element named '\(segment)' at \(walked); allowed: \(allowed)")
                }
                index = i
            }
            var child = sequence[index]
            try set(&child, path.dropFirst(), value, key: key)
            sequence[index] = child
            node = .sequence(sequence)
        case .scalar, .alias:
            throw ScenarioOverrideError(key: key, message: "\(walked) does not exist: its parent is a single value, not a mapping or a list")
        }
    }
}

/// A `--set` override that cannot be applied: one line naming the key.
public struct ScenarioOverrideError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The override's key, as given.
    public var key: String
    /// What is wrong and what is allowed.
    public var message: String

    public var description: String { "--set \(key): \(message)" }
}

extension Scenario {
    /// Parses scenario text with `--set` overrides applied to its YAML tree first.
    ///
    /// - Throws: ``ScenarioError``; an override that cannot be applied is reported with code
    ///   `unknownKey` and the override's key as key path.
    public static func parse(yaml: String, file: String, overrides: [ScenarioOverride]) throws(ScenarioError) -> Scenario {
        if overrides.isEmpty { return try parse(yaml: yaml, file: file) }
        let bytes = yaml.utf8.count
        if bytes > largestFileBytes { throw tooLarge(file, bytes: Int64(bytes)) }
        try YAMLAliases.check(yaml, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ScenarioError(yaml: error, file: file, text: yaml)
        } catch {
            throw ScenarioError(file: file, line: nil, column: nil, keyPath: "", code: .malformedYAML, message: "malformed YAML: \(error)")
        }
        let document: Node
        do {
            document = try ScenarioOverride.apply(overrides, to: root)
        } catch {
            throw ScenarioError(file: file, line: nil, column: nil, keyPath: error.key, code: .unknownKey, message: "--set: \(error.message)")
        }
        do {
            return try ScenarioDecoder(file: file).decode(document)
        } catch {
            // A problem in an overridden value names the override it came from.
            var e = error
            let leaf = e.keyPath.split(whereSeparator: { $0 == "." || $0 == "[" }).last.map(String.init) ?? ""
            if e.line == nil, let o = overrides.last(where: { $0.key.split(separator: ".").last.map(String.init) == leaf }) {
                e.message += " (given by --set \(o))"
            }
            throw e
        }
    }
}
