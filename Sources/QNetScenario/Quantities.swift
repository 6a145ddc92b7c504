import Foundation
import QNetPhysics
import QNetCore

// Quantities with units, as written in scenario files (DESIGN §10): lengths, rates and
// attenuations. Durations are `VDuration` (QNetCore). Every parser rejects a missing unit
// (except for a bare `0`), an unknown unit and a negative value.

/// A length, held exactly in integer millimetres: `"10 km"`, `"500 m"`, `"12.5 km"`.
public struct Length: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in millimetres (exact).
    public var millimetres: UInt64

    @inlinable public init(millimetres: UInt64) { self.millimetres = millimetres }

    public static let zero = Length(millimetres: 0)

    /// `n` metres.
    @inlinable public static func metres(_ n: UInt64) -> Length { Length(millimetres: n * 1_000) }
    /// `n` kilometres.
    @inlinable public static func kilometres(_ n: UInt64) -> Length { Length(millimetres: n * 1_000_000) }

    /// The length in metres.
    @inlinable public var metres: Double { Double(millimetres) / 1_000 }
    /// The length in kilometres.
    @inlinable public var kilometres: Double { Double(millimetres) / 1_000_000 }

    @inlinable public static func < (a: Length, b: Length) -> Bool { a.millimetres < b.millimetres }

    /// Parses `"10 km"`, `"500 m"`, `"0"`; units `m` and `km`, at most millimetre precision.
    /// - Throws: ``QuantityParseError`` for a missing or unknown unit, a negative or malformed
    ///   number, or a value finer than 1 mm.
    public init(parsing text: String) throws(QuantityParseError) {
        do {
            self = try Length(checking: text)
        } catch {
            throw QuantityParseError(text: text, reason: error.reason(for: QuantityKind.length))
        }
    }

    init(checking text: String) throws(QuantityProblem) {
        let (number, unit) = try QuantityKind.length.split(text)
        guard let mm = number.scaledExactly(by: unit.scale) else {
            if number.doubleValue * Double(unit.scale) >= 1.8e19 { throw .unrepresentable("too long") }
            throw .unrepresentable("finer than the 1 mm resolution of lengths")
        }
        self.init(millimetres: mm)
    }

    /// `10 km`, `500 m`, `12.5 km`, `0.25 m`.
    public var description: String {
        if millimetres == 0 { return "0 m" }
        if millimetres >= 1_000_000 { return Quantity.decimal(millimetres, per: 1_000_000) + " km" }
        return Quantity.decimal(millimetres, per: 1_000) + " m"
    }
}

/// A rate of events per second: `"10 Hz"`, `"1 kHz"`, `"2.5 MHz"`, `"1 GHz"`.
public struct Frequency: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Events per second.
    public var hertz: Double

    @inlinable public init(hertz: Double) { self.hertz = hertz }

    @inlinable public static func < (a: Frequency, b: Frequency) -> Bool { a.hertz < b.hertz }

    /// Parses `"10 Hz"`, `"1 kHz"`, `"1 MHz"`, `"1 GHz"`, `"1 THz"`, `"0"`.
    /// - Throws: ``QuantityParseError`` for a missing or unknown unit or a negative or malformed number.
    public init(parsing text: String) throws(QuantityParseError) {
        do {
            self = try Frequency(checking: text)
        } catch {
            throw QuantityParseError(text: text, reason: error.reason(for: QuantityKind.frequency))
        }
    }

    init(checking text: String) throws(QuantityProblem) {
        let (number, unit) = try QuantityKind.frequency.split(text)
        let value = number.doubleValue * Double(unit.scale)
        guard value.isFinite else { throw .unrepresentable("too large") }
        self.init(hertz: value)
    }

    /// `10 Hz`, `1 kHz`, `2.5 MHz`.
    public var description: String {
        for (scale, symbol) in [(1e12, "THz"), (1e9, "GHz"), (1e6, "MHz"), (1e3, "kHz")] where hertz >= scale {
            return Quantity.short(hertz / scale) + " " + symbol
        }
        return Quantity.short(hertz) + " Hz"
    }
}

/// Fibre attenuation in decibels per kilometre: `"0.2 dB/km"`.
public struct Attenuation: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Loss in dB per km.
    public var decibelsPerKilometre: Double

    @inlinable public init(decibelsPerKilometre: Double) { self.decibelsPerKilometre = decibelsPerKilometre }

    @inlinable public static func < (a: Attenuation, b: Attenuation) -> Bool {
        a.decibelsPerKilometre < b.decibelsPerKilometre
    }

    /// Parses `"0.2 dB/km"` (also `"0.2dB/km"`, `"0"`).
    /// - Throws: ``QuantityParseError`` for a missing or unknown unit or a negative or malformed number.
    public init(parsing text: String) throws(QuantityParseError) {
        do {
            self = try Attenuation(checking: text)
        } catch {
            throw QuantityParseError(text: text, reason: error.reason(for: QuantityKind.attenuation))
        }
    }

    init(checking text: String) throws(QuantityProblem) {
        let (number, _) = try QuantityKind.attenuation.split(text)
        let value = number.doubleValue
        guard value.isFinite else { throw .unrepresentable("too large") }
        self.init(decibelsPerKilometre: value)
    }

    /// Power transmittance over `metres` of fibre (QNetPhysics's ``FiberChannel``: `10^(−α·L/10)`).
    public func transmittance(overMetres metres: Double) -> Double {
        FiberChannel(lengthMetres: metres, attenuationDecibelsPerKilometre: decibelsPerKilometre).transmittance
    }

    /// `0.2 dB/km`.
    public var description: String { Quantity.short(decibelsPerKilometre) + " dB/km" }
}

// MARK: - Shared parsing

/// A unit a quantity may be written in.
struct QuantityUnit: Sendable {
    /// Canonical symbol, as listed in errors.
    var symbol: String
    /// Every accepted spelling (exact match).
    var spellings: [String]
    /// Multiplier from the written number to the stored integer or base unit.
    var scale: UInt64
}

/// The kinds of quantity in a scenario file, with their units.
struct QuantityKind: Sendable {
    /// `length`, `duration`, ...
    var noun: String
    /// An example for error messages.
    var example: String
    var units: [QuantityUnit]

    var allowedUnits: String { "allowed units: " + units.map(\.symbol).joined(separator: ", ") }

    static let length = QuantityKind(noun: "length", example: "10 km", units: [
        QuantityUnit(symbol: "m", spellings: ["m"], scale: 1_000),
        QuantityUnit(symbol: "km", spellings: ["km"], scale: 1_000_000),
    ])
    static let frequency = QuantityKind(noun: "rate", example: "10 Hz", units: [
        QuantityUnit(symbol: "Hz", spellings: ["Hz"], scale: 1),
        QuantityUnit(symbol: "kHz", spellings: ["kHz"], scale: 1_000),
        QuantityUnit(symbol: "MHz", spellings: ["MHz"], scale: 1_000_000),
        QuantityUnit(symbol: "GHz", spellings: ["GHz"], scale: 1_000_000_000),
        QuantityUnit(symbol: "THz", spellings: ["THz"], scale: 1_000_000_000_000),
    ])
    static let attenuation = QuantityKind(noun: "attenuation", example: "0.2 dB/km", units: [
        QuantityUnit(symbol: "dB/km", spellings: ["dB/km"], scale: 1)
    ])
    static let duration = QuantityKind(
        noun: "duration", example: "2 s",
        units: TimeUnit.allCases.map { QuantityUnit(symbol: $0.symbol, spellings: $0.spellings, scale: $0.picoseconds) }
    )

    /// Splits and checks `text`: a non-negative decimal number and one of the units.
    /// A bare zero needs no unit and is returned with the first unit.
    func split(_ text: String) throws(QuantityProblem) -> (DecimalLiteral, QuantityUnit) {
        let (numberText, unitText) = splitQuantity(text)
        if numberText.hasPrefix("-") {
            if DecimalLiteral(numberText.dropFirst()) != nil { throw .negative }
            throw .notANumber
        }
        guard let number = DecimalLiteral(numberText) else { throw .notANumber }
        if unitText.isEmpty {
            if number.mantissa == 0 { return (number, units[0]) }
            throw .missingUnit
        }
        guard let unit = units.first(where: { $0.spellings.contains(String(unitText)) }) else {
            throw .unknownUnit(String(unitText))
        }
        return (number, unit)
    }
}

/// Why a quantity string was rejected; mapped to ``ScenarioError`` or ``QuantityParseError``.
enum QuantityProblem: Error, Equatable {
    case notANumber
    case negative
    case missingUnit
    case unknownUnit(String)
    case unrepresentable(String)

    /// One clause, for ``QuantityParseError/reason``.
    func reason(for kind: QuantityKind) -> String {
        switch self {
        case .notANumber: "expected a number followed by a unit, e.g. '\(kind.example)'; \(kind.allowedUnits)"
        case .negative: "a \(kind.noun) cannot be negative"
        case .missingUnit: "missing unit; \(kind.allowedUnits)"
        case .unknownUnit(let unit): "unknown unit '\(unit)'; \(kind.allowedUnits)"
        case .unrepresentable(let why): why
        }
    }
}

/// Number formatting for quantity descriptions.
enum Quantity {
    /// `value / unit` as an exact decimal: `12.5`, `3`.
    static func decimal(_ value: UInt64, per unit: UInt64) -> String {
        let whole = value / unit
        var fraction = value % unit
        if fraction == 0 { return "\(whole)" }
        var digits = ""
        var scale = unit
        while fraction != 0 && scale > 1 {
            scale /= 10
            digits.append(Character(String(fraction / scale)))
            fraction %= scale
        }
        return "\(whole).\(digits)"
    }

    /// A short rendering of a double: `10`, `0.2`, `2.5`.
    static func short(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
