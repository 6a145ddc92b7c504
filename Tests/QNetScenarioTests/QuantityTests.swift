import QNetCore
import Testing

@testable import QNetScenario

@Suite("Quantities with units")
struct QuantityTests {
    @Test("lengths parse exactly to millimetres", arguments: [
        ("10 km", UInt64(10_000_000)), ("500 m", 500_000), ("12.5 km", 12_500_000), ("0.001 m", 1),
        ("1e3 m", 1_000_000), ("0", 0), ("3km", 3_000_000), ("  7 m ", 7_000),
    ])
    func lengths(_ text: String, _ millimetres: UInt64) throws {
        #expect(try Length(parsing: text).millimetres == millimetres)
    }

    @Test("bad lengths are rejected with a reason", arguments: [
        ("10", "missing unit"), ("10 mi", "unknown unit 'mi'"), ("-1 km", "cannot be negative"),
        ("km", "expected a number"), ("0.0001 m", "finer than the 1 mm"), ("10 KM", "unknown unit"),
    ])
    func badLengths(_ text: String, _ reason: String) {
        #expect {
            _ = try Length(parsing: text)
        } throws: { error in
            (error as? QuantityParseError)?.reason.contains(reason) == true
        }
    }

    @Test("rates parse with Hz, kHz, MHz, GHz, THz", arguments: [
        ("10 Hz", 10.0), ("1 kHz", 1_000), ("2.5 MHz", 2_500_000), ("1 GHz", 1e9), ("1.5 THz", 1.5e12), ("0", 0),
    ])
    func rates(_ text: String, _ hertz: Double) throws {
        #expect(try Frequency(parsing: text).hertz == hertz)
    }

    @Test("bad rates are rejected", arguments: ["10", "10 hz", "-1 Hz", "fast", "1 PHz"])
    func badRates(_ text: String) {
        #expect(throws: QuantityParseError.self) { _ = try Frequency(parsing: text) }
    }

    @Test("attenuations parse in dB/km", arguments: [("0.2 dB/km", 0.2), ("0.25dB/km", 0.25), ("0", 0)])
    func attenuations(_ text: String, _ value: Double) throws {
        #expect(try Attenuation(parsing: text).decibelsPerKilometre == value)
    }

    @Test("bad attenuations are rejected", arguments: ["0.2", "0.2 dB", "-0.2 dB/km", "0.2 db/km"])
    func badAttenuations(_ text: String) {
        #expect(throws: QuantityParseError.self) { _ = try Attenuation(parsing: text) }
    }

    @Test("transmittance is 10^(-aL/10)")
    func transmittance() {
        let a = Attenuation(decibelsPerKilometre: 0.2)
        #expect(abs(a.transmittance(overMetres: 50_000) - 0.1) < 1e-12)  // 10 dB
        #expect(a.transmittance(overMetres: 0) == 1)
    }

    @Test("descriptions are short and exact", arguments: [
        (Length.kilometres(10).description, "10 km"), (Length(millimetres: 12_500_000).description, "12.5 km"),
        (Length.metres(500).description, "500 m"), (Length(millimetres: 250).description, "0.25 m"),
        (Frequency(hertz: 10).description, "10 Hz"), (Frequency(hertz: 2_500_000).description, "2.5 MHz"),
        (Attenuation(decibelsPerKilometre: 0.2).description, "0.2 dB/km"),
    ])
    func descriptions(_ actual: String, _ expected: String) {
        #expect(actual == expected)
    }
}

@Suite("Did-you-mean suggestions")
struct SuggestionTests {
    static let keys = ["nodes", "length", "attenuation", "stationAt", "scheme", "brightStatePopulation"]

    @Test("near misses find the intended key", arguments: [
        ("lenght", "length"), ("attenuaton", "attenuation"), ("attenutaion", "attenuation"),
        ("stationat", "stationAt"), ("STATIONAT", "stationAt"), ("schem", "scheme"), ("node", "nodes"),
        ("brightStatePopulaton", "brightStatePopulation"),
    ])
    func nearMiss(_ typo: String, _ intended: String) {
        #expect(Suggestions.closest(to: typo, in: Self.keys) == intended)
    }

    @Test("unrelated words get no suggestion", arguments: ["colour", "x", "delay", "loss", "bandwidth"])
    func noSuggestion(_ word: String) {
        #expect(Suggestions.closest(to: word, in: Self.keys) == nil)
    }

    @Test("distance counts an adjacent transposition as one edit")
    func transposition() {
        #expect(Suggestions.distance(Array("qubtis"), Array("qubits")) == 1)
        #expect(Suggestions.distance(Array("abc"), Array("abc")) == 0)
        #expect(Suggestions.distance(Array(""), Array("abc")) == 3)
        #expect(Suggestions.distance(Array("kitten"), Array("sitting")) == 3)
    }
}

@Suite("Error rendering")
struct ErrorRenderingTests {
    @Test("one line with file, line, column, key path, message and allowed")
    func rendering() {
        let e = ScenarioError(
            file: "s.yaml", line: 3, column: 9, keyPath: "a.b", code: .outOfRange,
            message: "2 is out of range", allowed: "allowed: 0 <= b <= 1"
        )
        #expect(e.description == "s.yaml:3:9: a.b: 2 is out of range; allowed: 0 <= b <= 1")
        let noLine = ScenarioError(file: "s.yaml", line: nil, column: nil, keyPath: "", code: .fileUnreadable, message: "gone")
        #expect(noLine.description == "s.yaml: gone")
        let multi = ScenarioError(file: "f", line: 1, column: 1, keyPath: "", code: .malformedYAML, message: "a\nb\n  c")
        #expect(multi.description == "f:1:1: a b c")
    }
}
