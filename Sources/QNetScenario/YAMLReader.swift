import QNetCore
import Yams

// Typed reading of a composed YAML tree, with errors that name file, line, column and key path.
// Yams `Node` is not Sendable; it never leaves this file's functions.

/// A value read from the file together with where it was written.
struct Located<Value> {
    var value: Value
    var location: SourceLocation?
    var path: DocumentPath
}

/// An allowed numeric range, described with the key's name: `0 <= gateFidelity <= 1`.
struct NumberRange {
    var lower: Double?
    var lowerInclusive = true
    var upper: Double?
    var upperInclusive = true

    static func closed(_ a: Double, _ b: Double) -> NumberRange { NumberRange(lower: a, upper: b) }
    static func open(_ a: Double, _ b: Double) -> NumberRange {
        NumberRange(lower: a, lowerInclusive: false, upper: b, upperInclusive: false)
    }
    static func openClosed(_ a: Double, _ b: Double) -> NumberRange {
        NumberRange(lower: a, lowerInclusive: false, upper: b, upperInclusive: true)
    }
    static func atLeast(_ a: Double) -> NumberRange { NumberRange(lower: a) }
    static func above(_ a: Double) -> NumberRange { NumberRange(lower: a, lowerInclusive: false) }
    /// [0, 1]: probabilities, efficiencies, fidelities.
    static let unit = closed(0, 1)

    func contains(_ x: Double) -> Bool {
        if let lower, lowerInclusive ? x < lower : x <= lower { return false }
        if let upper, upperInclusive ? x > upper : x >= upper { return false }
        return true
    }

    func describe(_ name: String) -> String {
        var text = ""
        if let lower { text += Quantity.short(lower) + (lowerInclusive ? " <= " : " < ") }
        text += name
        if let upper { text += (upperInclusive ? " <= " : " < ") + Quantity.short(upper) }
        return text
    }
}

/// Reads scalars, lists and mappings out of a Yams tree for one file.
struct YAMLReader {
    /// File name used in errors.
    let file: String

    // MARK: Errors

    func error(
        _ code: ScenarioError.Code, at location: SourceLocation?, _ path: DocumentPath, _ message: String,
        allowed: String? = nil
    ) -> ScenarioError {
        ScenarioError(
            file: file, line: location?.line, column: location?.column, keyPath: path.description,
            code: code, message: message, allowed: allowed
        )
    }

    func error(
        _ code: ScenarioError.Code, at node: Node, _ path: DocumentPath, _ message: String, allowed: String? = nil
    ) -> ScenarioError {
        error(code, at: Self.location(of: node), path, message, allowed: allowed)
    }

    static func location(of node: Node) -> SourceLocation? {
        node.mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    /// `a mapping`, `a list`, `'abc'`: what was found, for wrong-type messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s): isNull(node) ? "nothing" : "'\(s.string)'"
        case .alias: "an alias"
        }
    }

    /// A plain `~`, `null` or empty value.
    static func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    // MARK: Shapes

    /// The text of a scalar; a mapping or list is a wrong-type error.
    func text(_ node: Node, _ path: DocumentPath, expected: String) throws(ScenarioError) -> String {
        guard case .scalar(let s) = node, !Self.isNull(node) else {
            throw error(.wrongType, at: node, path, "expected \(expected), found \(Self.describe(node))")
        }
        return s.string
    }

    /// The items of a list.
    func list(_ node: Node, _ path: DocumentPath, expected: String) throws(ScenarioError) -> [Node] {
        guard case .sequence(let seq) = node else {
            throw error(.wrongType, at: node, path, "expected \(expected), found \(Self.describe(node))")
        }
        return Array(seq)
    }

    // MARK: Numbers

    func double(_ node: Node, _ path: DocumentPath, range: NumberRange) throws(ScenarioError) -> Double {
        let name = Self.leafName(path)
        let s = try text(node, path, expected: "a number")
        guard let value = Double(s.trimmingSpaces), value.isFinite else {
            throw error(
                .wrongType, at: node, path, "expected a number, found '\(s)'", allowed: "allowed: " + range.describe(name)
            )
        }
        guard range.contains(value) else {
            throw error(.outOfRange, at: node, path, "\(s) is out of range", allowed: "allowed: " + range.describe(name))
        }
        return value
    }

    func int(_ node: Node, _ path: DocumentPath, atLeast minimum: Int) throws(ScenarioError) -> Int {
        let name = Self.leafName(path)
        let allowed = "allowed: a whole number >= \(minimum)"
        let s = try text(node, path, expected: "a whole number")
        let trimmed = s.trimmingSpaces
        let value: Int
        if let v = Int(trimmed) {
            value = v
        } else if let d = Double(trimmed), d.isFinite, d == d.rounded(), abs(d) < 9e18 {
            value = Int(d)
        } else {
            throw error(.wrongType, at: node, path, "expected a whole number for \(name), found '\(s)'", allowed: allowed)
        }
        guard value >= minimum else {
            throw error(.outOfRange, at: node, path, "\(s) is out of range", allowed: allowed)
        }
        return value
    }

    /// A whole number in `range`; the error names the key and the range (`2 <= nodes <= 10000`).
    func int(_ node: Node, _ path: DocumentPath, in range: ClosedRange<Int>) throws(ScenarioError) -> Int {
        let name = Self.leafName(path)
        let allowed = "allowed: \(range.lowerBound) <= \(name) <= \(range.upperBound)"
        let s = try text(node, path, expected: "a whole number")
        guard let value = Self.wholeNumber(s) else {
            throw error(.wrongType, at: node, path, "expected a whole number for \(name), found '\(s)'", allowed: allowed)
        }
        guard range.contains(value) else {
            throw error(.outOfRange, at: node, path, "\(s) is out of range", allowed: allowed)
        }
        return value
    }

    /// Any whole number, negative ones included; `meaning` says what it does, for the hint.
    func integer(_ node: Node, _ path: DocumentPath, meaning: String) throws(ScenarioError) -> Int {
        let name = Self.leafName(path)
        let s = try text(node, path, expected: "a whole number")
        guard let value = Self.wholeNumber(s) else {
            throw error(
                .wrongType, at: node, path, "expected a whole number for \(name), found '\(s)'",
                allowed: "allowed: a whole number (\(meaning))"
            )
        }
        return value
    }

    /// `12`, `-3`, `4.0`, `1e3` as an Int; nil for fractions, text and values beyond ±9e18.
    static func wholeNumber(_ s: String) -> Int? {
        let trimmed = s.trimmingSpaces
        if let v = Int(trimmed) { return v }
        if let d = Double(trimmed), d.isFinite, d == d.rounded(), abs(d) < 9e18 { return Int(d) }
        return nil
    }

    func uint64(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> UInt64 {
        let s = try text(node, path, expected: "a whole number")
        let trimmed = s.trimmingSpaces
        guard let value = UInt64(trimmed) else {
            let isNegative = trimmed.hasPrefix("-") && Int64(trimmed) != nil
            throw error(
                isNegative ? .outOfRange : .wrongType, at: node, path,
                isNegative ? "\(s) is out of range" : "expected a whole number, found '\(s)'",
                allowed: "allowed: 0 <= \(Self.leafName(path)) <= \(UInt64.max)"
            )
        }
        return value
    }

    // MARK: Quantities

    /// Maps a quantity problem to a scenario error at `node`.
    private func quantityError(
        _ problem: QuantityProblem, _ kind: QuantityKind, _ s: String, _ node: Node, _ path: DocumentPath
    ) -> ScenarioError {
        switch problem {
        case .notANumber:
            return error(
                .wrongType, at: node, path, "expected a \(kind.noun) such as '\(kind.example)', found '\(s)'",
                allowed: kind.allowedUnits
            )
        case .negative:
            return error(
                .outOfRange, at: node, path, "a \(kind.noun) cannot be negative ('\(s)')",
                allowed: "allowed: a \(kind.noun) >= 0"
            )
        case .missingUnit:
            return error(.badUnit, at: node, path, "missing unit in '\(s)'", allowed: kind.allowedUnits)
        case .unknownUnit(let unit):
            var message = "unknown unit '\(unit)' in '\(s)'"
            let spellings = kind.units.flatMap(\.spellings)
            if let hint = Suggestions.didYouMean(unit, in: spellings) { message += "; " + hint }
            return error(.badUnit, at: node, path, message, allowed: kind.allowedUnits)
        case .unrepresentable(let why):
            return error(.outOfRange, at: node, path, "'\(s)' is \(why)")
        }
    }

    /// A duration such as `2 s`; `positive` rejects zero, and nothing longer than `longest` is
    /// accepted (by default ``Scenario/longestDuration``).
    func duration(
        _ node: Node, _ path: DocumentPath, positive: Bool, longest: VDuration = Scenario.longestDuration
    ) throws(ScenarioError) -> VDuration {
        let s = try text(node, path, expected: "a duration such as '2 s'")
        do {
            _ = try QuantityKind.duration.split(s)
        } catch {
            throw quantityError(error, .duration, s, node, path)
        }
        let value: VDuration
        do {
            value = try VDuration(parsing: s)
        } catch {
            let tooLong = error.reason.hasPrefix("too long")
            throw self.error(
                .outOfRange, at: node, path, tooLong ? "'\(s)' is too long" : "'\(s)': \(error.reason)",
                allowed: tooLong ? "allowed: \(Self.leafName(path)) <= \(Self.describe(longest))" : nil
            )
        }
        if positive, value == .zero {
            throw error(.outOfRange, at: node, path, "must be longer than zero", allowed: "allowed: a duration > 0")
        }
        if value > longest {
            throw error(.outOfRange, at: node, path, "'\(s)' is too long", allowed: "allowed: \(Self.leafName(path)) <= \(Self.describe(longest))")
        }
        return value
    }

    /// `4611686.018427387904 s (2^62 ps, about 53 days)`: a duration limit as the errors name it.
    static func describe(_ limit: VDuration) -> String {
        limit == Scenario.longestDuration ? "\(limit) (2^62 ps, about 53 days)" : "\(limit)"
    }

    /// A duration, or nil for one of `noneWords` (`none`, `inf`).
    func optionalDuration(
        _ node: Node, _ path: DocumentPath, noneWords: [String], positive: Bool
    ) throws(ScenarioError) -> VDuration? {
        let words = noneWords.map { "'\($0)'" }.joined(separator: ", ")
        let s = try text(node, path, expected: "a duration such as '2 s' or \(words)")
        if noneWords.contains(s.trimmingSpaces) { return nil }
        return try duration(node, path, positive: positive)
    }

    func length(_ node: Node, _ path: DocumentPath, positive: Bool) throws(ScenarioError) -> Length {
        let s = try text(node, path, expected: "a length such as '10 km'")
        let value: Length
        do {
            value = try Length(checking: s)
        } catch {
            throw quantityError(error, .length, s, node, path)
        }
        if positive, value == .zero {
            throw self.error(.outOfRange, at: node, path, "must be longer than zero", allowed: "allowed: a length > 0")
        }
        if value > Scenario.longestLength {
            throw self.error(
                .outOfRange, at: node, path, "'\(s)' is too long",
                allowed: "allowed: \(Self.leafName(path)) <= \(Scenario.longestLength) (a one-way delay of about 4.9 s)"
            )
        }
        return value
    }

    func frequency(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> Frequency {
        let s = try text(node, path, expected: "a rate such as '10 Hz'")
        do {
            return try Frequency(checking: s)
        } catch {
            throw quantityError(error, .frequency, s, node, path)
        }
    }

    func attenuation(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> Attenuation {
        let s = try text(node, path, expected: "an attenuation such as '0.2 dB/km'")
        do {
            return try Attenuation(checking: s)
        } catch {
            throw quantityError(error, .attenuation, s, node, path)
        }
    }

    // MARK: Choices and names

    /// One of an enum's raw values, exactly; a near miss gets a suggestion.
    func choice<E: CaseIterable & RawRepresentable>(
        _ node: Node, _ path: DocumentPath, as: E.Type
    ) throws(ScenarioError) -> E where E.RawValue == String {
        let options = E.allCases.map(\.rawValue)
        let s = try text(node, path, expected: "one of " + options.joined(separator: ", "))
        if let value = E(rawValue: s.trimmingSpaces) { return value }
        var message = "unknown value '\(s)'"
        if let hint = Suggestions.didYouMean(s, in: options) { message += "; " + hint }
        throw error(.unknownValue, at: node, path, message, allowed: "allowed values: " + options.joined(separator: ", "))
    }

    /// The last key of a path, for range descriptions.
    static func leafName(_ path: DocumentPath) -> String {
        for component in path.components.reversed() {
            if case .key(let key) = component { return key }
        }
        return "value"
    }
}

/// A key the format knows but rejects (not modelled, or misplaced), with what to say about it.
struct Rejection {
    var code: ScenarioError.Code
    var message: String
}

/// The entries of one YAML mapping, checked against the keys the format allows.
///
/// Unknown keys are rejected when the mapping is opened, before any value is read, so that a
/// misspelt key is reported as such rather than as a missing one.
struct Fields {
    let path: DocumentPath
    let location: SourceLocation?
    private var values: [String: Node] = [:]
    private var keyLocations: [String: SourceLocation] = [:]
    /// The keys in the order they were written.
    private(set) var writtenKeys: [String] = []
    private let reader: YAMLReader

    /// - Parameters:
    ///   - allowed: the keys this mapping may have, in the order the docs list them; nil accepts
    ///     any key (the caller checks ``writtenKeys`` itself, e.g. per topology kind).
    ///   - elsewhere: keys that belong somewhere else, with a hint saying where (`it belongs in 'memory'`).
    ///   - rejected: keys the format knows but refuses here, each with its own error; checked
    ///     in the order the keys were written, together with unknown keys.
    init(
        _ node: Node, _ path: DocumentPath, allowed: [String]?, reader: YAMLReader, what: String,
        elsewhere: [String: String] = [:], rejected: [String: Rejection] = [:]
    ) throws(ScenarioError) {
        self.path = path
        self.reader = reader
        self.location = YAMLReader.location(of: node)
        guard case .mapping(let mapping) = node else {
            throw reader.error(
                .wrongType, at: node, path, "expected \(what), found \(YAMLReader.describe(node))",
                allowed: allowed.map { "allowed keys: " + $0.joined(separator: ", ") }
            )
        }
        for (keyNode, value) in mapping {
            guard case .scalar(let keyScalar) = keyNode else {
                throw reader.error(.wrongType, at: keyNode, path, "expected a key name, found \(YAMLReader.describe(keyNode))")
            }
            let key = keyScalar.string
            if let rejection = rejected[key] {
                throw reader.error(
                    rejection.code, at: keyNode, path.appending(key), rejection.message,
                    allowed: allowed.map { "allowed keys: " + $0.joined(separator: ", ") }
                )
            }
            if let allowed, !allowed.contains(key) {
                var message = "unknown key '\(key)'"
                if let hint = Suggestions.didYouMean(key, in: allowed) {
                    message += "; " + hint
                } else if let hint = elsewhere[key] {
                    message += "; " + hint
                }
                throw reader.error(
                    .unknownKey, at: keyNode, path.appending(key), message,
                    allowed: "allowed keys: " + allowed.joined(separator: ", ")
                )
            }
            keyLocations[key] = YAMLReader.location(of: keyNode)
            writtenKeys.append(key)
            if !YAMLReader.isNull(value) { values[key] = value }
        }
    }

    /// The value for `key` and its path, or nil when absent or null.
    subscript(_ key: String) -> (node: Node, path: DocumentPath)? {
        values[key].map { ($0, path.appending(key)) }
    }

    /// Whether `key` was written (even with a null value).
    func contains(_ key: String) -> Bool { keyLocations[key] != nil }

    /// Where `key` was written.
    func keyLocation(_ key: String) -> SourceLocation? { keyLocations[key] }

    /// The value for a required key; its absence is reported at the mapping.
    func required(_ key: String, hint: String? = nil) throws(ScenarioError) -> (node: Node, path: DocumentPath) {
        if let entry = self[key] { return entry }
        throw reader.error(
            .missingKey, at: location, path.appending(key),
            "missing required key '\(key)'", allowed: hint
        )
    }
}

extension String {
    /// Without leading and trailing whitespace.
    var trimmingSpaces: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
