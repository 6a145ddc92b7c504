import Foundation
import QNetCore
import QNetPhysics
import QNetQuantum
import Yams

// `medium:`, `freeSpace:` and `satellite:` on a link.

extension ScenarioDecoder {
    static let freeSpaceKeys = [
        "wavelength", "divergence", "receiverAperture", "pointingJitter", "attenuation", "receiverEfficiency", "sky", "backgroundRate",
    ]
    static let backgroundKeys = ["day", "night"]
    static let satelliteKeys = [
        "direction", "altitude", "wavelength", "divergence", "receiverAperture", "pointingJitter", "zenithTransmittance", "friedParameter",
        "receiverEfficiency", "minElevation", "maxElevation", "passStart", "whenDown",
    ]
    /// Keys a satellite link takes from its pass instead.
    static let satelliteRejected = ["length", "attenuation", "stationAt"]

    /// The medium of one `links` entry, checked against the keys the entry also sets.
    func decodeMedium(_ f: Fields, _ itemPath: DocumentPath) throws(ScenarioError) -> LinkMedium {
        let kind = try f["medium"].map { e throws(ScenarioError) in try reader.choice(e.node, e.path, as: LinkMedium.Kind.self) } ?? .fibre
        // A block for another medium would be read by nothing: an error, not ignored.
        for (key, owner) in [("freeSpace", LinkMedium.Kind.freeSpace), ("satellite", .satellite)] where owner != kind && f.contains(key) {
            throw reader.error(
                .conflict, at: f.keyLocation(key), itemPath.appending(key), "\(key) is read only by medium: \(owner.rawValue) (this link is \(kind.rawValue))",
                allowed: "remove \(key), or set medium: \(owner.rawValue)")
        }
        switch kind {
        case .fibre:
            return .fibre
        case .freeSpace:
            let (node, path) = try f.required("freeSpace", hint: "required with medium: free-space, e.g. freeSpace: { wavelength: 810 nm, divergence: 10 urad, receiverAperture: 0.3 m, attenuation: 0.1 dB/km, receiverEfficiency: 0.5 }")
            return .freeSpace(try decodeFreeSpace(node, path))
        case .satellite:
            for key in Self.satelliteRejected where f.contains(key) {
                throw reader.error(
                    .conflict, at: f.keyLocation(key), itemPath.appending(key),
                    "a satellite link has no \(key): its slant path comes from the pass",
                    allowed: "remove \(key); set the orbit and optics in satellite: { ... }")
            }
            let (node, path) = try f.required("satellite", hint: "required with medium: satellite, e.g. satellite: { altitude: 500 km, wavelength: 810 nm, divergence: 5 urad, receiverAperture: 1 m, zenithTransmittance: 0.8, receiverEfficiency: 0.5, minElevation: 15 deg }")
            return .satellite(try decodeSatellite(node, path))
        }
    }

    func decodeFreeSpace(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> FreeSpaceParameters {
        let f = try mapping(node, path, Self.freeSpaceKeys, "a free-space optics mapping such as { wavelength: 810 nm, divergence: 10 urad }")
        let beam = try decodeBeam(f, path)
        let attenuation = try f.required("attenuation", hint: "required: the air's extinction, e.g. attenuation: 0.1 dB/km")
        let extinction = try reader.attenuation(attenuation.node, attenuation.path).decibelsPerKilometre
        let (en, ep) = try f.required("receiverEfficiency", hint: "required: the receiver's optical efficiency in (0, 1], e.g. receiverEfficiency: 0.5")
        var optics = FreeSpaceParameters(beam: beam, attenuationDecibelsPerKilometre: extinction,
                                         receiverEfficiency: try reader.double(en, ep, range: .openClosed(0, 1)))
        if case let (n, p)? = f["sky"] { optics.sky = try reader.choice(n, p, as: Sky.self) }
        if case let (n, p)? = f["backgroundRate"] {
            let b = try mapping(n, p, Self.backgroundKeys, "background counts per second by day and by night, e.g. { day: 100 kHz, night: 500 Hz }")
            for sky in Sky.allCases {
                if case let (vn, vp)? = b[sky.rawValue] { optics.backgroundRateHertz[sky] = try reader.frequency(vn, vp).hertz }
            }
        }
        if !f.contains("backgroundRate"), f.contains("sky") {
            throw reader.error(
                .conflict, at: f.keyLocation("sky"), path.appending("sky"), "sky picks a background rate, but backgroundRate is not set",
                allowed: "set backgroundRate: { day: ..., night: ... }, or remove sky")
        }
        return optics
    }

    /// Wavelength, divergence, receiver aperture and pointing jitter of a free-space or
    /// satellite block.
    func decodeBeam(_ f: Fields, _ path: DocumentPath) throws(ScenarioError) -> OpticalBeam {
        func required(_ key: String, _ kind: MeasureKind) throws(ScenarioError) -> Double {
            let (n, p) = try f.required(key, hint: "required: \(key), e.g. \(key): \(kind.example)")
            return try reader.measure(n, p, kind, range: .above(0))
        }
        let wavelength = try required("wavelength", .wavelength)
        let divergence = try required("divergence", .angle)
        let aperture = try required("receiverAperture", .length)
        let jitter = try f["pointingJitter"].map { e throws(ScenarioError) in try reader.measure(e.node, e.path, .angle, range: .atLeast(0)) } ?? 0
        do {
            return try OpticalBeam(wavelengthMetres: wavelength, divergenceRadians: divergence, receiverApertureMetres: aperture,
                                   pointingJitterRadians: jitter)
        } catch {
            throw reader.error(.outOfRange, at: f.location, path, error.message)
        }
    }

    func decodeSatellite(_ node: Node, _ path: DocumentPath) throws(ScenarioError) -> SatelliteParameters {
        let f = try mapping(node, path, Self.satelliteKeys, "a satellite pass mapping such as { altitude: 500 km, minElevation: 15 deg }")
        let direction = try f["direction"].map { e throws(ScenarioError) in try reader.choice(e.node, e.path, as: SatelliteDirection.self) } ?? .downlink
        let (an, ap) = try f.required("altitude", hint: "required: the circular orbit's altitude, e.g. altitude: 500 km")
        let altitude = try reader.measure(an, ap, .length, range: .above(0))
        let beam = try decodeBeam(f, path)
        let (zn, zp) = try f.required("zenithTransmittance", hint: "required: the atmosphere's transmittance at the zenith in (0, 1], e.g. zenithTransmittance: 0.8")
        let zenith = try reader.double(zn, zp, range: .openClosed(0, 1))
        let (en, ep) = try f.required("receiverEfficiency", hint: "required: the receiver's optical efficiency in (0, 1], e.g. receiverEfficiency: 0.5")
        let efficiency = try reader.double(en, ep, range: .openClosed(0, 1))
        func elevation(_ n: Node, _ p: DocumentPath) throws(ScenarioError) -> Double {
            let value = try reader.measure(n, p, .angle, range: .closed(-.pi / 2, .pi / 2), allowNegative: true)
            guard value >= 0 else {
                throw reader.error(.outOfRange, at: n, p, "an elevation below the horizon is no line of sight",
                                   allowed: "allowed: 0 deg <= \(YAMLReader.leafName(p)) <= 90 deg")
            }
            return value
        }
        let (mn, mp) = try f.required("minElevation", hint: "required: the elevation below which the link is down, e.g. minElevation: 15 deg")
        let minElevation = try elevation(mn, mp)
        var maxElevation = Double.pi / 2
        if case let (n, p)? = f["maxElevation"] {
            maxElevation = try elevation(n, p)
            guard maxElevation > minElevation else {
                throw reader.error(
                    .outOfRange, at: n, p,
                    "the pass culminates at \(try reader.text(n, p, expected: "an angle").trimmingSpaces) and never rises above minElevation (\(try reader.text(mn, mp, expected: "an angle").trimmingSpaces))",
                    allowed: "allowed: minElevation < maxElevation <= 90 deg")
            }
        } else if minElevation >= maxElevation {
            throw reader.error(.outOfRange, at: mn, mp, "even an overhead pass never rises above minElevation 90 deg",
                               allowed: "allowed: 0 deg <= minElevation < 90 deg")
        }
        var friedParameter: Double?
        if case let (n, p)? = f["friedParameter"] {
            guard direction == .uplink else {
                throw reader.error(
                    .notModelled, at: n, p,
                    "friedParameter spreads an uplink's beam (turbulence at the transmitter); a downlink's beam is not spread measurably",
                    allowed: "allowed: remove friedParameter, or set direction: uplink")
            }
            friedParameter = try reader.measure(n, p, .length, range: .above(0))
        }
        let passStart = try f["passStart"].map { e throws(ScenarioError) in try reader.duration(e.node, e.path, positive: false) } ?? .zero
        var whenDown = SatelliteParameters.WhenDown.wait
        if case let (n, p)? = f["whenDown"] {
            let s = try reader.text(n, p, expected: "wait")
            if s.trimmingSpaces == "lost" {
                throw reader.error(
                    .notModelled, at: n, p,
                    "lost classical messages are not modelled (the link layer does not retransmit: a lost attempt batch would hold its qubit for ever)",
                    allowed: "allowed values: wait")
            }
            whenDown = try reader.choice(n, p, as: SatelliteParameters.WhenDown.self)
        }
        do {
            let pass = try SatellitePass(altitudeMetres: altitude, maxElevation: maxElevation, minElevation: minElevation, startSeconds: passStart.seconds)
            let link = try SatelliteLink(pass: pass, beam: beam, zenithTransmittance: zenith, receiverEfficiency: efficiency, direction: direction,
                                         friedParameterMetres: friedParameter)
            return SatelliteParameters(link: link, whenDown: whenDown)
        } catch {
            throw reader.error(.outOfRange, at: f.location, path, error.message)
        }
    }
}

/// A physical quantity read as a Double in SI base units (metres, radians), with its units.
struct MeasureKind {
    var noun: String
    var example: String
    /// Unit spellings and their factor to the SI unit.
    var units: [(spelling: String, factor: Double)]

    var allowedUnits: String { "allowed units: " + units.map(\.spelling).joined(separator: ", ") }

    static let length = MeasureKind(noun: "length", example: "1.2 m", units: [
        ("nm", 1e-9), ("um", 1e-6), ("µm", 1e-6), ("mm", 1e-3), ("cm", 1e-2), ("m", 1), ("km", 1e3),
    ])
    static let wavelength = MeasureKind(noun: "wavelength", example: "810 nm", units: length.units)
    static let angle = MeasureKind(noun: "angle", example: "10 urad", units: [
        ("urad", 1e-6), ("µrad", 1e-6), ("mrad", 1e-3), ("rad", 1), ("deg", .pi / 180),
    ])
}

extension YAMLReader {
    /// A quantity such as `810 nm` or `15 deg`, in SI base units, within `range` (of the SI
    /// value). Negative numbers only with `allowNegative` (the caller then says why it refuses).
    func measure(_ node: Node, _ path: DocumentPath, _ kind: MeasureKind, range: NumberRange, allowNegative: Bool = false) throws(ScenarioError) -> Double {
        let s = try text(node, path, expected: "a \(kind.noun) such as '\(kind.example)'").trimmingSpaces
        let split = s.firstIndex { $0.isLetter || $0 == "µ" } ?? s.endIndex
        let numberText = String(s[..<split]).trimmingSpaces, unitText = String(s[split...]).trimmingSpaces
        guard let number = Double(numberText), number.isFinite else {
            throw error(.wrongType, at: node, path, "expected a \(kind.noun) such as '\(kind.example)', found '\(s)'", allowed: kind.allowedUnits)
        }
        if number < 0, !allowNegative {
            throw error(.outOfRange, at: node, path, "a \(kind.noun) cannot be negative ('\(s)')", allowed: "allowed: a \(kind.noun) >= 0")
        }
        guard !unitText.isEmpty else {
            throw error(.badUnit, at: node, path, "missing unit in '\(s)'", allowed: kind.allowedUnits)
        }
        guard let unit = kind.units.first(where: { $0.spelling == unitText }) else {
            var message = "unknown unit '\(unitText)' in '\(s)'"
            if let hint = Suggestions.didYouMean(unitText, in: kind.units.map(\.spelling)) { message += "; " + hint }
            throw error(.badUnit, at: node, path, message, allowed: kind.allowedUnits)
        }
        let value = number * unit.factor
        guard range.contains(value) else {
            let name = Self.leafName(path)
            let allowed = range.lower == 0 && !range.lowerInclusive ? "allowed: \(name) > 0" : "allowed: \(name) in SI units: " + range.describe(name)
            throw error(.outOfRange, at: node, path, "'\(s)' is out of range", allowed: allowed)
        }
        return value
    }
}

extension LinkMedium {
    /// A satellite link's length for routing by length: the pass's shortest slant range, to the
    /// millimetre (nil for other media, whose length the file gives).
    var satelliteLength: Length? {
        guard case let .satellite(s) = self else { return nil }
        return Length(millimetres: UInt64((s.link.pass.shortestSlantRangeMetres * 1000).rounded()))
    }
}
