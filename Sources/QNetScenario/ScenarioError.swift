/// A problem with a scenario file, rendered as one line the CLI can print as is:
///
/// ```
/// scenario.yaml:12:5: links[0].length: missing unit in '10'; allowed units: m, km
/// ```
///
/// `FILE:LINE:COLUMN: KEY.PATH: what is wrong; allowed: …`. The line and column are 1-based
/// and point at the offending value (or key, for an unknown key; or the enclosing mapping, for
/// a missing key). Loading stops at the first problem found.
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of problem it is; stable, for tests and for tools that react to it.
    public enum Code: String, Equatable, Sendable, CaseIterable {
        /// The file could not be read (missing, unreadable, not UTF-8).
        case fileUnreadable
        /// The text is not valid YAML (or repeats a key in one mapping).
        case malformedYAML
        /// A value has the wrong shape: a mapping where a scalar was expected, text where a number was.
        case wrongType
        /// A key the format does not define.
        case unknownKey
        /// A required key is absent.
        case missingKey
        /// A quantity with a missing or unknown unit.
        case badUnit
        /// A number or quantity outside its allowed range.
        case outOfRange
        /// A value that is not one of the allowed choices (`scheme`, `mode`, ...).
        case unknownValue
        /// A name that refers to no declared node, or a route step over a link that does not exist.
        case unknownReference
        /// A name or link declared twice.
        case duplicate
        /// Keys that cannot be used together, or a value that contradicts another one.
        case conflict
        /// A key the format knows but this version does not model: rejected rather than
        /// accepted and ignored (`initFidelity`, `deadTime`, `minFidelity`, `maxWait`).
        case notModelled
    }

    /// The file as given to ``Scenario/load(path:)`` or ``Scenario/parse(yaml:file:)``.
    public var file: String
    /// 1-based line, or nil when the problem is not at a place in the text (an unreadable file).
    public var line: Int?
    /// 1-based column, or nil together with ``line``.
    public var column: Int?
    /// Where in the document, e.g. `links[0].length`; empty for the document itself.
    public var keyPath: String
    /// What kind of problem.
    public var code: Code
    /// What is wrong, e.g. `missing unit in '10'`.
    public var message: String
    /// What would be accepted, e.g. `allowed units: m, km`; nil when there is nothing useful to list.
    public var allowed: String?

    public init(
        file: String, line: Int?, column: Int?, keyPath: String, code: Code,
        message: String, allowed: String? = nil
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.code = code
        self.message = message
        self.allowed = allowed
    }

    /// One line: `FILE:LINE:COLUMN: KEY.PATH: message; allowed`.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        text += ": "
        if !keyPath.isEmpty { text += keyPath + ": " }
        text += message
        if let allowed, !allowed.isEmpty { text += "; " + allowed }
        return Self.singleLine(text)
    }

    /// Collapses line breaks and runs of spaces so that the message is always one line.
    static func singleLine(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        var lastWasSpace = false
        for c in text {
            if c.isNewline || c == "\t" || c == " " {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(c)
                lastWasSpace = false
            }
        }
        return result.trimmingCharacters(inSet: " ")
    }
}

extension String {
    fileprivate func trimmingCharacters(inSet c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s = s.dropFirst() }
        while s.last == c { s = s.dropLast() }
        return String(s)
    }
}

/// A position in the document: a sequence of keys and indices, rendered `links[0].length`.
struct DocumentPath: Equatable, Sendable, CustomStringConvertible {
    enum Component: Equatable, Sendable {
        case key(String)
        case index(Int)
    }

    var components: [Component] = []

    static let root = DocumentPath()

    func appending(_ key: String) -> DocumentPath {
        DocumentPath(components: components + [.key(key)])
    }

    func appending(index: Int) -> DocumentPath {
        DocumentPath(components: components + [.index(index)])
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let i):
                text += "[\(i)]"
            }
        }
        return text
    }
}

/// Where a value was written in a scenario file, kept after loading for the checks that can
/// only run then (those that need each request's route), so that their errors name the file,
/// line and key path as a ``ScenarioError`` does.
public struct SourcePlace: Equatable, Sendable {
    /// 1-based line and column, nil when the value has no place in the text.
    public var line: Int?
    public var column: Int?
    /// Where in the document, e.g. `requests[0]` or `nodes[1].memory.qubits`.
    public var keyPath: String

    public init(line: Int?, column: Int?, keyPath: String) {
        self.line = line
        self.column = column
        self.keyPath = keyPath
    }

    init(_ location: SourceLocation?, _ path: DocumentPath) {
        self.init(line: location?.line, column: location?.column, keyPath: path.description)
    }
}

/// A 1-based line and column in the scenario text.
struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    var line: Int
    var column: Int

    var description: String { "line \(line)" }
}
