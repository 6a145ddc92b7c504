/// An error in a quantity string such as `"3.3 us"`, naming what was wrong and what is allowed.
public struct QuantityParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text that failed to parse.
    public var text: String
    /// One sentence: what is wrong and what is allowed.
    public var reason: String

    public init(text: String, reason: String) {
        self.text = text
        self.reason = reason
    }

    public var description: String { "'\(text)': \(reason)" }
}

/// An exact decimal number `mantissa × 10^exponent`, as written in a file.
///
/// Parsing through a decimal rather than `Double` keeps `"3.3 us"` exactly 3,300,000 ps.
public struct DecimalLiteral: Equatable, Sendable {
    public var mantissa: UInt64
    public var exponent: Int

    /// Parses `[+]digits[.digits][e[+-]digits]`; no sign other than `+` (quantities are non-negative).
    public init?(_ text: Substring) {
        var mantissa: UInt64 = 0
        var exponent = 0
        var sawDigit = false
        var index = text.startIndex
        if index < text.endIndex, text[index] == "+" { index = text.index(after: index) }
        var afterPoint = false
        while index < text.endIndex {
            let c = text[index]
            if let d = c.wholeNumberValue, c.isASCII {
                sawDigit = true
                if mantissa <= (UInt64.max - 9) / 10 {
                    mantissa = mantissa * 10 + UInt64(d)
                    if afterPoint { exponent -= 1 }
                } else if !afterPoint {
                    exponent += 1  // drop excess precision, keep magnitude
                }
            } else if c == ".", !afterPoint {
                afterPoint = true
            } else {
                break
            }
            index = text.index(after: index)
        }
        guard sawDigit else { return nil }
        if index < text.endIndex {
            guard text[index] == "e" || text[index] == "E" else { return nil }
            guard let e = Int(text[text.index(after: index)...]), abs(e) < 400 else { return nil }
            exponent += e
        }
        self.mantissa = mantissa
        self.exponent = exponent
    }

    /// `self × scale` as an exact integer, or nil if it is not an integer or overflows.
    public func scaledExactly(by scale: UInt64) -> UInt64? {
        var scale = scale
        var e = exponent
        var m = mantissa
        // Cancel powers of ten before multiplying, so 1.234567891011 s does not overflow.
        while e < 0, scale % 10 == 0 { scale /= 10; e += 1 }
        while e < 0, m % 10 == 0, m != 0 { m /= 10; e += 1 }
        if m == 0 { return 0 }
        var value = m.multipliedReportingOverflow(by: scale)
        if value.overflow { return nil }
        while e > 0 {
            value = value.partialValue.multipliedReportingOverflow(by: 10)
            if value.overflow { return nil }
            e -= 1
        }
        var result = value.partialValue
        while e < 0 {
            if result % 10 != 0 { return nil }
            result /= 10
            e += 1
        }
        return result
    }

    /// The value as a Double (nearest).
    public var doubleValue: Double {
        Double("\(mantissa)e\(exponent)") ?? .nan
    }
}

/// Splits `"3.3 us"` / `"3.3us"` into number text and unit text.
public func splitQuantity(_ text: String) -> (number: Substring, unit: Substring) {
    let trimmed = text.trimmingWhitespace()
    var end = trimmed.startIndex
    while end < trimmed.endIndex {
        let c = trimmed[end]
        let isNumeric = c.isASCII && (c.isNumber || c == "." || c == "+" || c == "-")
        let isExponent = (c == "e" || c == "E") && end > trimmed.startIndex
            && trimmed.index(after: end) < trimmed.endIndex
            && { let n = trimmed[trimmed.index(after: end)]; return n.isNumber || n == "-" || n == "+" }()
        if !(isNumeric || isExponent) { break }
        end = trimmed.index(after: end)
    }
    let unit = trimmed[end...].trimmingWhitespace()
    return (trimmed[..<end], unit)
}

extension StringProtocol {
    func trimmingWhitespace() -> Substring {
        let s = Substring(self)
        guard let first = s.firstIndex(where: { !$0.isWhitespace }),
              let last = s.lastIndex(where: { !$0.isWhitespace }) else { return s[s.endIndex...] }
        return s[first...last]
    }
}

extension VDuration {
    /// Parses a duration with a unit: `"3.3 us"`, `"25 ms"`, `"2 s"`, `"1e-9 s"`, `"0"`.
    ///
    /// Exact: the value is computed in integer picoseconds from the decimal text.
    /// - Throws: ``QuantityParseError`` for a missing or unknown unit, a negative or malformed
    ///   number, a value finer than 1 ps, or one beyond 2^64 ps (about 213 days).
    public init(parsing text: String) throws(QuantityParseError) {
        let (numberText, unitText) = splitQuantity(text)
        if numberText.hasPrefix("-") {
            throw QuantityParseError(text: text, reason: "a duration cannot be negative")
        }
        guard let number = DecimalLiteral(numberText) else {
            throw QuantityParseError(text: text, reason: "expected a number followed by a unit (ps, ns, us, ms, s), e.g. '3.3 us'")
        }
        if unitText.isEmpty {
            if number.mantissa == 0 { self = .zero; return }
            throw QuantityParseError(text: text, reason: "missing unit; allowed units: ps, ns, us, ms, s")
        }
        guard let unit = TimeUnit.allCases.first(where: { $0.spellings.contains(String(unitText)) }) else {
            throw QuantityParseError(text: text, reason: "unknown time unit '\(unitText)'; allowed units: ps, ns, us, ms, s")
        }
        guard let ps = number.scaledExactly(by: unit.picoseconds) else {
            if number.doubleValue * Double(unit.picoseconds) >= 1.8e19 {
                throw QuantityParseError(text: text, reason: "too long; the largest duration is about 213 days")
            }
            throw QuantityParseError(text: text, reason: "finer than the 1 ps resolution of virtual time")
        }
        self.init(picoseconds: ps)
    }
}
